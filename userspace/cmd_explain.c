// SPDX-License-Identifier: GPL-2.0
/*
 * memacct explain PATH: memory.current reconciled category by category, and
 * what ps/top, smem, docker stats and the kubelet would say instead, with
 * each gap named.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "gomem.h"
#include "groups.h"
#include "tasks.h"

struct explain {
	struct kv stat, memstat;
	bool v1;
	long long usage;		/* memory.current / usage_in_bytes */
	long long sum_rss, sum_pss;
	long long slab, percpu, sock, inactive_file;
	struct files files;		/* the cgroup's backing objects */
	int top[3], ntop;		/* those most charged elsewhere */
};

/* The objects with the most charged to other cgroups, most first. */
static void find_top(struct explain *e)
{
	int col = files_col(&e->files, "charged_elsewhere"), i, k;

	for (e->ntop = 0; e->ntop < 3; e->ntop++) {
		int best = -1;

		for (i = 0; i < e->files.n; i++) {
			for (k = 0; k < e->ntop && e->top[k] != i; k++)
				;
			if (k < e->ntop || e->files.o[i].v[col] <= 0)
				continue;
			if (best < 0 || e->files.o[i].v[col] > e->files.o[best].v[col])
				best = i;
		}
		if (best < 0)
			break;
		e->top[e->ntop] = best;
	}
}

/* memory.stat (v2, or v1 where the memory hierarchy is mounted at
 * <cgroup root>/memory) and the usage file that goes with it. */
static int load_cgroupfs(struct explain *e, const char *path)
{
	char v1path[4200], *ms, *cur;

	ms = read_cgroupfs(path, "memory.stat");
	cur = read_cgroupfs(path, "memory.current");
	if (!ms) {
		snprintf(v1path, sizeof(v1path), "/memory%s",
			 strcmp(path, "/") ? path : "");
		ms = read_cgroupfs(v1path, "memory.stat");
		cur = read_cgroupfs(v1path, "memory.usage_in_bytes");
		e->v1 = true;
	}
	if (!ms) {
		fprintf(stderr, "memacct: cannot read memory.stat of %s under %s (v2) or %s/memory (v1): %s\n",
			path, cgroup_root, cgroup_root, strerror(errno));
		free(cur);
		return EXIT_NOTFOUND;
	}
	if (kv_parse(&e->memstat, ms)) {
		free(ms);
		free(cur);
		return report_errno("memory.stat", ENOMEM);
	}
	/* The root has no memory.current: the kernel's counter is all there is. */
	e->usage = cur ? strtoll(cur, NULL, 10) : kv_get(&e->stat, "memory_current");
	free(ms);
	free(cur);
	if (e->v1) {
		/* v1 has no slab line on 6.1; it then stays 0. */
		e->slab = kv_get(&e->memstat, "total_slab");
		e->inactive_file = kv_get(&e->memstat, "total_inactive_file");
	} else {
		e->slab = kv_get(&e->memstat, "slab");
		e->percpu = kv_get(&e->memstat, "percpu");
		e->sock = kv_get(&e->memstat, "sock");
		e->inactive_file = kv_get(&e->memstat, "inactive_file");
	}
	return EXIT_OK;
}

static int load(struct explain *e, const char *path)
{
	struct task_rows t;
	char *text;
	int ret, i;

	ret = read_cgroup_stat(path, &e->stat);
	if (ret)
		return ret;
	text = read_cgroup_tasks(path, &ret);
	if (!text)
		return ret;
	if (tasks_parse(&t, text)) {
		free(text);
		fprintf(stderr, "memacct: malformed tasks file\n");
		return EXIT_FORMAT;
	}
	free(text);
	for (i = 0; i < t.n; i++) {
		e->sum_rss += kv_get(&t.row[i].counters, "rss");
		e->sum_pss += kv_get(&t.row[i].counters, "pss");
	}
	tasks_free(&t);
	ret = read_cgroup_files(path, &e->files);
	if (ret)
		return ret;
	find_top(e);
	return load_cgroupfs(e, path);
}

static const struct opts *out_opts;

static void row(const char *sign, const char *label, long long v,
		const char *why)
{
	char buf[64];

	printf("  %s %-44s %12s%s%s\n", sign, label,
	       human(buf, sizeof(buf), v, out_opts->bytes), *why ? "  " : "",
	       why);
}

/* The stat's charged view: its LRU lists', kernel pages from the summary. */
static bool lru_view(const struct kv *stat)
{
	const char *view = kv_str(stat, "charged_view");

	return view && !strcmp(view, "lru+summary");
}

