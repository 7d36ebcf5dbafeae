// SPDX-License-Identifier: GPL-2.0
/*
 * Exactness against the kernel: for stopped processes with varied mappings,
 * every counter memacct shares with /proc/PID/smaps_rollup (and status)
 * must equal it, to the byte (Pss to smaps' own kB resolution).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "kv.h"
#include "maps.h"
#include "proc.h"

#define MIB (1UL << 20)
#define MAPS_FILE "/sys/kernel/debug/memacct/maps"
#define DATA_FILE "/data/exact.file"
#define HUGE_TMPFS "/tmp/huge"
#define ZOO_FILE "/data/zoo file"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/* memacct counter, smaps_rollup key(s) it must equal. */
static const struct {
	const char *ours;
	const char *theirs;
	const char *theirs2;	/* added to theirs when set */
	bool kb_truncated;	/* fixed-point PSS: smaps truncates to kB */
	bool newer;		/* not in every kernel's smaps: compared where it is */
	bool rollup_only;	/* smaps_rollup has it, a mapping's smaps not */
} fields[] = {
	{ "rss", "Rss" },
	{ "pss", "Pss", NULL, true },
	{ "pss_anon", "Pss_Anon", NULL, true, false, true },
	{ "pss_file", "Pss_File", NULL, true, false, true },
	{ "pss_shmem", "Pss_Shmem", NULL, true, false, true },
	{ "private_clean", "Private_Clean" },
	{ "private_dirty", "Private_Dirty" },
	{ "shared_clean", "Shared_Clean" },
	{ "shared_dirty", "Shared_Dirty" },
	{ "anon", "Anonymous" },
	{ "anon_thp", "AnonHugePages" },
	{ "shmem_thp", "ShmemPmdMapped" },
	{ "file_thp", "FilePmdMapped" },
	{ "swap", "Swap" },
	{ "hugetlb", "Private_Hugetlb", "Shared_Hugetlb" },
	{ "shared_hugetlb", "Shared_Hugetlb" },
	{ "private_hugetlb", "Private_Hugetlb" },
	{ "referenced", "Referenced" },
	{ "lazyfree", "LazyFree" },
	{ "ksm", "KSM", NULL, false, true },	/* smaps has it since 6.7 */
	{ "pss_dirty", "Pss_Dirty", NULL, true },
	{ "locked", "Locked", NULL, true },
};

static bool kv_same(const struct kv *a, const struct kv *b)
{
	int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->e[i].key, b->e[i].key) || a->e[i].val != b->e[i].val)
			return false;
	return true;
}

/* Compare one stopped process; smaps is read before and after memacct. */
static void compare(const char *what, pid_t pid)
{
	static struct kv ours, before, after, status;
	int tries, i, bad = 0, compared = 0;
	char *report = NULL;
	size_t rlen = 0;
	FILE *r;

	for (tries = 0; tries < 5; tries++) {
		if (smaps_rollup_read(pid, &before) ||
		    memacct_task_read(pid, &ours) ||
		    smaps_rollup_read(pid, &after) ||
		    proc_status_read(pid, &status))
			ktap_bail("reading %d: %s", pid, strerror(errno));
		if (kv_same(&before, &after))
			break;
	}
	if (tries == 5) {
		ktap_result(false, "%s: smaps_rollup of %d never stable", what,
			    pid);
		return;
	}

	r = open_memstream(&report, &rlen);
	for (i = 0; i < (int)(sizeof(fields) / sizeof(fields[0])); i++) {
		unsigned long long o = kv_get(&ours, fields[i].ours), t;
		bool same;

		if (fields[i].newer && !kv_find(&before, fields[i].theirs, &t))
			continue;
		t = kv_get(&before, fields[i].theirs);
		compared++;

		if (fields[i].theirs2)
			t += kv_get(&before, fields[i].theirs2);
		same = fields[i].kb_truncated ? (o >> 10) << 10 == t : o == t;
		if (!same) {
			fprintf(r, "# %s: %s %llu, smaps %s %llu\n", what,
				fields[i].ours, o, fields[i].theirs, t);
			bad++;
		}
	}
	if (kv_get(&ours, "vsz") != kv_get(&status, "VmSize")) {
		fprintf(r, "# %s: vsz %llu, status VmSize %llu\n", what,
			kv_get(&ours, "vsz"), kv_get(&status, "VmSize"));
		bad++;
	}
	if (kv_get(&ours, "pagetables") != kv_get(&status, "VmPTE")) {
		fprintf(r, "# %s: pagetables %llu, status VmPTE %llu\n", what,
			kv_get(&ours, "pagetables"), kv_get(&status, "VmPTE"));
		bad++;
	}
	fclose(r);
	if (bad)
		fputs(report, stdout);
	free(report);
	ktap_result(!bad, "%s: %d counters equal smaps_rollup and status (rss %llu, pss %llu, swap %llu)",
		    what, compared + 2,
		    kv_get(&ours, "rss"), kv_get(&ours, "pss"),
		    kv_get(&ours, "swap"));
}

