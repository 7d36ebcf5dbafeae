// SPDX-License-Identifier: GPL-2.0
/*
 * Per-cgroup accounting against known answers and against the userspace
 * oracle (pagemap + kpageflags + kpagecount + kpagecgroup): a file read by
 * one cgroup and mapped by its sibling, page cache never mapped, memory
 * shared by three forked processes, the 120,000,000-byte allocation that
 * is read first and written second in a 128M cgroup, MADV_FREE and mlock,
 * THPs, and a page mapped by more than 511 entries.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "files_check.h"
#include "kpage.h"
#include "ktap.h"
#include "kv.h"
#include "proc.h"

#define MIB (1UL << 20)
#define PAGE 4096UL
#define CG "/sys/fs/cgroup/mcs"
#define MEMACCT "/sys/kernel/debug/memacct"
#define SHARED_FILE "/data/mcs.shared"
#define BIG_FILE "/data/mcs.big"
#define REGION ((char *)0x600000000000UL)
#define JUMP_BYTES 120000000UL

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* ---- scenarios ---- */

static void write_pages(int fd, size_t len, int c)
{
	static char buf[64 * 1024];
	size_t done;

	memset(buf, c, sizeof(buf));
	for (done = 0; done < len; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			_exit(119);
}

/* In A: create the file (its page cache is charged to A), map it, read
 * it, unmap it. */
static void scenario_reader_a(void)
{
	int fd = open(SHARED_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char *p;

	if (fd < 0)
		_exit(120);
	write_pages(fd, 4 * MIB, 'a');
	p = mmap(NULL, 4 * MIB, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		_exit(121);
	touch_read(p, 4 * MIB);
	munmap(p, 4 * MIB);
	scenario_stop();
}

/* In B: map the same file at a known address and read it. */
static void scenario_mapper_b(void)
{
	int fd = open(SHARED_FILE, O_RDONLY);
	char *p;

	if (fd < 0)
		_exit(120);
	p = mmap(REGION, 4 * MIB, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE,
		 fd, 0);
	if (p != REGION)
		_exit(121);
	touch_read(p, 4 * MIB);
	scenario_stop();
}

/* In C: page cache written with write(), never mapped. */
static void scenario_writer_c(void)
{
	int fd = open(BIG_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		_exit(120);
	write_pages(fd, 64 * 1024, 'w');	/* fault in the buffer first */
	ftruncate(fd, 0);
	lseek(fd, 0, SEEK_SET);
	scenario_stop();
	write_pages(fd, 64 * MIB, 'c');
	scenario_stop();
}

/* @len bytes of anonymous memory at REGION, in 4 KiB pages, all written. */
static char *written_region(size_t len, int c)
{
	char *p = mmap(REGION, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != REGION)
		_exit(121);
	madvise(p, len, MADV_NOHUGEPAGE);
	touch_write(p, len, c);
	return p;
}

/* A child that reports and stops (so it reports before its parent). */
static void fork_stopped_child(void)
{
	pid_t c = fork();

	if (c < 0)
		_exit(123);
	if (!c) {
		scenario_stop();
		pause();
		_exit(0);
	}
	waitpid(c, NULL, WUNTRACED);
}

/* In D: three processes sharing 32 MiB copy-on-write. */
static void scenario_share3_d(void)
{
	written_region(32 * MIB, 'd');
	fork_stopped_child();
	fork_stopped_child();
	scenario_stop();
	pause();
}

/* In E (memory.max 128M): 120,000,000 bytes, read, then written. */
static void scenario_jump_e(void)
{
	char *p = mmap(REGION, JUMP_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != REGION)
		_exit(121);
	scenario_stop();
	touch_read(p, JUMP_BYTES);
	scenario_stop();
	touch_write(p, JUMP_BYTES, 'e');
	scenario_stop();
}

/*
 * In F: of 5 MiB written, 2 MiB freed with MADV_FREE and 256 KiB of that
 * written again, the fourth MiB mlocked; then a child shares it all (a
 * child inherits no mlock), and the parent frees the fifth MiB with
 * MADV_FREE, which cleans its own entries only.
 */
static void scenario_lazy_f(void)
{
	char *p = written_region(5 * MIB, 'f');

	/* MADV_FREE skips folios still in an LRU batch (off the LRU). */
	lru_drain_all();
	if (madvise(p, 2 * MIB, MADV_FREE))
		_exit(124);
	touch_write(p + MIB + 768 * 1024, 256 * 1024, 'g');
	if (mlock(p + 3 * MIB, MIB))
		_exit(125);
	fork_stopped_child();
	lru_drain_all();
	if (madvise(p + 4 * MIB, MIB, MADV_FREE))
		_exit(126);
	scenario_stop();
	pause();
}

/* G: 4 MiB of anonymous THPs at REGION (2 MiB aligned), written, the
 * second mapped by PTEs, then shared with a forked child. */
#define THP_BYTES (4 * MIB)

static void scenario_thp_g(void)
{
	char *p = mmap(REGION, THP_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != REGION)
		_exit(121);
	madvise(p, THP_BYTES, MADV_HUGEPAGE);
	touch_write(p, THP_BYTES, 'g');
	/* The second THP PTE-mapped (its PMD split), in both after the fork. */
	if (mprotect(p + 2 * MIB + PAGE, PAGE, PROT_READ))
		_exit(122);
	fork_stopped_child();
	scenario_stop();
	pause();
}

/*
 * H and I: the 16 pages of a file mapped WIDE_H times in H and WIDE_I
 * times in I, more than the mappings a slot of a cgroup read's table
 * counts in itself (511): their counts go to the table's wide entries,
 * more than its least wide table holds with room for a page table's.
 */
#define WIDE_FILE "/data/mcs.wide"
#define WIDE_PAGES 16
#define WIDE_H 520
#define WIDE_I 50

static void map_wide(int times)
{
	int fd = open(WIDE_FILE, O_RDONLY), i;
	char *p;

	if (fd < 0)
		_exit(120);
	/* Each its own VMA: the same file offset never merges. */
	for (i = 0; i < times; i++) {
		p = mmap(NULL, WIDE_PAGES * PAGE, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			_exit(121);
		touch_read(p, WIDE_PAGES * PAGE);
	}
	scenario_stop();
	pause();
}

static void scenario_wide_h(void)
{
	map_wide(WIDE_H);
}

static void scenario_wide_i(void)
{
	map_wide(WIDE_I);
}

static const struct scenario_def scenarios[] = {
	{ "reader_a", scenario_reader_a },
	{ "mapper_b", scenario_mapper_b },
	{ "writer_c", scenario_writer_c },
	{ "share3_d", scenario_share3_d },
	{ "jump_e", scenario_jump_e },
	{ "lazy_f", scenario_lazy_f },
	{ "thp_g", scenario_thp_g },
	{ "wide_h", scenario_wide_h },
	{ "wide_i", scenario_wide_i },
};

/* ---- helpers ---- */

#define LRU_VIEW "/sys/module/memacct/parameters/lru_view"

/*
 * <cgroup>/stat with the charged view @view: "0" a pass over memory,
 * "1" the cgroup's LRU lists (the module's default, put back after).
 */
static void cg_stat_view(const char *name, struct kv *kv, const char *view)
{
	char path[256], *s;

	if (write_file(LRU_VIEW, view))
		ktap_bail(LRU_VIEW ": %s", strerror(errno));
	snprintf(path, sizeof(path), MEMACCT "/mcs/%s/stat", name);
	s = read_file(path);
	if (!s)
		ktap_bail("%s: %s", path, strerror(errno));
	kv_parse(s, kv);
	free(s);
	if (write_file(LRU_VIEW, "1"))
		ktap_bail(LRU_VIEW ": %s", strerror(errno));
}

/* <cgroup>/stat from a pass over memory: every charged page, kernel ones
 * too, which the oracle counts. */
static void cg_stat(const char *name, struct kv *kv)
{
	cg_stat_view(name, kv, "0");
}

/* <cgroup>/stat with the charged view from the cgroup's LRU lists. */
static void cg_stat_lru(const char *name, struct kv *kv)
{
	cg_stat_view(name, kv, "1");
}

static unsigned long long cg_get(const char *name, const char *key)
{
	struct kv kv;

	cg_stat(name, &kv);
	return kv_get(&kv, key);
}

static void make_cgroup(const char *name, const char *max)
{
	char path[256];

	snprintf(path, sizeof(path), CG "/%s", name);
	if (mkdir(path, 0755) && errno != EEXIST)
		ktap_bail("mkdir %s: %s", path, strerror(errno));
	if (max) {
		snprintf(path, sizeof(path), CG "/%s/memory.max", name);
		if (write_file(path, max))
			ktap_bail("%s", path);
	}
}

/* The mirror appears shortly after mkdir. */
static void wait_mirror(const char *name)
{
	char path[256];
	int i;

	snprintf(path, sizeof(path), MEMACCT "/mcs/%s/stat", name);
	for (i = 0; i < 300 && access(path, R_OK); i++)
		usleep(10000);
	if (access(path, R_OK))
		ktap_bail("no mirror for %s", name);
}

static unsigned long long memstat(const char *name, const char *key)
{
	char path[256], *s;
	struct kv kv;

	snprintf(path, sizeof(path), CG "/%s/memory.stat", name);
	s = read_file(path);
	if (!s)
		ktap_bail("%s", path);
	kv_parse(s, &kv);
	free(s);
	return kv_get(&kv, key);
}

static void check_summary(const char *name, const struct kv *st);

/*
 * The LRU view of a quiet cgroup: every anonymous and shmem page the
 * oracle finds charged to it (each mapped by its processes or on its LRU
 * lists once the per-CPU batches are drained). Page cache here is on
 * ramfs, unevictable, on no list: seen only where the cgroup maps it
 * (t/27-lru-view.sh has evictable files). Kernel pages are not seen.
 */
static void check_lru_view(const char *name, const struct kv *lru,
			   const struct mapped_view *mv,
			   const struct charged_view *cv)
{
	int bad = 0;

#define SAME(key, val) do {						\
		if (kv_get(lru, key) != (val)) {			\
			ktap_diag("%s lru view: %s %llu, oracle %llu", name, \
				  key, kv_get(lru, key),		\
				  (unsigned long long)(val));		\
			bad++;						\
		}							\
	} while (0)
	SAME("rss", mv->rss_anon + mv->rss_file + mv->rss_shmem);
	SAME("private", mv->private);
	SAME("charged_anon", cv->anon);
	SAME("charged_shmem", cv->shmem);
	SAME("charged_swapcache", cv->swapcache);
	SAME("charged_kernel_pages", 0ULL);
#undef SAME
	if (kv_get(lru, "charged_file_mapped") + kv_get(lru, "charged_file_unmapped") >
	    cv->file_mapped + cv->file_unmapped) {
		ktap_diag("%s lru view: page cache %llu, more than the oracle's %llu",
			  name, kv_get(lru, "charged_file_mapped") +
			  kv_get(lru, "charged_file_unmapped"),
			  (unsigned long long)(cv->file_mapped + cv->file_unmapped));
		bad++;
	}
	if (strcmp(kv_str(lru, "charged_view"), "lru")) {
		ktap_diag("%s: charged_view is '%s'", name,
			  kv_str(lru, "charged_view"));
		bad++;
	}
	ktap_result(!bad, "%s: the LRU view equals the oracle's anonymous and shmem pages (charged anon %llu, ramfs page cache seen %llu)",
		    name, kv_get(lru, "charged_anon"),
		    kv_get(lru, "charged_file_mapped") +
		    kv_get(lru, "charged_file_unmapped"));
}

/*
 * The last read's table of pages mapped (internals dedup_bytes) is sized
 * by the cgroup: an 8-byte slot for each of the @pages its processes map,
 * at most 64 bytes a page (docs/counters.md), never by the host's memory;
 * and its profile (internals last_read_*_ns) is the read's whole time.
 */
static void check_table_size(const char *name, unsigned long long pages)
{
	unsigned long long bytes, most = 64 * pages, walk, grow, phases, total;
	char *s = read_file(MEMACCT "/internals");
	struct kv kv;

	if (!s)
		ktap_bail("internals: %s", strerror(errno));
	kv_parse(s, &kv);
	free(s);
	bytes = kv_get(&kv, "dedup_bytes");
	/*
	 * A small cgroup's tables are mostly room for one page table's pages
	 * and folio heads, in each of the two (about 19 KiB), up to twice
	 * that once grown.
	 */
	if (most < 65536)
		most = 65536;
	/* The read's phases, timed back to back, make up the whole read. */
	walk = kv_get(&kv, "last_read_walk_ns");
	grow = kv_get(&kv, "last_read_grow_ns");
	phases = walk + kv_get(&kv, "last_read_finish_ns") +
		 kv_get(&kv, "last_read_charged_ns");
	total = kv_get(&kv, "last_read_total_ns");
	ktap_result(bytes >= 8 * pages && bytes <= most && total &&
		    phases == total && grow <= walk,
		    "%s: the read's table is %llu bytes for %llu pages mapped (%.1f a page; at most %llu); its phases %llu ns of %llu",
		    name, bytes, pages, pages ? (double)bytes / pages : 0.0, most,
		    phases, total);
}

/*
 * The cgroup's sums over its processes (zero page, swap, copy-on-write
 * pending) against each process's own counters, summed: a cgroup read
 * decides a page's copy-on-write class once, at its first mapping, and
 * takes the others from its slot; a process read decides it per entry.
 */
static void check_process_sums(const char *name, const struct scenario *sc,
			       const struct kv *cg)
{
	static const char *const summed[] = {
		"zero", "swap", "cow_pending_zero", "cow_pending_file",
		"cow_pending_anon",
	};
	enum { N = sizeof(summed) / sizeof(summed[0]) };
	unsigned long long sum[N] = { 0 };
	size_t k;
	struct kv t;
	int i, bad = 0;

	for (i = 0; i < sc->n; i++) {
		if (memacct_task_read(sc->pid[i], &t))
			ktap_bail("task %d: %s", sc->pid[i], strerror(errno));
		for (k = 0; k < N; k++)
			sum[k] += kv_get(&t, summed[k]);
	}
	for (k = 0; k < N; k++) {
		if (kv_get(cg, summed[k]) == sum[k])
			continue;
		ktap_diag("%s: %s %llu, its %d processes' sum %llu", name,
			  summed[k], kv_get(cg, summed[k]), sc->n, sum[k]);
		bad++;
	}
	ktap_result(!bad && kv_get(cg, "nr_processes") == (unsigned long long)sc->n,
		    "%s: zero, swap and cow_pending are its %d processes' sums (cow_pending_anon %llu, file %llu)",
		    name, sc->n, sum[4], sum[3]);
}

/* The counters both views and the oracle compare. */
static const char *const compared[] = {
	"rss_anon", "rss_file", "rss_shmem", "private", "shared_external",
	"mapped_charged_elsewhere", "charged_anon", "charged_file_mapped",
	"charged_file_unmapped", "charged_shmem", "charged_swapcache",
	"charged_kernel_pages", "charged_other", "lazyfree", "locked",
};

static bool same_counters(const struct kv *a, const struct kv *b)
{
	size_t i;

	for (i = 0; i < sizeof(compared) / sizeof(compared[0]); i++)
		if (kv_get(a, compared[i]) != kv_get(b, compared[i]))
			return false;
	return true;
}

/*
 * <cgroup>/files of @name: each object against the oracle of its mappings,
 * and the objects' sums against a stat read in the same quiet moment (two
 * equal reads of files around them). One TAP case.
 */
static void check_files(const char *name, struct scenario *sc,
			const uint64_t *inos, int ninos)
{
	struct vma_set a = { 0 }, b = { 0 };
	char path[256];
	int try, i, bad = 0;
	struct kv st;

	snprintf(path, sizeof(path), MEMACCT "/mcs/%s/files", name);
	for (try = 0; try < 5; try++) {
		if (memacct_files_read(path, &a))
			ktap_bail("%s: %s", path, strerror(errno));
		cg_stat(name, &st);
		bad = files_against_oracle(&a, sc->pid, sc->n, inos, ninos, name);
		bad += files_against_stat(&a, &st, name);
		if (memacct_files_read(path, &b))
			ktap_bail("%s: %s", path, strerror(errno));
		if (vma_sets_same(&a, &b))
			break;
		ktap_diag("%s: its files changed while they were read: again", name);
	}
	for (i = 0; i < a.n && i < 4; i++)
		ktap_diag("%s: files: %s rss %llu charged elsewhere %llu (most to %s)",
			  name, a.v[i].path, vma_get(&a.v[i], "rss"),
			  vma_get(&a.v[i], "charged_elsewhere"),
			  a.v[i].payer[0] ? a.v[i].payer : "-");
	ktap_result(!bad, "%s: files: each of its %d objects equals the kpage oracle of its mappings, and they add up to its stat",
		    name, a.n);
	vma_set_free(&a);
	vma_set_free(&b);
}

/*
 * Everything both views of @name say, against the oracle, unexplained
 * against its bound, the summary against the stat, the files file, and
 * the sums over its processes. Seven TAP cases.
 */
static void check_against_oracle(const char *name, struct scenario *sc)
{
	struct mapped_view mv;
	struct charged_view cv;
	char dir[256];
	uint64_t inos[64];
	int ninos, bad = 0;
	long long unexplained, slack, bound;
	struct kv kv, again, lru;
	int try;

	snprintf(dir, sizeof(dir), CG "/%s", name);
	ninos = cgroup_inos(dir, inos, 64);
	/*
	 * Exact for a quiet cgroup: a page its processes' kernel side frees
	 * or allocates between the reads (seen once: one anonymous page) is
	 * no disagreement. The oracle counts between two equal reads.
	 */
	for (try = 0; try < 5; try++) {
		lru_drain_all();
		cg_stat(name, &kv);
		oracle_mapped(sc->pid, sc->n, inos, ninos, &mv);
		oracle_charged(inos, ninos, &cv);
		cg_stat_lru(name, &lru);
		cg_stat(name, &again);
		if (same_counters(&kv, &again))
			break;
		ktap_diag("%s: the cgroup changed while it was read: again", name);
	}

#define SAME(key, val) do {						\
		if (kv_get(&kv, key) != (val)) {			\
			ktap_diag("%s: %s %llu, oracle %llu", name, key,	\
				  kv_get(&kv, key), (unsigned long long)(val)); \
			bad++;						\
		}							\
	} while (0)
	SAME("rss_anon", mv.rss_anon);
	SAME("rss_file", mv.rss_file);
	SAME("rss_shmem", mv.rss_shmem);
	SAME("private", mv.private);
	SAME("shared_external", mv.shared_external);
	SAME("mapped_charged_elsewhere", mv.charged_elsewhere);
	SAME("charged_anon", cv.anon);
	SAME("charged_file_mapped", cv.file_mapped);
	SAME("charged_file_unmapped", cv.file_unmapped);
	SAME("charged_shmem", cv.shmem);
	SAME("charged_swapcache", cv.swapcache);
	SAME("charged_kernel_pages", cv.kernel);
	SAME("charged_other", 0ULL);
#undef SAME
	ktap_result(!bad, "%s: mapped and charged views equal the kpage oracle (rss %llu, charged anon %llu file %llu kernel %llu)",
		    name, kv_get(&kv, "rss"), cv.anon,
		    cv.file_mapped + cv.file_unmapped, cv.kernel);
	check_table_size(name, (mv.rss_anon + mv.rss_file + mv.rss_shmem) / PAGE);
	check_lru_view(name, &lru, &mv, &cv);
	check_process_sums(name, sc, &again);

	/* What memacct cannot see page by page: slab, percpu, sockets. */
	unexplained = (long long)kv_get(&kv, "unexplained");
	slack = unexplained - (long long)(memstat(name, "slab") +
					  memstat(name, "percpu") +
					  memstat(name, "sock"));
	bound = 2 * (long long)kv_get(&kv, "charge_batch_bound");
	ktap_result(slack >= -bound && slack <= bound,
		    "%s: unexplained %lld = slab+percpu+sock %+lld, within the bound %lld",
		    name, unexplained, slack, bound);
	check_summary(name, &kv);
	check_files(name, sc, inos, ninos);
}

/* The summary's line for @name: the same charged view as its stat. */
static void check_summary(const char *name, const struct kv *st)
{
	static const char *const cols[] = {
		"nr_processes", "memory_current", "charged_anon",
		"charged_file_mapped", "charged_file_unmapped", "charged_shmem",
		"charged_swapcache", "charged_kernel_pages", "charged_other",
		"charged_root_uncounted",
	};
	char *text = read_file(MEMACCT "/summary"), *line, *save = NULL;
	char want[64];
	int bad = -1, i;

	if (!text)
		ktap_bail("summary: %s", strerror(errno));
	snprintf(want, sizeof(want), "/mcs/%s ", name);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *p;

		if (strncmp(line, want, strlen(want)))
			continue;
		p = line + strlen(want);
		for (i = 0, bad = 0; i < (int)(sizeof(cols) / sizeof(cols[0])); i++) {
			unsigned long long v = strtoull(p, &p, 10);

			if (v != kv_get(st, cols[i])) {
				ktap_diag("summary %s: %s %llu, stat %llu", name,
					  cols[i], v, kv_get(st, cols[i]));
				bad++;
			}
		}
	}
	free(text);
	ktap_result(!bad, "%s: its summary line equals its stat's charged view",
		    name);
}

static void check_eq(const char *what, unsigned long long got,
		     unsigned long long want)
{
	ktap_result(got == want, "%s: %llu (expected %llu)", what, got, want);
}

/* ---- the cases ---- */

/*
 * A range query, for one TAP case. Ranges exist only on the writable task
 * file, which kernel lockdown forbids: the case is then skipped.
 */
static bool range_read(pid_t pid, const void *start, const void *end,
		       struct kv *kv)
{
	int ret = memacct_range_read(pid, start, end, kv);

	if (ret == -EPERM) {
		ktap_skip("range query: the task file is not writable under lockdown");
		return false;
	}
	if (ret)
		ktap_bail("range query: %s", strerror(-ret));
	return true;
}

/* @name's files row for @file: @bytes of it charged to @payer, the most. */
static void check_payer(const char *name, const char *file, const char *payer,
			unsigned long long bytes)
{
	const struct vma_row *r = NULL;
	struct vma_set set = { 0 };
	char path[256];
	int i;

	snprintf(path, sizeof(path), MEMACCT "/mcs/%s/files", name);
	if (memacct_files_read(path, &set))
		ktap_bail("%s: %s", path, strerror(errno));
	for (i = 0; i < set.n; i++)
		if (!strcmp(set.v[i].path, file))
			r = &set.v[i];
	ktap_result(r && vma_get(r, "rss_file") == bytes &&
		    vma_get(r, "charged_elsewhere") == bytes &&
		    vma_get(r, "payer_charged") == bytes &&
		    !strcmp(r->payer, payer) && vma_get(r, "processes") == 1,
		    "%s: files: %s, %llu bytes, all charged to %s, who pays most (%s: rss_file %llu, charged elsewhere %llu, to %s %llu)",
		    name, file, bytes, payer, r ? "found" : "no row",
		    r ? vma_get(r, "rss_file") : 0,
		    r ? vma_get(r, "charged_elsewhere") : 0,
		    r ? r->payer : "-", r ? vma_get(r, "payer_charged") : 0);
	vma_set_free(&set);
}

static void test_file_charged_elsewhere(void)
{
	struct scenario a, b;
	struct kv kv;

	make_cgroup("A", NULL);
	make_cgroup("B", NULL);
	wait_mirror("A");
	wait_mirror("B");
	scenario_start_in(&a, "reader_a", 1, CG "/A");
	scenario_start_in(&b, "mapper_b", 1, CG "/B");
	lru_drain_all();

	if (range_read(b.pid[0], REGION, REGION + 4 * MIB, &kv))
		check_eq("B's process: the 4 MiB file it maps is charged elsewhere",
			 kv_get(&kv, "charged_other"), 4 * MIB);
	ktap_result(cg_get("B", "mapped_charged_elsewhere") >= 4 * MIB,
		    "B: mapped_charged_elsewhere includes the file");
	check_eq("A: charged_mapped_outside_only is the file",
		 cg_get("A", "charged_mapped_outside_only"), 4 * MIB);
	ktap_result(cg_get("A", "charged_file_mapped") >= 4 * MIB,
		    "A: charged_file_mapped includes it");
	check_payer("B", SHARED_FILE, "/mcs/A", 4 * MIB);
	check_against_oracle("A", &a);
	check_against_oracle("B", &b);
	scenario_end(&b);
	scenario_end(&a);
	unlink(SHARED_FILE);
}

static void test_page_cache_unmapped(void)
{
	unsigned long long unmapped, rss, pss;
	struct scenario c;

	make_cgroup("C", NULL);
	wait_mirror("C");
	scenario_start_in(&c, "writer_c", 1, CG "/C");
	lru_drain_all();
	unmapped = cg_get("C", "charged_file_unmapped");
	rss = cg_get("C", "rss");
	pss = cg_get("C", "pss");
	scenario_step(&c, c.pid[0]);
	lru_drain_all();
	check_eq("C: 64 MiB written with write(): charged_file_unmapped grows by 64 MiB",
		 cg_get("C", "charged_file_unmapped") - unmapped, 64 * MIB);
	ktap_result(cg_get("C", "rss") == rss && cg_get("C", "pss") == pss,
		    "C: the process views (rss, pss) stay flat");
	check_against_oracle("C", &c);
	scenario_end(&c);
	unlink(BIG_FILE);
}

static void test_shared_by_three(void)
{
	unsigned long long sum_rss_anon = 0, sum_pss = 0;
	struct scenario d;
	struct kv kv;
	int i;

	make_cgroup("D", NULL);
	wait_mirror("D");
	scenario_start_in(&d, "share3_d", 3, CG "/D");
	lru_drain_all();
	for (i = 0; i < d.n; i++) {
		if (memacct_task_read(d.pid[i], &kv))
			ktap_bail("task %d", d.pid[i]);
		sum_rss_anon += kv_get(&kv, "rss_anon");
		sum_pss += kv_get(&kv, "pss");
	}
	cg_stat("D", &kv);
	check_eq("D: three processes", kv_get(&kv, "nr_processes"), 3);
	ktap_result(sum_rss_anon - kv_get(&kv, "rss_anon") >= 64 * MIB,
		    "D: rss_anon counts the shared 32 MiB once (processes sum %llu, cgroup %llu)",
		    sum_rss_anon, kv_get(&kv, "rss_anon"));
	/* One fixed-point sum, where each process's pss is truncated alone. */
	ktap_result(kv_get(&kv, "pss") >= sum_pss &&
		    kv_get(&kv, "pss") - sum_pss < (unsigned long long)d.n,
		    "D: pss %llu is the processes' pss summed (%llu), to the byte each",
		    kv_get(&kv, "pss"), sum_pss);
	ktap_result(kv_get(&kv, "private") >= 32 * MIB,
		    "D: private covers the 32 MiB (private %llu)",
		    kv_get(&kv, "private"));
	check_against_oracle("D", &d);
	scenario_end(&d);
}

static void test_jump(void)
{
	unsigned long long region = (JUMP_BYTES + PAGE - 1) / PAGE * PAGE;
	struct scenario e;
	struct kv kv, t;

	make_cgroup("E", "128M");
	wait_mirror("E");
	scenario_start_in(&e, "jump_e", 1, CG "/E");
	scenario_step(&e, e.pid[0]);
	lru_drain_all();
	if (range_read(e.pid[0], REGION, REGION + region, &t))
		ktap_result(kv_get(&t, "zero") == region &&
			    kv_get(&t, "cow_pending_zero") == region &&
			    kv_get(&t, "rss") == 0,
			    "E after reading: the 120,000,000 bytes are all zero page, all cow_pending_zero, none resident");
	cg_stat("E", &kv);
	ktap_result(kv_get(&kv, "cow_pending_zero") >= region &&
		    kv_get(&kv, "memory_current") < region / 8,
		    "E after reading: cgroup cow_pending_zero %llu covers it, memory.current %llu does not",
		    kv_get(&kv, "cow_pending_zero"), kv_get(&kv, "memory_current"));
	scenario_step(&e, e.pid[0]);
	lru_drain_all();
	if (range_read(e.pid[0], REGION, REGION + region, &t))
		ktap_result(kv_get(&t, "rss_anon") == region &&
			    kv_get(&t, "charged_own") == region &&
			    kv_get(&t, "zero") == 0,
			    "E after writing: the region is resident and charged to E");
	cg_stat("E", &kv);
	ktap_result(kv_get(&kv, "charged_anon") >= region &&
		    kv_get(&kv, "memory_current") >= region,
		    "E after writing: charged_anon %llu and memory.current %llu cover it",
		    kv_get(&kv, "charged_anon"), kv_get(&kv, "memory_current"));
	check_against_oracle("E", &e);
	scenario_end(&e);
}

/*
 * F: each page once. Lazily freed, both processes map the same 1792 KiB
 * (smaps counts it in each); the MiB the parent freed after the fork is
 * lazily freed in its smaps, but not for the cgroup: the child's entries
 * are dirty, and reclaim keeps it. Locked, the parent's 1 MiB, of which
 * smaps gives it half (the pages are shared) and the child nothing.
 */
static void test_lazyfree_locked(void)
{
	unsigned long long lazy = 2 * MIB - 256 * 1024;
	struct kv kv, r[2], again;
	struct scenario f;
	int i, try;

	make_cgroup("F", NULL);
	wait_mirror("F");
	scenario_start_in(&f, "lazy_f", 2, CG "/F");
	/* MADV_FREE takes effect when its LRU batch is drained. */
	lru_drain_all();
	/* Reclaim drops lazily freed pages: read between two equal reads. */
	for (try = 0; try < 5; try++) {
		for (i = 0; i < 2; i++)
			if (smaps_rollup_read(f.pid[i], &r[i]))
				ktap_bail("smaps_rollup of %d", f.pid[i]);
		cg_stat("F", &kv);
		if (smaps_rollup_read(f.pid[0], &again))
			ktap_bail("smaps_rollup of %d", f.pid[0]);
		if (kv_get(&again, "LazyFree") == kv_get(&r[0], "LazyFree"))
			break;
		ktap_diag("F: reclaimed while it was read: again");
	}
	/*
	 * The child reports first: f.pid[1] is the parent. The pages clean in
	 * both are the child's lazily freed ones (its last MiB is dirty), at
	 * most @lazy (less where a page was dirty or in the swap cache when
	 * freed, in a guest that swaps, or reclaimed since); the parent has
	 * more, its last MiB.
	 */
	ktap_result(kv_get(&kv, "lazyfree") == kv_get(&r[0], "LazyFree") &&
		    kv_get(&kv, "lazyfree") <= lazy &&
		    kv_get(&kv, "lazyfree") >= lazy / 2 &&
		    kv_get(&r[1], "LazyFree") >= kv_get(&kv, "lazyfree") + MIB / 2,
		    "F: lazyfree %llu is what is clean in both processes, once, of %llu (smaps LazyFree: child %llu, parent %llu with the MiB the child has dirty)",
		    kv_get(&kv, "lazyfree"), lazy, kv_get(&r[0], "LazyFree"),
		    kv_get(&r[1], "LazyFree"));
	ktap_result(kv_get(&kv, "locked") == MIB &&
		    kv_get(&r[1], "Locked") == MIB / 2 &&
		    kv_get(&r[0], "Locked") == 0,
		    "F: locked %llu is the parent's mlocked MiB, whole (smaps Locked: parent %llu, child %llu)",
		    kv_get(&kv, "locked"), kv_get(&r[1], "Locked"),
		    kv_get(&r[0], "Locked"));
	check_against_oracle("F", &f);
	scenario_end(&f);
}

/*
 * G: THPs that both processes map, one by a PMD, one by PTEs (a large
 * folio whose pages the second process's walk takes from their slots).
 * The LRU view counts each folio's charge where the walk first maps it,
 * and a folio the cgroup maps is never one it pays for that only others
 * map; both views agree. (The kpage oracle is not used: 6.1's kpagecgroup
 * charges THP tails to no one.)
 */
static void test_thp(void)
{
	static const char *const keys[] = {
		"charged_anon", "charged_shmem", "charged_swapcache",
		"charged_mapped_outside_only", "rss_anon", "private",
	};
	struct kv scan, lru, again;
	struct scenario g;
	uint64_t flags, flags2;
	size_t k;
	int try, bad = 0;

	if (!thp_available()) {
		ktap_skip("G: no transparent huge pages in this kernel");
		ktap_skip("G: no transparent huge pages in this kernel");
		return;
	}
	make_cgroup("G", NULL);
	wait_mirror("G");
	scenario_start_in(&g, "thp_g", 2, CG "/G");
	flags = kpage_flags_at(g.pid[0], REGION);
	flags2 = kpage_flags_at(g.pid[0], REGION + 2 * MIB + 2 * PAGE);
	for (try = 0; try < 5; try++) {
		lru_drain_all();
		cg_stat("G", &scan);
		cg_stat_lru("G", &lru);
		cg_stat("G", &again);
		if (same_counters(&scan, &again))
			break;
		ktap_diag("G: the cgroup changed while it was read: again");
	}
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		if (kv_get(&scan, keys[k]) == kv_get(&lru, keys[k]))
			continue;
		ktap_diag("G: %s: scan %llu, lru %llu", keys[k],
			  kv_get(&scan, keys[k]), kv_get(&lru, keys[k]));
		bad++;
	}
	ktap_result(!bad && (flags >> KPF_THP & 1) && (flags2 >> KPF_THP & 1) &&
		    !kv_get(&lru, "charged_mapped_outside_only") &&
		    kv_get(&lru, "charged_anon") >= THP_BYTES,
		    "G: THPs mapped by two processes, by a PMD and by PTEs: both views agree (charged anon %llu, mapped outside only %llu), THPs %s, %s",
		    kv_get(&lru, "charged_anon"),
		    kv_get(&lru, "charged_mapped_outside_only"),
		    flags >> KPF_THP & 1 ? "yes" : "no",
		    flags2 >> KPF_THP & 1 ? "yes" : "no");
	check_process_sums("G", &g, &again);
	scenario_end(&g);
}

/*
 * A page mapped more often than a slot counts: each cgroup's pss is its
 * process's, to the byte (one fixed-point sum each), and H shares the page
 * with I; then all of H against the oracle.
 */
static void test_wide(void)
{
	unsigned long long pss[2], own[2];
	struct scenario h, i;
	struct scenario *sc[2] = { &h, &i };
	const char *name[2] = { "H", "I" };
	struct kv kv;
	int k;

	make_cgroup("H", NULL);
	make_cgroup("I", NULL);
	wait_mirror("H");
	wait_mirror("I");
	make_file(WIDE_FILE, WIDE_PAGES * PAGE, 'w');
	scenario_start_in(&h, "wide_h", 1, CG "/H");
	scenario_start_in(&i, "wide_i", 1, CG "/I");
	lru_drain_all();
	for (k = 0; k < 2; k++) {
		if (memacct_task_read(sc[k]->pid[0], &kv))
			ktap_bail("task %d: %s", sc[k]->pid[0], strerror(errno));
		own[k] = kv_get(&kv, "pss");
		pss[k] = cg_get(name[k], "pss");
	}
	ktap_result(pss[0] == own[0] && pss[1] == own[1] &&
		    cg_get("H", "shared_external") >= WIDE_PAGES * PAGE,
		    "H, I: %d pages mapped %d times in H and %d in I: pss %llu and %llu, their processes' %llu and %llu; H shares them (shared_external %llu)",
		    WIDE_PAGES, WIDE_H, WIDE_I, pss[0], pss[1], own[0], own[1],
		    cg_get("H", "shared_external"));
	check_against_oracle("H", &h);
	scenario_end(&i);
	scenario_end(&h);
	unlink(WIDE_FILE);
}

int main(int argc, char **argv)
{
	const char *sub[] = { "A", "B", "C", "D", "E", "F", "G", "H", "I" };
	char path[256];
	int i;

	if (argc == 3 && !strcmp(argv[1], "--scenario"))
		return SCENARIO_RUN(scenarios, argv[2]);

	ktap_plan(69);
	quiesce_background();
	if (mkdir(CG, 0755) && errno != EEXIST)
		ktap_bail("mkdir " CG ": %s", strerror(errno));
	if (write_file(CG "/cgroup.subtree_control", "+memory"))
		ktap_bail("+memory in " CG);
	test_file_charged_elsewhere();
	test_page_cache_unmapped();
	test_shared_by_three();
	test_jump();
	test_lazyfree_locked();
	test_thp();
	test_wide();
	for (i = 0; i < 9; i++) {
		snprintf(path, sizeof(path), CG "/%s", sub[i]);
		rmdir(path);
	}
	rmdir(CG);
	return ktap_finish();
}
