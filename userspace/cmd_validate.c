// SPDX-License-Identifier: GPL-2.0
/*
 * memacct validate [PID|PATH]: set the kernel's own views (smaps_rollup,
 * /proc/PID/status, memory.current, memory.stat) against memacct, field by
 * field, with a verdict for each: exact, within a tolerance the kernel
 * documents (and why), changed while measured, or MISMATCH.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups.h"
#include "memacct.h"
#include "tasks.h"

enum verdict { V_EXACT, V_TOLERANCE, V_CHANGED, V_MISMATCH, V_NR };

static const char *const verdict_name[V_NR] = {
	"exact", "tolerance", "changed", "MISMATCH",
};

enum rule {
	R_EXACT,	/* must be equal */
	R_KB,		/* smaps PSS: memacct's bytes truncated to kB */
	R_RSS_CACHE,	/* status Rss*: per-thread / per-CPU counter caching */
	R_NOT_ABOVE,	/* the kernel's may be lower, for the reason given */
	R_MEMSTAT,	/* memory.stat: flushed lazily */
};

struct rule_def {
	const char *ours;		/* memacct key (or "a+b") */
	const char *theirs;		/* kernel key (or "a+b") */
	enum rule rule;
	const char *why;		/* the reason a difference is allowed */
};

static const struct rule_def smaps_rules[] = {
	{ "rss", "Rss", R_EXACT, NULL },
	{ "pss", "Pss", R_KB, NULL },
	{ "pss_anon", "Pss_Anon", R_KB, NULL },
	{ "pss_file", "Pss_File", R_KB, NULL },
	{ "pss_shmem", "Pss_Shmem", R_KB, NULL },
	{ "private_clean", "Private_Clean", R_EXACT, NULL },
	{ "private_dirty", "Private_Dirty", R_EXACT, NULL },
	{ "shared_clean", "Shared_Clean", R_EXACT, NULL },
	{ "shared_dirty", "Shared_Dirty", R_EXACT, NULL },
	{ "anon", "Anonymous", R_EXACT, NULL },
	{ "anon_thp", "AnonHugePages", R_EXACT, NULL },
	{ "shmem_thp", "ShmemPmdMapped", R_EXACT, NULL },
	{ "file_thp", "FilePmdMapped", R_EXACT, NULL },
	{ "swap", "Swap", R_EXACT, NULL },
	{ "hugetlb", "Private_Hugetlb+Shared_Hugetlb", R_EXACT, NULL },
	{ "shared_hugetlb", "Shared_Hugetlb", R_EXACT, NULL },
	{ "private_hugetlb", "Private_Hugetlb", R_EXACT, NULL },
	{ "referenced", "Referenced", R_EXACT, NULL },
	{ "lazyfree", "LazyFree", R_EXACT, NULL },
	{ "ksm", "KSM", R_EXACT, NULL },
	{ "pss_dirty", "Pss_Dirty", R_KB, NULL },
	{ "locked", "Locked", R_KB, NULL },
	{ NULL },
};

#define RSS_WHY "status RSS counters lag: cached per thread (64 faults) or per CPU"

static const struct rule_def status_rules[] = {
	{ "vsz", "VmSize", R_EXACT, NULL },
	{ "pagetables", "VmPTE", R_EXACT, NULL },
	{ "rss", "VmRSS", R_RSS_CACHE, RSS_WHY },
	{ "rss_anon", "RssAnon", R_RSS_CACHE, RSS_WHY },
	{ "rss_file", "RssFile", R_RSS_CACHE, RSS_WHY },
	{ "rss_shmem", "RssShmem", R_RSS_CACHE, RSS_WHY },
	{ "swap", "VmSwap", R_NOT_ABOVE, "VmSwap leaves out the swap of shmem objects mapped" },
	{ NULL },
};

static const struct rule_def memstat_v2_rules[] = {
	{ "charged_anon", "anon", R_MEMSTAT, NULL },
	{ "charged_shmem", "shmem", R_MEMSTAT, NULL },
	{ "charged_file_mapped+charged_file_unmapped+charged_shmem", "file",
	  R_MEMSTAT, NULL },
	{ "charged_kernel_pages", "kernel_stack+pagetables+sec_pagetables+vmalloc",
	  R_NOT_ABOVE, "memacct also counts other whole kernel pages (pipe buffers)" },
	{ NULL },
};

