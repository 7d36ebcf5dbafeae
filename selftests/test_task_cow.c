// SPDX-License-Identifier: GPL-2.0
/*
 * Constructed experiments with known answers: zero-page reads, writes,
 * fork and copy-on-write, private file mappings, a page mapped twice, THP
 * and the huge zero page. Each scenario maps its region at a fixed address
 * and stops after each step; the test asks memacct about that range only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kpage.h"
#include "ktap.h"
#include "kv.h"
#include "proc.h"

#define MIB (1UL << 20)
#define PAGE 4096UL
#define REGION ((char *)0x600000000000UL)	/* 2 MiB aligned */
#define LEN (4 * MIB)
#define COW_FILE "/data/cow.file"
#define CGROUP "/sys/fs/cgroup/memacct_cow"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static char *map_region(char *addr, size_t len, int prot, int flags, int fd)
{
	char *p = mmap(addr, len, prot, flags | MAP_FIXED_NOREPLACE, fd, 0);

	if (p != addr)
		_exit(121);
	return p;
}

static char *anon_region(int advice)
{
	char *p = map_region(REGION, LEN, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1);

	madvise(p, LEN, advice);
	return p;
}

/* ---- scenarios (fresh exec; each scenario_stop() is a step) ---- */

static void scenario_zero(void)
{
	char *p = anon_region(MADV_NOHUGEPAGE);

	scenario_stop();
	touch_read(p, LEN);
	scenario_stop();
	touch_write(p, LEN, 1);
	scenario_stop();
}

static void scenario_huge_zero(void)
{
	char *p = anon_region(MADV_HUGEPAGE);

	scenario_stop();
	touch_read(p, LEN);
	scenario_stop();
	p[0] = 1;		/* one write in each 2 MiB */
	p[2 * MIB] = 1;
	scenario_stop();
}

static void scenario_thp(void)
{
	char *p = anon_region(MADV_HUGEPAGE);

	scenario_stop();
	touch_write(p, LEN, 2);
	scenario_stop();
}

static void scenario_fork(void)
{
	char *p = anon_region(MADV_NOHUGEPAGE);
	pid_t child;

	scenario_stop();	/* moved into the test cgroup here */
	touch_write(p, LEN, 3);
	child = fork();
	if (child < 0)
		_exit(123);
	if (!child) {
		scenario_stop();
		touch_write(p, LEN / 2, 4);	/* copies half */
		scenario_stop();
		_exit(0);
	}
	waitpid(child, NULL, WUNTRACED);
	scenario_stop();
	touch_write(p, LEN, 6);		/* reuses or copies, page by page */
	scenario_stop();
	pause();
}