static void human_explain(const struct explain *e, const char *path)
{
	const struct kv *s = &e->stat;
	long long cur = kv_get(s, "memory_current");
	long long unexpl = kv_get(s, "unexplained");
	long long kslab = e->slab + e->percpu + e->sock;
	long long rest = unexpl - kslab, bound = kv_get(s, "charge_batch_bound");
	long long dup = e->sum_rss - kv_get(s, "rss");
	long long elsewhere = kv_get(s, "mapped_charged_elsewhere");
	long long outside = kv_get(s, "charged_mapped_outside_only");
	long long unmapped = kv_get(s, "charged_file_unmapped");
	long long kernel = kv_get(s, "charged_kernel_pages");
	long long residual = cur - (e->sum_rss - dup - elsewhere + outside +
				    unmapped + kernel + kslab + rest);
	long long docker = e->usage - e->inactive_file;
	int i;

	printf("memory cgroup %s (cgroup %s)\n\n", path, e->v1 ? "v1" : "v2");
	printf("memory.current, category by category (pages charged to the cgroup, from the kernel's page ownership):\n");
	row(" ", e->v1 ? "memory.usage_in_bytes" : "memory.current", cur,
	    "the page counter");
	row("=", "anonymous memory", kv_get(s, "charged_anon"), "");
	row("+", "page cache mapped by some process", kv_get(s, "charged_file_mapped"), "");
	row("+", "page cache no process maps", unmapped, "files read or written, cached");
	row("+", "shmem, tmpfs, memfd", kv_get(s, "charged_shmem"), "");
	row("+", "swap cache", kv_get(s, "charged_swapcache"), "");
	row("+", "kernel pages", kernel, lru_view(s) ?
	    "page tables, kernel stacks, vmalloc (from the summary)" :
	    "page tables, kernel stacks, vmalloc");
	row("+", "other charged pages", kv_get(s, "charged_other"), "");
	row("+", "slab objects", e->slab, "from memory.stat: charged per object, not per page");
	row("+", "percpu and socket memory", e->percpu + e->sock, "from memory.stat");
	row("+", "unexplained", rest,
	    rest >= -2 * bound && rest <= 2 * bound ?
	    "within the bound: up to 64 pages per CPU are charged ahead of use" :
	    "OUTSIDE the bound of 2 x charge_batch_bound: not quiescent?");
	printf("    (bound: %lld bytes = 2 x 64 pages x possible CPUs)\n\n", 2 * bound);

	printf("of what its processes map (each page once):\n");
	row(" ", "lazily freed (MADV_FREE)", kv_get(s, "lazyfree"),
	    "freed by the program, still resident and charged: reclaim drops it without swapping");
	row(" ", "locked (mlock)", kv_get(s, "locked"),
	    "never reclaimed while locked");
	printf("\n");

	printf("not in memory.current, for reference:\n");
	row(" ", "zero-page mappings", kv_get(s, "cow_pending_zero"),
	    "memory read but never written: charged on first write");
	row(" ", "mapped here, charged to other cgroups", elsewhere,
	    "shared libraries and files another cgroup touched first");
	for (i = 0; i < e->ntop; i++) {
		const struct object *o = &e->files.o[e->top[i]];
		char buf[64];

		printf("      %s: %s of it, charged most to %s (%s)\n", o->path,
		       human(buf, sizeof(buf), o->v[files_col(&e->files, "charged_elsewhere")],
			     out_opts->bytes),
		       *o->payer ? o->payer : "-",
		       human(buf + 32, 32, o->v[files_col(&e->files, "payer_charged")],
			     out_opts->bytes));
	}
	row(" ", "all copy-on-write pending", kv_get(s, "cow_pending"),
	    "what writes could still allocate");
	printf("\n");

	printf("what other tools report for %s:\n", path);
	row(" ", "ps/top: sum of RSS", e->sum_rss,
	    "shared pages once per process; page cache, kernel memory left out");
	row(" ", "smem: sum of PSS", e->sum_pss,
	    "shared pages split between processes, even with processes elsewhere");
	row(" ", "docker stats", docker, e->v1 ?
	    "usage_in_bytes - total_inactive_file: inactive page cache left out" :
	    "memory.current - inactive_file: inactive page cache left out");
	row(" ", "kubelet working set", docker,
	    "usage - inactive_file, the same subtraction (eviction decisions use it)");
	row(" ", "memory.stat anon", kv_get(&e->memstat, e->v1 ? "total_rss" : "anon"),
	    "mapped anonymous pages, flushed lazily");
	row(" ", "memory.stat file", kv_get(&e->memstat, e->v1 ? "total_cache" : "file"),
	    "page cache including shmem");
	if (!e->v1)
		row(" ", "memory.stat kernel", kv_get(&e->memstat, "kernel"),
		    "all kernel memory, slab included");
	printf("\n");

	printf("from the sum of RSS to memory.current, exactly:\n");
	row(" ", "sum of RSS", e->sum_rss, "");
	row("-", "counted more than once", dup, "pages shared among its processes (fork, libraries)");
	row("-", "mapped here, charged elsewhere", elsewhere, "another cgroup pays for them");
	row("+", "charged here, mapped only elsewhere", outside, "it pays for pages others use");
	row("+", "page cache no process maps", unmapped, "");
	row("+", "kernel pages", kernel, "");
	row("+", "slab, percpu, sockets", kslab, "memory.stat");
	row("+", "charged but unmapped anon/shmem/swap cache", residual,
	    "less mapped pages charged to no cgroup");
	row("+", "unexplained", rest, "per-CPU charge batching");
	row("=", "memory.current", cur, "");
}