static const struct rule_def memstat_v1_rules[] = {
	{ "charged_anon", "total_rss", R_MEMSTAT, NULL },
	{ "charged_shmem", "total_shmem", R_MEMSTAT, NULL },
	{ "charged_file_mapped+charged_file_unmapped+charged_shmem",
	  "total_cache", R_MEMSTAT, NULL },
	{ NULL },
};

struct tally {
	int n[V_NR];
	bool json_first;
	const struct opts *o;
	bool verbose;		/* one process or cgroup: every line */
};

/* The sum of "a+b+c" keys; false if any is missing. */
static bool sum_keys(const struct kv *kv, const char *expr, long long *v)
{
	char buf[256], *save = NULL, *k;
	long long x;

	snprintf(buf, sizeof(buf), "%s", expr);
	*v = 0;
	for (k = strtok_r(buf, "+", &save); k; k = strtok_r(NULL, "+", &save)) {
		if (!kv_num(kv, k, &x))
			return false;
		*v += x;
	}
	return true;
}

static enum verdict judge(const struct rule_def *r, long long ours,
			  long long theirs, long long tol, const char **why)
{
	*why = r->why;
	switch (r->rule) {
	case R_EXACT:
		return ours == theirs ? V_EXACT : V_MISMATCH;
	case R_KB:
		*why = "smaps prints PSS in kB, truncated";
		return ours / 1024 * 1024 == theirs ? V_EXACT : V_MISMATCH;
	case R_NOT_ABOVE:
		if (ours == theirs)
			return V_EXACT;
		return theirs < ours ? V_TOLERANCE : V_MISMATCH;
	case R_RSS_CACHE:
	case R_MEMSTAT:
		if (ours == theirs)
			return V_EXACT;
		if (r->rule == R_MEMSTAT)
			*why = "memory.stat is flushed lazily (up to 64 updates per CPU)";
		return llabs(ours - theirs) <= tol ? V_TOLERANCE : V_MISMATCH;
	}
	return V_MISMATCH;
}

static void report(struct tally *t, const char *subject, const char *source,
		   const struct rule_def *r, long long ours, long long theirs,
		   enum verdict v, const char *why)
{
	char a[64], b[64];

	t->n[v]++;
	if (t->o->fmt == FMT_JSON) {
		printf("%s\n  {\"subject\": ", t->json_first ? "" : ",");
		json_string(stdout, subject);
		printf(", \"source\": \"%s\", \"field\": ", source);
		json_string(stdout, r->theirs);
		printf(", \"memacct\": ");
		json_string(stdout, r->ours);
		printf(", \"memacct_value\": %lld, \"kernel_value\": %lld, \"verdict\": \"%s\"",
		       ours, theirs, verdict_name[v]);
		if (v != V_EXACT && why) {
			printf(", \"why\": ");
			json_string(stdout, why);
		}
		printf("}");
		t->json_first = false;
		return;
	}
	if (v == V_EXACT && !t->verbose)
		return;
	printf("  %-10s %-34s %-12s %14s  %-24s %14s  %s\n", verdict_name[v],
	       subject, source, human(a, sizeof(a), theirs, true), r->ours,
	       human(b, sizeof(b), ours, true),
	       v == V_EXACT ? "" : v == V_CHANGED ? "the process changed while measured" :
	       why ? why : "");
}

static bool same_fields(const struct kv *a, const struct kv *b,
			const struct rule_def *rules)
{
	long long x, y;

	for (; rules->ours; rules++) {
		bool hx = sum_keys(a, rules->theirs, &x);
		bool hy = sum_keys(b, rules->theirs, &y);

		if (hx != hy || (hx && x != y))
			return false;
	}
	return true;
}

/* Pages one page fault may map: /sys/kernel/debug/fault_around_bytes. */
static long long fault_around_pages(void)
{
	char *s = read_text("/sys/kernel/debug/fault_around_bytes");
	long long bytes = s ? strtoll(s, NULL, 10) : 65536;

	free(s);
	return bytes >= 4096 ? bytes / 4096 : 1;
}

static char *proc_file(pid_t pid, const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	return read_text(path);
}