static void scenario_file_private(void)
{
	int fd = open(COW_FILE, O_RDWR);
	char *p;

	if (fd < 0)
		_exit(120);
	p = map_region(REGION, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
	scenario_stop();
	touch_read(p, LEN);
	scenario_stop();
	touch_write(p, LEN / 2, 5);
	scenario_stop();
}

static void scenario_twice(void)
{
	int fd = open(COW_FILE, O_RDWR);
	char *a, *b;

	if (fd < 0)
		_exit(120);
	a = map_region(REGION, PAGE, PROT_READ, MAP_SHARED, fd);
	b = map_region(REGION + 2 * MIB, PAGE, PROT_READ, MAP_SHARED, fd);
	touch_read(a, PAGE);
	touch_read(b, PAGE);
	scenario_stop();
}

/* Written in 64 KiB folios, then a child that exits: the parent's alone. */
static void scenario_mthp(void)
{
	char *p = anon_region(MADV_NORMAL);
	pid_t child;

	touch_write(p, LEN, 7);
	child = fork();
	if (child < 0)
		_exit(123);
	if (!child)
		_exit(0);
	waitpid(child, NULL, 0);
	scenario_stop();
	touch_write(p, LEN, 8);		/* reuses or copies */
	scenario_stop();
}

static const struct scenario_def scenarios[] = {
	{ "zero", scenario_zero },
	{ "huge_zero", scenario_huge_zero },
	{ "thp", scenario_thp },
	{ "fork", scenario_fork },
	{ "file_private", scenario_file_private },
	{ "twice", scenario_twice },
	{ "mthp", scenario_mthp },
};

/* ---- checks ---- */

struct expect {
	const char *key;
	unsigned long long val;
};

/* One TAP case: every listed counter of the range has its expected value. */
static void check_range(const char *what, pid_t pid, char *start, size_t len,
			const struct expect *e)
{
	struct kv kv;
	int bad = 0;

	lru_drain_all();
	if (memacct_range_read(pid, start, start + len, &kv))
		ktap_bail("%s: query: %s", what, strerror(errno));
	for (; e->key; e++) {
		unsigned long long v = kv_get(&kv, e->key);

		if (v != e->val) {
			ktap_diag("%s: %s is %llu, expected %llu", what, e->key,
				  v, e->val);
			bad++;
		}
	}
	ktap_result(!bad, "%s", what);
}

static void test_zero(void)
{
	struct scenario sc;
	pid_t p;

	scenario_start(&sc, "zero", 1);
	p = sc.pid[0];
	check_range("zero: untouched: nothing resident", p, REGION, LEN,
		    (struct expect[]){ { "vsz", LEN }, { "rss", 0 },
				       { "zero", 0 }, { "cow_pending", 0 },
				       { NULL } });
	scenario_step(&sc, p);
	check_range("zero: after reading 1024 pages: all zero page, all cow_pending_zero, rss 0",
		    p, REGION, LEN,
		    (struct expect[]){ { "rss", 0 }, { "zero", LEN },
				       { "cow_pending_zero", LEN },
				       { "cow_pending", LEN },
				       { "charged_own", 0 }, { NULL } });
	scenario_step(&sc, p);
	check_range("zero: after writing them: rss_anon 4 MiB, zero 0, cow_pending 0",
		    p, REGION, LEN,
		    (struct expect[]){ { "rss", LEN }, { "rss_anon", LEN },
				       { "uss", LEN }, { "zero", 0 },
				       { "cow_pending", 0 },
				       { "private_dirty", LEN }, { NULL } });
	scenario_end(&sc);
}

/* The page frame numbers behind @n pages at @addr (/proc/PID/pagemap). */
static void pfns(pid_t pid, const char *addr, size_t n, unsigned long long *out)
{
	char path[64];
	size_t i;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || pread(fd, out, n * 8, (unsigned long)addr / PAGE * 8) !=
	    (ssize_t)(n * 8))
		ktap_bail("%s: %s", path, strerror(errno));
	close(fd);
	for (i = 0; i < n; i++) {
		if (!(out[i] >> 63))
			ktap_bail("pagemap: page %zu of %d not present", i, pid);
		out[i] &= (1ULL << 55) - 1;
	}
}

/* Bit @flag of /proc/kpageflags for the page mapped at @addr in @pid. */
static bool page_flag(pid_t pid, const char *addr, int flag)
{
	return kpage_flags_at(pid, addr) >> flag & 1;
}

static void test_huge_zero(void)
{
	unsigned long r, splits = 0, anon = 0, zero = 0;
	struct scenario sc;
	pid_t p;

	scenario_start(&sc, "huge_zero", 1);
	p = sc.pid[0];
	scenario_step(&sc, p);
	check_range("huge_zero: read of a THP-enabled region maps the huge zero page in full",
		    p, REGION, LEN,
		    (struct expect[]){ { "rss", 0 }, { "zero", LEN },
				       { "cow_pending_zero", LEN },
				       { "anon_thp", 0 }, { NULL } });
	scenario_step(&sc, p);
	/*
	 * A write to the huge zero PMD either splits it and copies one 4 KiB
	 * page (6.x), or maps a new THP in its place (7.x, when one can be
	 * allocated; khugepaged may also collapse a split one): the kernel's
	 * own kpageflags for the page next to each written one tells which
	 * happened to that 2 MiB.
	 */
	for (r = 0; r < LEN; r += 2 * MIB) {
		bool split = page_flag(p, REGION + r + PAGE, KPF_ZERO_PAGE);

		splits += split;
		anon += split ? PAGE : 2 * MIB;
		zero += split ? 2 * MIB - PAGE : 0;
	}
	ktap_diag("huge_zero: %lu of %lu huge zero PMDs split", splits,
		  LEN / (2 * MIB));
	check_range("huge_zero: one write per 2 MiB: split and one page copied, or a THP in its place",
		    p, REGION, LEN,
		    (struct expect[]){ { "rss_anon", anon },
				       { "anon_thp", LEN - splits * 2 * MIB },
				       { "zero", zero },
				       { "cow_pending_zero", zero },
				       { "cow_pending", zero },
				       { NULL } });
	scenario_end(&sc);
}