/* One mapping's counters against its smaps entry; differences to @r. */
static int compare_vma(FILE *r, const char *what, const struct vma_row *o,
		       const struct vma_row *t)
{
	unsigned long long ov, tv;
	int i, bad = 0;

	for (i = 0; i < (int)(sizeof(fields) / sizeof(fields[0])); i++) {
		if (fields[i].rollup_only)
			continue;
		if (!vma_has(t, fields[i].theirs, &tv)) {
			if (fields[i].newer)
				continue;
			ktap_bail("smaps %llx: no %s", t->start,
				  fields[i].theirs);
		}
		if (fields[i].theirs2)
			tv += vma_get(t, fields[i].theirs2);
		ov = vma_get(o, fields[i].ours);
		if (fields[i].kb_truncated ? (ov >> 10) << 10 != tv : ov != tv) {
			fprintf(r, "# %s %llx-%llx %s: %s %llu, smaps %s %llu\n",
				what, o->start, o->end, o->path,
				fields[i].ours, ov, fields[i].theirs, tv);
			bad++;
		}
	}
	if (vma_get(o, "vsz") != vma_get(t, "Size") ||
	    vma_get(o, "kernel_page_size") != vma_get(t, "KernelPageSize") ||
	    strcmp(o->perms, t->perms) || strcmp(o->path, t->path)) {
		fprintf(r, "# %s %llx-%llx: vsz %llu page %llu %s \"%s\", smaps Size %llu KernelPageSize %llu %s \"%s\"\n",
			what, o->start, o->end, vma_get(o, "vsz"),
			vma_get(o, "kernel_page_size"), o->perms, o->path,
			vma_get(t, "Size"), vma_get(t, "KernelPageSize"),
			t->perms, t->path);
		bad++;
	}
	return bad;
}

/*
 * The maps file's rows for a stopped process against /proc/PID/smaps, one
 * mapping at a time: the same mappings (smaps' [vsyscall] is the gate
 * area, no VMA of the mm), and in each every counter smaps shows.
 */
static void compare_maps(const char *what, pid_t pid)
{
	static struct vma_set ours, before, after;
	int tries, i, bad = 0, gate = 0;
	char *report = NULL;
	size_t rlen = 0;
	FILE *r;

	for (tries = 0; tries < 5; tries++) {
		if (smaps_vmas_read(pid, &before) ||
		    memacct_maps_read(MAPS_FILE, pid, &ours) ||
		    smaps_vmas_read(pid, &after))
			ktap_bail("reading the mappings of %d: %s", pid,
				  strerror(errno));
		if (vma_sets_same(&before, &after))
			break;
	}
	if (tries == 5) {
		ktap_result(false, "%s: smaps of %d never stable", what, pid);
		return;
	}
	r = open_memstream(&report, &rlen);
	for (i = 0; i < before.n; i++) {
		const struct vma_row *t = &before.v[i];
		const struct vma_row *o = vma_find(&ours, t->start);

		if (!strcmp(t->path, "[vsyscall]")) {
			gate = 1;
			continue;
		}
		if (!o || o->end != t->end) {
			fprintf(r, "# %s: smaps' %llx-%llx %s is not a row\n",
				what, t->start, t->end, t->path);
			bad++;
			continue;
		}
		bad += compare_vma(r, what, o, t);
	}
	if (ours.n != before.n - gate) {
		fprintf(r, "# %s: %d rows, smaps %d mappings\n", what, ours.n,
			before.n - gate);
		bad++;
	}
	fclose(r);
	if (bad)
		fputs(report, stdout);
	free(report);
	ktap_result(!bad && ours.n > 0,
		    "%s: %d mappings, each row equal to its smaps entry",
		    what, ours.n);
}

/* What a scenario must have produced for its comparison to mean anything. */
static void expect_nonzero(const char *what, pid_t pid, const char *key)
{
	struct kv s;

	if (smaps_rollup_read(pid, &s))
		ktap_bail("smaps_rollup %d", pid);
	ktap_result(kv_get(&s, key) > 0, "%s: smaps shows %s %llu kB", what,
		    key, kv_get(&s, key) >> 10);
}