/* One process against smaps_rollup and status. */
static int validate_pid(struct tally *t, pid_t pid, int ncpus)
{
	struct kv ours = { 0 }, sm[2] = { { 0 } }, st[2] = { { 0 } };
	char subject[96], comm[64];
	int tries, ret = EXIT_OK, i;
	long long tol;

	for (tries = 0; tries < 5; tries++) {
		char *s0 = proc_file(pid, "smaps_rollup");
		char *t0 = proc_file(pid, "status");

		kv_free(&ours);
		ret = s0 && t0 ? read_task(pid, &ours) : EXIT_NOTFOUND;
		for (i = 0; i < 2; i++) {
			kv_free(&sm[i]);
			kv_free(&st[i]);
		}
		if (!ret) {
			char *s1 = proc_file(pid, "smaps_rollup");
			char *t1 = proc_file(pid, "status");

			if (s1 && t1) {
				kv_parse_proc(&sm[0], s0);
				kv_parse_proc(&st[0], t0);
				kv_parse_proc(&sm[1], s1);
				kv_parse_proc(&st[1], t1);
			} else {
				ret = EXIT_NOTFOUND;
			}
			free(s1);
			free(t1);
		}
		free(s0);
		free(t0);
		if (ret || (same_fields(&sm[0], &sm[1], smaps_rules) &&
			    same_fields(&st[0], &st[1], status_rules)))
			break;
	}
	if (ret)
		goto out;
	snprintf(comm, sizeof(comm), "%s", kv_str(&ours, "comm") ? kv_str(&ours, "comm") : "?");
	unescape(comm);
	snprintf(subject, sizeof(subject), "%d (%s)", (int)pid, comm);
	/*
	 * 6.1 caches RSS deltas per thread and folds them in every 64 page
	 * faults; one fault maps up to fault_around_bytes (16 pages by
	 * default). Newer kernels use per-CPU counters (32 pages per CPU).
	 */
	tol = 64LL * fault_around_pages() * kv_get(&st[0], "Threads");
	if (tol < 32LL * ncpus)
		tol = 32LL * ncpus;
	tol *= 4096;
	for (i = 0; i < 2; i++) {
		const struct rule_def *r = i ? status_rules : smaps_rules;
		const struct kv *a = i ? &st[0] : &sm[0], *b = i ? &st[1] : &sm[1];

		for (; r->ours; r++) {
			long long o, k, k2;
			const char *why;
			enum verdict v;

			if (!sum_keys(&ours, r->ours, &o) || !sum_keys(a, r->theirs, &k))
				continue;
			v = judge(r, o, k, tol, &why);
			if (v == V_MISMATCH && (!sum_keys(b, r->theirs, &k2) || k2 != k))
				v = V_CHANGED;
			report(t, subject, i ? "status" : "smaps_rollup", r, o, k, v,
			       why);
		}
	}
out:
	kv_free(&ours);
	for (i = 0; i < 2; i++) {
		kv_free(&sm[i]);
		kv_free(&st[i]);
	}
	return ret;
}

/*
 * One cgroup against memory.current and memory.stat. @sum: its summary
 * line when the caller has read the summary, else NULL (read here).
 */