static void test_thp(void)
{
	struct scenario sc;
	pid_t p;

	scenario_start(&sc, "thp", 1);
	p = sc.pid[0];
	scenario_step(&sc, p);
	check_range("thp: written THP region counted in full", p, REGION, LEN,
		    (struct expect[]){ { "anon_thp", LEN }, { "rss_anon", LEN },
				       { "uss", LEN }, { "pss", LEN },
				       { "cow_pending", 0 }, { NULL } });
	scenario_end(&sc);
}

static void test_fork(void)
{
	static unsigned long long before[LEN / PAGE], after[LEN / PAGE];
	bool cg = !mkdir(CGROUP, 0755) || errno == EEXIST;
	unsigned long i, copied;
	struct scenario sc;
	char pidbuf[16];
	pid_t parent, child;

	scenario_start(&sc, "fork", 1);
	parent = sc.pid[0];
	/* Its pages are charged to the test cgroup from here on. */
	snprintf(pidbuf, sizeof(pidbuf), "%d", parent);
	if (!cg || write_file(CGROUP "/cgroup.procs", pidbuf))
		ktap_bail("cannot move %d into " CGROUP, parent);
	if (kill(parent, SIGCONT))
		ktap_bail("SIGCONT");
	/* The child reports first (it stops before the parent does). */
	child = scenario_wait_report(&sc);
	if (scenario_wait_report(&sc) != parent)
		ktap_bail("fork: unexpected report order");
	sc.pid[sc.n++] = child;

	check_range("fork: parent: all 1024 written pages shared and cow_pending_anon",
		    parent, REGION, LEN,
		    (struct expect[]){ { "rss_anon", LEN },
				       { "cow_pending_anon", LEN },
				       { "shared_dirty", LEN }, { "uss", 0 },
				       { "pss", LEN / 2 },
				       { "charged_own", LEN },
				       { "charged_other", 0 }, { NULL } });
	check_range("fork: child: the same", child, REGION, LEN,
		    (struct expect[]){ { "rss_anon", LEN },
				       { "cow_pending_anon", LEN },
				       { "shared_dirty", LEN }, { "uss", 0 },
				       { "pss", LEN / 2 },
				       { "charged_own", LEN }, { NULL } });
	scenario_step(&sc, child);
	check_range("fork: child wrote half: child cow_pending_anon half",
		    child, REGION, LEN,
		    (struct expect[]){ { "cow_pending_anon", LEN / 2 },
				       { "uss", LEN / 2 }, { "shared", LEN / 2 },
				       { "pss", LEN / 2 + LEN / 4 },
				       { NULL } });
	check_range("fork: parent: cow_pending_anon half (its copies are its own again)",
		    parent, REGION, LEN,
		    (struct expect[]){ { "cow_pending_anon", LEN / 2 },
				       { "uss", LEN / 2 }, { "shared", LEN / 2 },
				       { NULL } });
	/* The kernel's own answer: which pages does a write really copy? */
	pfns(parent, REGION, LEN / PAGE, before);
	scenario_step(&sc, parent);
	pfns(parent, REGION, LEN / PAGE, after);
	for (i = 0, copied = 0; i < LEN / PAGE; i++)
		copied += before[i] != after[i];
	ktap_result(copied * PAGE == LEN / 2,
		    "fork: parent writes all: the kernel copied %lu bytes, cow_pending_anon said %lu",
		    copied * PAGE, LEN / 2);
	scenario_end(&sc);
	rmdir(CGROUP);
}

static void test_file_private(void)
{
	struct scenario sc;
	pid_t p;

	scenario_start(&sc, "file_private", 1);
	p = sc.pid[0];
	scenario_step(&sc, p);
	check_range("file_private: read of a MAP_PRIVATE file: all cow_pending_file",
		    p, REGION, LEN,
		    (struct expect[]){ { "rss_file", LEN }, { "rss_anon", 0 },
				       { "cow_pending_file", LEN },
				       { "cow_pending", LEN }, { NULL } });
	scenario_step(&sc, p);
	check_range("file_private: half written: moved to anon, half still pending",
		    p, REGION, LEN,
		    (struct expect[]){ { "rss_file", LEN / 2 },
				       { "rss_anon", LEN / 2 },
				       { "cow_pending_file", LEN / 2 },
				       { "cow_pending_anon", 0 }, { NULL } });
	scenario_end(&sc);
}