/* ---- scenarios: run in a fresh exec, set up, stop ---- */

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags, 0600);

	if (fd < 0)
		_exit(120);
	return fd;
}

static void *map_or_die(size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		_exit(121);
	return p;
}

static void scenario_anon(void)
{
	char *a = map_aligned(8 * MIB), *z = map_aligned(2 * MIB);
	char *t = map_aligned(4 * MIB), *hz = map_aligned(4 * MIB);

	madvise(a, 8 * MIB, MADV_NOHUGEPAGE);
	touch_write(a, 8 * MIB, 1);
	madvise(z, 2 * MIB, MADV_NOHUGEPAGE);
	touch_read(z, 2 * MIB);			/* zero page */
	madvise(t, 4 * MIB, MADV_HUGEPAGE);
	touch_write(t, 4 * MIB, 2);		/* THP */
	madvise(hz, 4 * MIB, MADV_HUGEPAGE);
	touch_read(hz, 4 * MIB);		/* huge zero page */
	mprotect(a, MIB, PROT_READ);		/* a read-only piece */
	scenario_stop();
}

static void scenario_file(void)
{
	int fd = open_or_die(DATA_FILE, O_RDWR);
	char *priv = map_or_die(8 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE,
				fd, 0);
	char *shared = map_or_die(4 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED,
				  fd, 0);
	char *twice = map_or_die(MIB, PROT_READ, MAP_SHARED, fd, 0);

	touch_read(priv, 8 * MIB);
	touch_write(priv, 2 * MIB, 3);		/* copied to anon */
	touch_read(shared, 4 * MIB);
	touch_write(shared + 3 * MIB, MIB, 4);
	touch_read(twice, MIB);			/* same pages, mapped twice */
	scenario_stop();
}