static int validate_cgroup(struct tally *t, const char *path,
			   const struct kv *sum)
{
	struct kv ours = { 0 }, ms = { 0 };
	const struct rule_def *rules = memstat_v2_rules;
	char v1path[4200], *stat, *cur;
	long long tol, c0, c1;
	int ret;

	if (sum) {
		ret = read_cgroup_stat_raw(path, &ours);
		if (!ret)
			ret = stat_complete(&ours, sum);
	} else {
		ret = read_cgroup_stat(path, &ours);
	}
	if (ret) {
		kv_free(&ours);
		return ret;
	}
	stat = read_cgroupfs(path, "memory.stat");
	cur = read_cgroupfs(path, "memory.current");
	if (!stat) {
		snprintf(v1path, sizeof(v1path), "/memory%s", strcmp(path, "/") ? path : "");
		stat = read_cgroupfs(v1path, "memory.stat");
		cur = read_cgroupfs(v1path, "memory.usage_in_bytes");
		rules = memstat_v1_rules;
	}
	tol = 2 * kv_get(&ours, "charge_batch_bound");
	if (cur && strcmp(path, "/")) {
		static const struct rule_def current = {
			"memory_current", "memory.current", R_EXACT, NULL,
		};
		enum verdict v;
		const char *why;

		c0 = strtoll(cur, NULL, 10);
		free(cur);
		cur = read_cgroupfs(rules == memstat_v1_rules ? v1path : path,
				    rules == memstat_v1_rules ?
				    "memory.usage_in_bytes" : "memory.current");
		c1 = cur ? strtoll(cur, NULL, 10) : -1;
		v = judge(&current, kv_get(&ours, "memory_current"), c0, 0, &why);
		if (v == V_MISMATCH && c1 != c0)
			v = V_CHANGED;
		report(t, path, "cgroupfs", &current, kv_get(&ours, "memory_current"),
		       c0, v, why);
	}
	/*
	 * The root's memory.stat covers the pages charged to the root itself,
	 * which memacct reports as one total (charged_root_uncounted), not by
	 * kind: nothing to compare there.
	 */
	if (stat && strcmp(path, "/") && !kv_parse(&ms, stat)) {
		for (; rules->ours; rules++) {
			const char *why = NULL;
			enum verdict v;
			long long o, k;

			if (!sum_keys(&ours, rules->ours, &o) ||
			    !sum_keys(&ms, rules->theirs, &k))
				continue;
			v = judge(rules, o, k, tol, &why);
			report(t, path, "memory.stat", rules, o, k, v, why);
		}
	}
	free(stat);
	free(cur);
	kv_free(&ms);
	kv_free(&ours);
	return EXIT_OK;
}

static int validate_pids(struct tally *t, const char *tasks_text, int ncpus)
{
	struct task_rows rows;
	int i;

	if (tasks_parse(&rows, tasks_text)) {
		fprintf(stderr, "memacct: malformed tasks file\n");
		return EXIT_FORMAT;
	}
	for (i = 0; i < rows.n; i++) {
		/* Not itself: it allocates while it measures. */
		if (rows.row[i].pid != getpid())
			validate_pid(t, (pid_t)rows.row[i].pid, ncpus);
	}
	tasks_free(&rows);
	return EXIT_OK;
}

int cmd_validate(const struct opts *o, const char *arg)
{
	struct tally t = { .o = o, .json_first = true };
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	char path[4096], *text;
	int ret = EXIT_OK, i;
	bool is_pid = arg && *arg && strspn(arg, "0123456789") == strlen(arg);

	if (ncpus < 1)
		ncpus = 1;
	if (o->fmt == FMT_JSON)
		printf("{\"format\": %d, \"checks\": [", MEMACCT_FORMAT);
	else
		printf("  %-10s %-34s %-12s %14s  %-24s %14s  %s\n", "VERDICT",
		       "PROCESS OR CGROUP", "SOURCE", "KERNEL", "MEMACCT", "", "WHY");
	if (is_pid) {
		t.verbose = true;
		ret = validate_pid(&t, (pid_t)atol(arg), (int)ncpus);
		if (ret == EXIT_NOTFOUND)
			fprintf(stderr, "memacct: no process %s\n", arg);
	} else if (arg) {
		t.verbose = true;
		cgroup_normalise(path, sizeof(path), arg);
		ret = validate_cgroup(&t, path, NULL);
		text = ret ? NULL : read_cgroup_tasks(path, &ret);
		if (text)
			ret = validate_pids(&t, text, (int)ncpus);
		free(text);
	} else {
		struct cgs cgs;

		ret = cgs_load(&cgs, false);
		for (i = 0; !ret && i < cgs.n; i++)
			validate_cgroup(&t, cgs.cg[i].path, &cgs.cg[i].sum);
		cgs_free(&cgs);
		text = ret ? NULL : read_cgroup_tasks("/", &ret);
		if (text)
			ret = validate_pids(&t, text, (int)ncpus);
		free(text);
	}
	if (o->fmt == FMT_JSON)
		printf("\n], \"exact\": %d, \"tolerance\": %d, \"changed\": %d, \"mismatch\": %d}\n",
		       t.n[V_EXACT], t.n[V_TOLERANCE], t.n[V_CHANGED], t.n[V_MISMATCH]);
	else
		printf("%d exact, %d within tolerance, %d changed while measured, %d MISMATCH\n",
		       t.n[V_EXACT], t.n[V_TOLERANCE], t.n[V_CHANGED], t.n[V_MISMATCH]);
	if (ret)
		return ret;
	return t.n[V_MISMATCH] ? EXIT_MISMATCH : EXIT_OK;
}