static void test_twice(void)
{
	struct scenario sc;
	pid_t p;

	scenario_start(&sc, "twice", 1);
	p = sc.pid[0];
	check_range("twice: a page mapped twice in one process is shared, pss half",
		    p, REGION, PAGE,
		    (struct expect[]){ { "rss", PAGE }, { "uss", 0 },
				       { "shared", PAGE }, { "pss", PAGE / 2 },
				       { NULL } });
	scenario_end(&sc);
}

#define MTHP "/sys/kernel/mm/transparent_hugepage/hugepages-"

/* The bracketed choice of a THP policy file, to put it back later. */
static void policy_get(const char *path, char *buf, size_t len)
{
	char *s = read_file(path), *a = s ? strchr(s, '[') : NULL;
	char *b = a ? strchr(a, ']') : NULL;

	snprintf(buf, len, "%.*s", b ? (int)(b - a - 1) : 0, b ? a + 1 : "");
	free(s);
}

/*
 * After fork and the child's exit, a large anonymous folio is mapped by
 * the parent alone: 7.x reuses it whole on a write (its MM_ID rule), 6.12
 * copies every page of it. Whichever the running kernel does, the pages
 * the write really copies (pagemap before and after) must be
 * cow_pending_anon before it.
 */
static void test_mthp(void)
{
	static unsigned long long before[LEN / PAGE], after[LEN / PAGE];
	char old64[32], old2m[32];
	unsigned long i, copied;
	struct scenario sc;
	struct kv kv;
	pid_t p;

	policy_get(MTHP "64kB/enabled", old64, sizeof(old64));
	policy_get(MTHP "2048kB/enabled", old2m, sizeof(old2m));
	if (!*old64 || write_file(MTHP "64kB/enabled", "always") ||
	    write_file(MTHP "2048kB/enabled", "never")) {
		ktap_skip("mthp: no 64 KiB anonymous THP in this kernel");
		ktap_skip("mthp: no 64 KiB anonymous THP in this kernel");
		return;
	}
	scenario_start(&sc, "mthp", 1);
	p = sc.pid[0];
	/* Heads every 64 KiB, tails between: folios of 64 KiB. */
	if (!page_flag(p, REGION, KPF_THP) ||
	    !page_flag(p, REGION + 16 * PAGE, KPF_COMPOUND_HEAD) ||
	    !page_flag(p, REGION + PAGE, KPF_COMPOUND_TAIL)) {
		ktap_skip("mthp: the kernel gave no 64 KiB folio");
		ktap_skip("mthp: the kernel gave no 64 KiB folio");
		goto out;
	}
	lru_drain_all();
	if (memacct_range_read(p, REGION, REGION + LEN, &kv))
		ktap_bail("mthp: query: %s", strerror(errno));
	ktap_result(kv_get(&kv, "rss_anon") == LEN && kv_get(&kv, "uss") == LEN,
		    "mthp: after the child's exit all %lu bytes are the parent's (rss_anon %llu, uss %llu)",
		    LEN, kv_get(&kv, "rss_anon"), kv_get(&kv, "uss"));
	pfns(p, REGION, LEN / PAGE, before);
	scenario_step(&sc, p);
	pfns(p, REGION, LEN / PAGE, after);
	for (i = 0, copied = 0; i < LEN / PAGE; i++)
		copied += before[i] != after[i];
	ktap_result(copied * PAGE == kv_get(&kv, "cow_pending_anon"),
		    "mthp: the write copied %lu bytes, cow_pending_anon said %llu",
		    copied * PAGE, kv_get(&kv, "cow_pending_anon"));
out:
	scenario_end(&sc);
	write_file(MTHP "64kB/enabled", old64);
	write_file(MTHP "2048kB/enabled", old2m);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--scenario"))
		return SCENARIO_RUN(scenarios, argv[2]);

	ktap_plan(16);
	quiesce_background();
	make_file(COW_FILE, LEN, 'c');
	test_zero();
	if (thp_available()) {
		test_huge_zero();
		test_thp();
	} else {
		ktap_skip("huge_zero: no transparent huge pages in this kernel");
		ktap_skip("huge_zero: no transparent huge pages in this kernel");
		ktap_skip("thp: no transparent huge pages in this kernel");
	}
	test_fork();
	test_file_private();
	test_twice();
	test_mthp();
	unlink(COW_FILE);
	return ktap_finish();
}