static void scenario_shmem(void)
{
	int fd = memfd_create("exact", 0);
	char *s, *p;

	if (fd < 0 || ftruncate(fd, 4 * MIB))
		_exit(122);
	s = map_or_die(4 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	touch_write(s, 4 * MIB, 5);
	p = map_or_die(4 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	touch_read(p, 4 * MIB);
	touch_write(p, MIB, 6);
	scenario_stop();
}

static void scenario_fork(void)
{
	char *a = map_aligned(4 * MIB);
	pid_t child;

	madvise(a, 4 * MIB, MADV_NOHUGEPAGE);
	touch_write(a, 4 * MIB, 7);
	child = fork();
	if (child < 0)
		_exit(123);
	if (!child) {
		touch_write(a, MIB, 8);
		scenario_stop();
		_exit(0);
	}
	waitpid(child, NULL, WUNTRACED);
	scenario_stop();
}

static void scenario_swap(void)
{
	char *a = map_aligned(8 * MIB), *s, *p;
	int fd = memfd_create("swapped", 0);

	madvise(a, 8 * MIB, MADV_NOHUGEPAGE);
	touch_write(a, 8 * MIB, 9);
	/* Pages still in an LRU batch cannot be isolated to be paged out. */
	lru_drain_all();
	madvise(a, 4 * MIB, MADV_PAGEOUT);
	if (fd < 0 || ftruncate(fd, 4 * MIB))
		_exit(122);
	s = map_or_die(4 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	touch_write(s, 4 * MIB, 10);
	lru_drain_all();
	madvise(s, 2 * MIB, MADV_PAGEOUT);	/* shmem swap */
	/* Private and writable: smaps counts its swap per hole. */
	p = map_or_die(4 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	touch_read(p + 3 * MIB, MIB);
	scenario_stop();
}

static void scenario_shmem_thp(void)
{
	int fd = open_or_die(HUGE_TMPFS "/f", O_RDWR | O_CREAT);
	char *s;

	if (ftruncate(fd, 4 * MIB))
		_exit(122);
	s = map_aligned(4 * MIB);
	s = mmap(s, 4 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 fd, 0);
	if (s == MAP_FAILED)
		_exit(121);
	touch_write(s, 4 * MIB, 11);
	scenario_stop();
}

static void scenario_hugetlb(void)
{
	char *h = map_or_die(4 * MIB, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

	touch_write(h, 4 * MIB, 12);
	scenario_stop();
}

/*
 * Shared hugetlb over a whole aligned GiB: its PMD table is shared with the
 * child forked after the first writes (huge_pmd_share()). Nothing is
 * reserved, so only the pages touched are taken from the pool.
 */
static void scenario_hugetlb_shared(void)
{
	size_t gib = 1UL << 30;
	char *h = map_or_die(2 * gib, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB |
			     MAP_NORESERVE, -1, 0);
	char *g = (char *)(((uintptr_t)h + gib - 1) & ~(gib - 1));
	pid_t child;

	touch_write(g, 4 * MIB, 14);
	/* One page under another PMD table. */
	touch_write(g == h ? h + gib : h, 2 * MIB, 15);
	child = fork();
	if (child < 0)
		_exit(123);
	if (!child) {
		touch_write(g + 8 * MIB, 2 * MIB, 16);
		scenario_stop();
		_exit(0);
	}
	waitpid(child, NULL, WUNTRACED);
	scenario_stop();
}

/*
 * What smaps calls LazyFree, Locked and KSM, each of a known size: 2 MiB
 * freed with MADV_FREE of which 256 KiB are written again (a write takes a
 * page back), 1 MiB mlocked, and 2 MiB of identical pages KSM may merge
 * (the test runs ksmd, see ksm_merge()).
 */
static void scenario_reclaim(void)
{
	char *a = map_aligned(4 * MIB), *l = map_aligned(MIB);
	char *k = map_aligned(2 * MIB);

	madvise(a, 4 * MIB, MADV_NOHUGEPAGE);
	touch_write(a, 4 * MIB, 17);
	/* MADV_FREE skips folios still in an LRU batch (off the LRU). */
	lru_drain_all();
	if (madvise(a, 2 * MIB, MADV_FREE))
		_exit(124);
	touch_write(a + MIB + 768 * 1024, 256 * 1024, 18);
	madvise(l, MIB, MADV_NOHUGEPAGE);
	touch_write(l, MIB, 19);
	if (mlock(l, MIB))
		_exit(125);
	madvise(k, 2 * MIB, MADV_NOHUGEPAGE);
	touch_write(k, 2 * MIB, 20);
	if (madvise(k, 2 * MIB, MADV_MERGEABLE))
		_exit(126);
	scenario_stop();
}

static unsigned long ksm_merged(void)
{
	char *a = read_file("/sys/kernel/mm/ksm/pages_shared");
	char *b = read_file("/sys/kernel/mm/ksm/pages_sharing");
	unsigned long n = (a ? atol(a) : 0) + (b ? atol(b) : 0);

	free(a);
	free(b);
	return n;
}

/* Run ksmd until the scenario's 512 identical pages are merged, then stop it. */
static bool ksm_merge(void)
{
	int i;

	write_file("/sys/kernel/mm/ksm/sleep_millisecs", "10");
	write_file("/sys/kernel/mm/ksm/pages_to_scan", "4096");
	if (write_file("/sys/kernel/mm/ksm/run", "1"))
		return false;
	for (i = 0; i < 600 && ksm_merged() < 512; i++)
		usleep(50 * 1000);
	write_file("/sys/kernel/mm/ksm/run", "0");	/* merged pages stay */
	return ksm_merged() >= 512;
}

/* One of memacct's counters against what the scenario made. */
static void expect_ours(const char *what, pid_t pid, const char *key,
			unsigned long long want)
{
	struct kv kv;

	if (memacct_task_read(pid, &kv))
		ktap_bail("memacct task %d: %s", pid, strerror(errno));
	ktap_result(kv_get(&kv, key) == want, "%s: %s %llu, made %llu",
		    what, key, kv_get(&kv, key), want);
}

static void *thread_touch(void *arg)
{
	touch_write(arg, MIB, 13);
	return NULL;
}

static void scenario_threads(void)
{
	char *a = map_aligned(4 * MIB);
	pthread_t t[3];
	int i;

	for (i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, thread_touch, a + i * MIB);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	scenario_stop();
}

/*
 * What the other scenarios leave out, for the per-mapping rows: a memfd,
 * the heap grown with brk, the stack, a guard page, a file with a space
 * in its name and a deleted one (names are escaped, "(deleted)" added).
 */
static void scenario_zoo(void)
{
	char stack[256 * 1024];
	int mfd = memfd_create("memacct zoo", 0);
	int fd = open_or_die(ZOO_FILE, O_RDWR | O_CREAT);
	char *heap = sbrk(0), *m, *f, *g;

	if (mfd < 0 || ftruncate(mfd, 2 * MIB) || ftruncate(fd, MIB) ||
	    brk(heap + 3 * MIB))
		_exit(122);
	m = map_or_die(2 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	f = map_or_die(MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	g = map_or_die(MIB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	touch_write(m, MIB, 5);
	touch_write(f, 512 * 1024, 6);
	touch_write(heap, 3 * MIB, 7);
	touch_write(stack, sizeof(stack), 8);
	touch_write(g + 4096, MIB - 4096, 9);
	mprotect(g, 4096, PROT_NONE);		/* a guard page */
	unlink(ZOO_FILE);
	scenario_stop();
	touch_read(stack, sizeof(stack));	/* keep it live */
}

static const struct scenario_def scenarios[] = {
	{ "anon", scenario_anon },
	{ "file", scenario_file },
	{ "shmem", scenario_shmem },
	{ "fork", scenario_fork },
	{ "swap", scenario_swap },
	{ "shmem_thp", scenario_shmem_thp },
	{ "hugetlb", scenario_hugetlb },
	{ "hugetlb_shared", scenario_hugetlb_shared },
	{ "threads", scenario_threads },
	{ "reclaim", scenario_reclaim },
	{ "zoo", scenario_zoo },
};

/* ---- the test ---- */

static bool swap_active(void)
{
	char *s = read_file("/proc/swaps");
	bool on = s && strchr(s, '\n') && strchr(s, '\n')[1];

	free(s);
	return on;
}

/* The reclaim scenario's known sizes (see scenario_reclaim()). */
static void expect_reclaim(pid_t pid, bool merged)
{
	expect_ours("reclaim", pid, "lazyfree", 2 * MIB - 256 * 1024);
	expect_ours("reclaim", pid, "locked", MIB);
	if (merged)
		expect_ours("reclaim", pid, "ksm", 2 * MIB);
	else
		ktap_result(false, "reclaim: ksmd did not merge 512 identical pages in 30 s");
}

static void run_one(const char *name, int nprocs, const char *must)
{
	bool reclaim = !strcmp(name, "reclaim"), merged = false;
	struct scenario sc;
	int i;

	lru_drain_all();
	scenario_start(&sc, name, nprocs);
	if (reclaim)
		merged = ksm_merge();
	/*
	 * Pages freshly faulted sit in LRU batches with an extra reference;
	 * MADV_FREE takes effect when its batch is drained.
	 */
	lru_drain_all();
	for (i = 0; i < sc.n; i++) {
		char what[64];

		snprintf(what, sizeof(what), "%s[%d]", name, i);
		compare(what, sc.pid[i]);
		compare_maps(what, sc.pid[i]);
	}
	if (must)
		expect_nonzero(name, sc.pid[0], must);
	if (reclaim)
		expect_reclaim(sc.pid[0], merged);
	scenario_end(&sc);
}

int main(int argc, char **argv)
{
	bool hugetlb, shmem_thp;

	if (argc == 3 && !strcmp(argv[1], "--scenario"))
		return SCENARIO_RUN(scenarios, argv[2]);

	ktap_plan(39);
	quiesce_background();
	make_file(DATA_FILE, 8 * MIB, 'x');
	mkdir(HUGE_TMPFS, 0700);
	shmem_thp = !mount("tmpfs", HUGE_TMPFS, "tmpfs", 0, "huge=always");
	hugetlb = !write_file("/proc/sys/vm/nr_hugepages", "8");

	if (thp_available()) {
		run_one("anon", 1, "AnonHugePages");
	} else {
		run_one("anon", 1, NULL);
		ktap_skip("anon: no transparent huge pages in this kernel");
	}
	run_one("file", 1, "Shared_Dirty");
	run_one("shmem", 1, "Pss_Shmem");
	run_one("fork", 2, "Shared_Dirty");
	run_one("threads", 1, NULL);
	run_one("reclaim", 1, "LazyFree");
	run_one("zoo", 1, "Shared_Dirty");
	if (swap_active()) {
		run_one("swap", 1, "Swap");
	} else {
		/* The test VM always sets up zram swap: its absence is a bug. */
		ktap_result(false, "swap: no swap device");
		ktap_result(false, "swap: no swap device");
		ktap_result(false, "swap: no swap device");
	}
	if (shmem_thp) {
		run_one("shmem_thp", 1, "ShmemPmdMapped");
	} else {
		ktap_skip("shmem_thp: tmpfs huge=always unavailable");
		ktap_skip("shmem_thp: tmpfs huge=always unavailable");
		ktap_skip("shmem_thp: tmpfs huge=always unavailable");
	}
	if (hugetlb) {
		run_one("hugetlb", 1, "Private_Hugetlb");
		run_one("hugetlb_shared", 2, "Shared_Hugetlb");
	} else {
		for (int i = 0; i < 3; i++)
			ktap_skip("hugetlb: cannot reserve huge pages");
		for (int i = 0; i < 5; i++)
			ktap_skip("hugetlb_shared: cannot reserve huge pages");
	}

	write_file("/proc/sys/vm/nr_hugepages", "0");
	if (shmem_thp)
		umount(HUGE_TMPFS);
	unlink(DATA_FILE);
	return ktap_finish();
}