static void json_explain(const struct explain *e, const char *path)
{
	int i;

	printf("{\"format\": %d, \"cgroup\": ", MEMACCT_FORMAT);
	json_string(stdout, path);
	printf(", \"cgroup_version\": %d, \"usage\": %lld, \"sum_rss\": %lld, \"sum_pss\": %lld",
	       e->v1 ? 1 : 2, e->usage, e->sum_rss, e->sum_pss);
	printf(", \"docker_stats\": %lld, \"kubelet_working_set\": %lld",
	       e->usage - e->inactive_file, e->usage - e->inactive_file);
	printf(", \"memory_stat\": {\"slab\": %lld, \"percpu\": %lld, \"sock\": %lld, \"inactive_file\": %lld}",
	       e->slab, e->percpu, e->sock, e->inactive_file);
	printf(", \"unexplained_after_memory_stat\": %lld",
	       kv_get(&e->stat, "unexplained") - e->slab - e->percpu - e->sock);
	printf(", \"charged_elsewhere_top\": [");
	for (i = 0; i < e->ntop; i++) {
		const struct object *o = &e->files.o[e->top[i]];

		printf("%s{\"path\": ", i ? ", " : "");
		json_string(stdout, o->path);
		printf(", \"charged_elsewhere\": %lld, \"payer\": ",
		       o->v[files_col(&e->files, "charged_elsewhere")]);
		json_string(stdout, o->payer);
		printf(", \"payer_charged\": %lld}",
		       o->v[files_col(&e->files, "payer_charged")]);
	}
	printf("], \"stat\": ");
	json_numbers(stdout, &e->stat, NULL);
}

/* What the cgroup holds beyond its processes' mappings, after the Go walk. */
static void go_cgroup(const struct opts *o, const struct explain *e)
{
	static const char *const keys[][2] = {
		{ "charged_file_unmapped", "page cache no process maps" },
		{ "charged_kernel_pages", "kernel pages: page tables, kernel stacks" },
		{ "mapped_charged_elsewhere", "mapped here, charged to other cgroups" },
		{ "unexplained", "slab, percpu, sockets, per-CPU batches (above)" },
		{ "memory_current", "the cgroup's bill: memory.current" },
	};
	char buf[64];
	size_t i;

	printf("  the cgroup, beyond its processes' mappings\n");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		printf("      %14s  %s\n",
		       human(buf, sizeof(buf), kv_get(&e->stat, keys[i][0]), o->bytes),
		       keys[i][1]);
}

int cmd_explain(const struct opts *o, const char *arg)
{
	struct explain e = { 0 };
	struct maps mp = { 0 };
	struct go_split gs;
	struct gomem gm;
	char path[4096];
	long gopid = -1;
	int ret = EXIT_OK;

	cgroup_normalise(path, sizeof(path), arg);
	if (o->go) {
		ret = gomem_load(o->go, &gm);
		if (!ret)
			ret = read_cgroup_maps(path, &mp);
		if (!ret)
			gopid = go_pick(&mp, &gs);
		if (!ret && gopid == -2) {
			fprintf(stderr, "memacct: the maps file lacks a column the Go walk needs\n");
			ret = EXIT_FORMAT;
		} else if (!ret && gopid < 0) {
			fprintf(stderr, "memacct: %s has no process to set the Go runtime against\n",
				path);
			ret = EXIT_NOTFOUND;
		}
	}
	if (!ret)
		ret = load(&e, path);
	if (!ret) {
		out_opts = o;
		if (o->fmt == FMT_JSON) {
			json_explain(&e, path);
			if (o->go) {
				printf(", \"go\": ");
				go_json(stdout, &gm, &gs, gopid, o->go);
			}
			printf("}\n");
		} else {
			human_explain(&e, path);
			if (o->go) {
				go_print(stdout, o, &gm, &gs, gopid, o->go);
				go_cgroup(o, &e);
			}
		}
	}
	maps_free(&mp);
	kv_free(&e.stat);
	kv_free(&e.memstat);
	files_free(&e.files);
	return ret;
}
