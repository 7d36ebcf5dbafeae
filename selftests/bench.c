// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: memacct against every other way to get the same numbers,
 * measured in one boot, as ratios (they hold on a noisy machine) and as
 * nanoseconds per mapped page. Prints a Markdown report between "@@md"
 * and "@@end"; scripts/bench.sh writes it to docs/performance.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"
#include "kv.h"
#include "proc.h"

#define MIB (1UL << 20)
#define PAGE 4096UL
#define M "/sys/kernel/debug/memacct"
#define CG "/sys/fs/cgroup/bench"
#define CG2 "/sys/fs/cgroup/bench2"
#define CG_LK "/sys/fs/cgroup/bench_lk"
#define SHARED_FILE "/data/bench.shared"
#define NPROC 100
#define CG_SC "/sys/fs/cgroup/bench_sc"
#define CG_FILL "/sys/fs/cgroup/bench_fill"
#define LRU_VIEW "/sys/module/memacct/parameters/lru_view"

static int runs = 5;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of @n timings of @fn(@arg), in seconds. */
static double median(double (*fn)(void *), void *arg, int n)
{
	double t[16];
	int i;

	for (i = 0; i < n; i++)
		t[i] = fn(arg);
	qsort(t, n, sizeof(t[0]), cmp_double);
	return t[n / 2];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- the ways to read one process ---- */

struct target {
	pid_t pid;
	unsigned long pages;	/* mapped pages, from smaps Rss */
};

static size_t drain_fd(int fd)
{
	static char buf[1 << 20];
	size_t total = 0;
	ssize_t r;

	while ((r = read(fd, buf, sizeof(buf))) > 0)
		total += r;
	return total;
}

static double t_memacct(void *arg)
{
	struct target *t = arg;
	char q[32];
	double t0 = now();
	int fd = open(M "/task", O_RDWR);

	snprintf(q, sizeof(q), "%d", t->pid);
	if (fd < 0 || write(fd, q, strlen(q)) < 0)
		ktap_bail("memacct task: %s", strerror(errno));
	drain_fd(fd);
	close(fd);
	return now() - t0;
}

static double t_proc(const char *name, pid_t pid)
{
	char path[64];
	double t0 = now();
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		ktap_bail("%s: %s", path, strerror(errno));
	drain_fd(fd);
	close(fd);
	return now() - t0;
}

static double t_rollup(void *arg)
{
	return t_proc("smaps_rollup", ((struct target *)arg)->pid);
}

/* smaps, read whole and its Rss and Pss lines summed (smem's other way). */
static double t_smaps(void *arg)
{
	char path[64];
	double t0 = now();
	unsigned long long rss = 0, pss = 0;
	char *text, *l;

	snprintf(path, sizeof(path), "/proc/%d/smaps", ((struct target *)arg)->pid);
	text = read_file(path);
	if (!text)
		ktap_bail("%s", path);
	for (l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (!strncmp(l, "Rss:", 4))
			rss += strtoull(l + 4, NULL, 10);
		else if (!strncmp(l, "Pss:", 4))
			pss += strtoull(l + 4, NULL, 10);
	}
	free(text);
	if (!rss && !pss)
		ktap_bail("smaps summed to nothing");
	return now() - t0;
}

/*
 * The userspace route, as fast as it goes: pagemap read a VMA at a time in
 * big chunks, then kpagecount and kpageflags read in bulk over the span of
 * PFNs found (not one pread per page), then the private/shared split and
 * PSS computed from the mapcounts. @pids: the processes; @dedup: count
 * each page once (the cgroup question).
 */
struct route_result {
	unsigned long long rss, priv, shared;
};

static void userspace_route(const pid_t *pids, int n, struct route_result *res)
{
	uint64_t *pfns = NULL, *cnt = NULL, lo = UINT64_MAX, hi = 0;
	size_t np = 0, cap = 0, i, j;
	static uint64_t buf[1 << 16];
	int k, fd;

	for (k = 0; k < n; k++) {
		char path[64], line[512];
		FILE *maps;
		int pm;

		snprintf(path, sizeof(path), "/proc/%d/maps", pids[k]);
		maps = fopen(path, "r");
		snprintf(path, sizeof(path), "/proc/%d/pagemap", pids[k]);
		pm = open(path, O_RDONLY);
		if (!maps || pm < 0)
			ktap_bail("%s", path);
		while (fgets(line, sizeof(line), maps)) {
			unsigned long long s, e, a;

			if (sscanf(line, "%llx-%llx", &s, &e) != 2 ||
			    strstr(line, "[vvar") || strstr(line, "[vsyscall]"))
				continue;
			for (a = s; a < e; a += (sizeof(buf) / 8) * PAGE) {
				size_t c = (e - a) / PAGE;
				ssize_t r;

				if (c > sizeof(buf) / 8)
					c = sizeof(buf) / 8;
				r = pread(pm, buf, c * 8, a / PAGE * 8);
				for (i = 0; r > 0 && i < (size_t)r / 8; i++) {
					uint64_t pfn = buf[i] & ((1ULL << 55) - 1);

					if (!(buf[i] >> 63))
						continue;
					if (np == cap) {
						cap = cap ? cap * 2 : 1 << 20;
						pfns = realloc(pfns, cap * 8);
						if (!pfns)
							ktap_bail("oom");
					}
					pfns[np++] = pfn;
					lo = pfn < lo ? pfn : lo;
					hi = pfn > hi ? pfn : hi;
				}
			}
		}
		fclose(maps);
		close(pm);
	}
	memset(res, 0, sizeof(*res));
	if (!np)
		return;
	/* kpagecount over the whole span, in one go. */
	cnt = malloc((hi - lo + 1) * 8);
	fd = open("/proc/kpagecount", O_RDONLY);
	if (!cnt || fd < 0 ||
	    pread(fd, cnt, (hi - lo + 1) * 8, lo * 8) != (ssize_t)((hi - lo + 1) * 8))
		ktap_bail("kpagecount: %s", strerror(errno));
	close(fd);
	qsort(pfns, np, 8, cmp_u64);
	for (i = 0; i < np; i = j) {
		uint64_t mc = cnt[pfns[i] - lo];

		for (j = i; j < np && pfns[j] == pfns[i]; j++)
			;
		res->rss += PAGE;
		if (j - i >= mc)
			res->priv += PAGE;
		else
			res->shared += PAGE;
	}
	free(cnt);
	free(pfns);
}

static double t_route(void *arg)
{
	struct target *t = arg;
	struct route_result r;
	double t0 = now();

	userspace_route(&t->pid, 1, &r);
	return now() - t0;
}

/* ---- targets ---- */

static void target_main(unsigned long mib, int thp)
{
	char *p = map_aligned(mib * MIB);

	madvise(p, mib * MIB, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	touch_write(p, mib * MIB, 1);
	scenario_stop();
	pause();
}

/*
 * The scale case: @n processes (this one and @n - 1 children), each with
 * @kib of its own anonymous memory in 4 KiB pages, then stopped.
 */
static void scale_main(unsigned long kib, int n)
{
	char *p;

	while (--n > 0 && fork())
		;
	p = map_aligned(kib << 10);
	madvise(p, kib << 10, MADV_NOHUGEPAGE);
	touch_write(p, kib << 10, 4);
	scenario_stop();
	pause();
}

/* The cgroup case: a shared file mapping and forked anonymous memory. */
static void share_main(void)
{
	int fd = open(SHARED_FILE, O_RDONLY), i;
	char *f = mmap(NULL, 64 * MIB, PROT_READ, MAP_SHARED, fd, 0);
	char *a = map_aligned(64 * MIB);

	if (fd < 0 || f == MAP_FAILED)
		_exit(120);
	touch_read(f, 64 * MIB);
	madvise(a, 64 * MIB, MADV_NOHUGEPAGE);
	touch_write(a, 64 * MIB, 2);
	for (i = 1; i < NPROC; i++) {
		pid_t c = fork();

		if (!c) {
			touch_write(a, MIB, 3);	/* a little of its own */
			scenario_stop();
			pause();
			_exit(0);
		}
		waitpid(c, NULL, WUNTRACED);
	}
	scenario_stop();
	pause();
}

static unsigned long rss_pages(pid_t pid)
{
	struct kv kv;

	if (smaps_rollup_read(pid, &kv))
		ktap_bail("smaps_rollup %d", pid);
	return kv_get(&kv, "Rss") / PAGE;
}

static long internals(const char *key)
{
	char *s = read_file(M "/internals"), *p;
	long v;

	p = s ? strstr(s, key) : NULL;
	v = p ? atol(p + strlen(key) + 1) : -1;
	free(s);
	return v;
}

/* The worst ratio seen against smaps_rollup, for the goals line. */
static double worst_vs_rollup;

static void per_process(FILE *md, unsigned long mib, int thp)
{
	struct scenario sc;
	struct target t;
	char name[32];
	double m, r, s, u;
	int n = mib >= 4096 ? 3 : runs;

	snprintf(name, sizeof(name), "anon:%lu:%d", mib, thp);
	scenario_start(&sc, name, 1);
	t.pid = sc.pid[0];
	t.pages = rss_pages(t.pid);
	m = median(t_memacct, &t, n);
	r = median(t_rollup, &t, n);
	s = median(t_smaps, &t, n);
	u = median(t_route, &t, n);
	fprintf(md, "| %lu MiB, THP %s | %lu | %.2f ms (%.0f ns/page) | %.2f ms | %.2f ms | %.2f ms | **%.2fx** | %.2fx | %.2fx |\n",
		mib, thp ? "on" : "off", t.pages, m * 1e3, m * 1e9 / t.pages,
		r * 1e3, s * 1e3, u * 1e3, m / r, m / s, m / u);
	fflush(md);
	/* THP-backed processes take well under a millisecond: too short to
	 * compare, and not what the goal is about. */
	if (!thp && m / r > worst_vs_rollup)
		worst_vs_rollup = m / r;
	scenario_end(&sc);
}

static double t_cg_stat(void *arg)
{
	double t0 = now();
	char *s = read_file(arg);

	if (!s)
		ktap_bail("%s: %s", (char *)arg, strerror(errno));
	free(s);
	return now() - t0;
}

/* The phases of the last cgroup read, as one Markdown row's cells. */
static void profile_cells(char *buf, size_t len)
{
	double total = internals("last_read_total_ns");
	double walk = internals("last_read_walk_ns");
	double grow = internals("last_read_grow_ns");
	double fin = internals("last_read_finish_ns");
	double chg = internals("last_read_charged_ns");

	if (total <= 0)
		total = 1;
	snprintf(buf, len, "%.2f ms | %.0f%% | %.0f%% | %.0f%% | %.0f%%",
		 total / 1e6, 100 * (walk - grow) / total, 100 * grow / total,
		 100 * fin / total, 100 * chg / total);
}

/* A stat read with the charged view @view ("0" scan, "1" lru, the default). */
static double t_cg_stat_view(void *arg, const char *view)
{
	double t;

	if (write_file(LRU_VIEW, view))
		ktap_bail(LRU_VIEW);
	t = t_cg_stat(arg);
	write_file(LRU_VIEW, "1");
	return t;
}

static double t_cg_stat_lru(void *arg)
{
	return t_cg_stat_view(arg, "1");
}

static double t_cg_stat_scan(void *arg)
{
	return t_cg_stat_view(arg, "0");
}

struct pids {
	pid_t *pid;
	int n;
};

static double t_rollup_loop(void *arg)
{
	struct pids *p = arg;
	double t0 = now();
	int i;

	for (i = 0; i < p->n; i++)
		t_proc("smaps_rollup", p->pid[i]);
	return now() - t0;
}

/* Every member's smaps, read whole: the per-mapping view the kernel has. */
static double t_smaps_loop(void *arg)
{
	struct pids *p = arg;
	double t0 = now();
	int i;

	for (i = 0; i < p->n; i++)
		t_proc("smaps", p->pid[i]);
	return now() - t0;
}

/* The userspace route to the cgroup's answer: dedup over all members, and
 * the charged view from kpagecgroup + kpageflags read whole. */
static double t_cg_route(void *arg)
{
	struct pids *p = arg;
	struct route_result r;
	static uint64_t f[1 << 16], c[1 << 16];
	unsigned long long charged = 0;
	double t0 = now();
	int fl = open("/proc/kpageflags", O_RDONLY);
	int cg = open("/proc/kpagecgroup", O_RDONLY);
	struct stat st;
	uint64_t pfn = 0;
	ssize_t n;

	userspace_route(p->pid, p->n, &r);
	if (stat(CG, &st) || fl < 0 || cg < 0)
		ktap_bail("kpage files");
	while ((n = pread(fl, f, sizeof(f), pfn * 8)) > 0) {
		size_t i;

		if (pread(cg, c, n, pfn * 8) != n)
			break;
		for (i = 0; i < (size_t)n / 8; i++)
			if (c[i] == st.st_ino && !(f[i] & (1ULL << 7)))
				charged += PAGE;
		pfn += n / 8;
	}
	close(fl);
	close(cg);
	if (!charged || !r.rss)
		ktap_bail("the userspace route found nothing");
	return now() - t0;
}

/* The 64 MiB file the share scenario maps. */
static void make_shared_file(void)
{
	char buf[64 * 1024];
	int fd, i;

	fd = open(SHARED_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600);
	memset(buf, 'b', sizeof(buf));
	for (i = 0; i < 1024; i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			ktap_bail("write");
	close(fd);
}

static void per_cgroup(FILE *md)
{
	char stat_path[] = M "/bench/stat";
	struct scenario sc;
	struct pids p;
	double m, ml, r, u, sum, all, fm, mm, sm;
	char cells[128];
	int i, nsub = 20;
	long hold;

	make_shared_file();
	mkdir(CG, 0755);
	for (i = 0; i < 300 && access(stat_path, R_OK); i++)
		usleep(10000);
	scenario_start_in(&sc, "share", NPROC, CG);
	p.pid = sc.pid;
	p.n = sc.n;
	m = median(t_cg_stat_scan, stat_path, runs);
	ml = median(t_cg_stat_lru, stat_path, runs);
	profile_cells(cells, sizeof(cells));
	r = median(t_rollup_loop, &p, runs);
	u = median(t_cg_route, &p, runs);
	fprintf(md, "| %d processes: 64 MiB shared file + 64 MiB forked anon, scan view | %.1f ms | %.1f ms | %.1f ms | **%.2fx** | **%.1fx faster** |\n",
		NPROC, m * 1e3, r * 1e3, u * 1e3, m / r, u / m);
	fprintf(md, "| the same, lru view (the default) | %.1f ms | | | **%.2fx** | **%.1fx faster** |\n",
		ml * 1e3, ml / r, u / ml);
	fprintf(md, "\nGoals: a cgroup stat no slower than the smaps_rollup loop: scan view %s (%.2fx), lru view %s (%.2fx); at least 10x faster than the userspace route: scan view %s (%.1fx), lru view %s (%.1fx).\n",
		m / r <= 1.0 ? "met" : "missed", m / r,
		ml / r <= 1.0 ? "met" : "missed", ml / r,
		u / m >= 10 ? "met" : "missed", u / m,
		u / ml >= 10 ? "met" : "missed", u / ml);
	fprintf(md, "\n| the last lru read | read | page tables | table growth | table totals | charged view |\n|---|---|---|---|---|---|\n| | %s |\n",
		cells);

	/* The per-mapping views against the kernel's: every member's smaps. */
	fm = median(t_cg_stat, M "/bench/files", runs);
	mm = median(t_cg_stat, M "/bench/maps", runs);
	sm = median(t_smaps_loop, &p, runs);
	fprintf(md, "\n| %d processes | files (by object, each page once) | maps (every mapping) | smaps of every member | files / smaps | maps / smaps |\n|---|---|---|---|---|---|\n| | %.1f ms | %.1f ms | %.1f ms | **%.2fx** | **%.2fx** |\n",
		NPROC, fm * 1e3, mm * 1e3, sm * 1e3, fm / sm, mm / sm);
	fprintf(md, "\nGoal: files and maps within 1.5x of every member's smaps: files %s, maps %s.\n",
		fm / sm <= 1.5 ? "met" : "missed", mm / sm <= 1.5 ? "met" : "missed");

	/* The summary against every cgroup's stat, one by one (a parent
	 * with processes cannot have memory-controlled children). */
	mkdir(CG2, 0755);
	write_file(CG2 "/cgroup.subtree_control", "+memory");
	for (i = 0; i < nsub; i++) {
		char d[64];

		snprintf(d, sizeof(d), CG2 "/c%d", i);
		mkdir(d, 0755);
	}
	usleep(1500 * 1000);
	{
		double t0 = now();
		char path[128];

		for (i = 0; i < nsub; i++) {
			snprintf(path, sizeof(path), M "/bench2/c%d/stat", i);
			t_cg_stat(path);
		}
		t_cg_stat(stat_path);
		t_cg_stat(M "/bench2/stat");
		t_cg_stat(M "/stat");
		sum = now() - t0;
	}
	all = median(t_cg_stat, M "/summary", runs);
	fprintf(md, "\n| all %d cgroups | summary (one pass) | every stat, one by one | ratio |\n|---|---|---|---|\n",
		nsub + 3);
	fprintf(md, "| | %.1f ms | %.1f ms | **%.1fx faster** |\n", all * 1e3,
		sum * 1e3, sum / all);
	for (i = 0; i < nsub; i++) {
		char d[64];

		snprintf(d, sizeof(d), CG2 "/c%d", i);
		rmdir(d);
	}
	rmdir(CG2);
	hold = internals("max_mmap_lock_hold_ns");
	fprintf(md, "\nLongest mmap-lock hold of any walk in this boot so far: %.2f ms.\n",
		hold / 1e6);
	scenario_end(&sc);
	rmdir(CG);
	unlink(SHARED_FILE);
}

/*
 * Under lockdown the task file cannot be written: the reader reads the
 * pid's cgroup from /proc/PID/cgroup, then that cgroup's tasks file, and
 * picks the row. Timed here as the reader does it.
 */
static double t_cg_tasks(void *arg)
{
	struct target *t = arg;
	char path[64], key[32], *cg, *rows;
	double t0 = now();

	snprintf(path, sizeof(path), "/proc/%d/cgroup", t->pid);
	cg = read_file(path);
	rows = read_file(M "/bench_lk/tasks");
	snprintf(key, sizeof(key), "\n%d ", t->pid);
	if (!cg || !strstr(cg, "/bench_lk") || !rows || !strstr(rows, key))
		ktap_bail("bench_lk/tasks has no row for %d", t->pid);
	free(cg);
	free(rows);
	return now() - t0;
}

static double t_all_tasks(void *arg)
{
	struct target *t = arg;
	double t0 = now();
	char key[32], *rows = read_file(M "/tasks");

	snprintf(key, sizeof(key), "\n%d ", t->pid);
	if (!rows || !strstr(rows, key))
		ktap_bail("tasks has no row for %d", t->pid);
	free(rows);
	return now() - t0;
}

/* One process's answer by each route, with NPROC others on the machine. */
static void per_pid_routes(FILE *md)
{
	struct scenario others, sc;
	struct target t;
	double w, c, a, r;
	int i;

	make_shared_file();
	mkdir(CG, 0755);
	mkdir(CG_LK, 0755);
	for (i = 0; i < 300 && access(M "/bench_lk/tasks", R_OK); i++)
		usleep(10000);
	scenario_start_in(&others, "share", NPROC, CG);
	scenario_start_in(&sc, "anon:256:0", 1, CG_LK);
	t.pid = sc.pid[0];
	w = median(t_memacct, &t, runs);
	c = median(t_cg_tasks, &t, runs);
	a = median(t_all_tasks, &t, runs);
	r = median(t_rollup, &t, runs);
	fprintf(md, "| 256 MiB process alone in its cgroup, %d others elsewhere | %.2f ms | %.2f ms | %.1f ms | %.2f ms | **%.2fx** | **%.1fx faster** |\n",
		NPROC, w * 1e3, c * 1e3, a * 1e3, r * 1e3, c / w, a / c);
	scenario_end(&sc);
	scenario_end(&others);
	rmdir(CG_LK);
	rmdir(CG);
	unlink(SHARED_FILE);
}

/* Minor faults of @pid so far: field 10 of /proc/PID/stat. */
static unsigned long minflt(pid_t pid)
{
	char path[64], *s;
	unsigned long f = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	s = read_file(path);
	if (!s || sscanf(strrchr(s, ')') + 2,
			 "%*c %*d %*d %*d %*d %*d %*u %lu", &f) != 1)
		ktap_bail("%s", path);
	free(s);
	return f;
}

/* A process faulting and mmapping, with and without memacct scanning it. */
static void faulter(void)
{
	char *big = map_aligned(1024 * MIB);

	madvise(big, 1024 * MIB, MADV_NOHUGEPAGE);
	touch_write(big, 1024 * MIB, 1);
	scenario_stop();
	for (;;) {
		char *q = mmap(NULL, 256 * 1024, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		touch_write(q, 256 * 1024, 1);
		munmap(q, 256 * 1024);
	}
}

static void latency(FILE *md)
{
	static const char *const how[] = {
		"alone", "while smaps_rollup is read back to back",
		"while memacct's task file is read back to back",
	};
	struct scenario sc;
	struct target t;
	double rate[3];
	long hold0 = internals("max_mmap_lock_hold_ns");
	int phase;

	scenario_start(&sc, "faulter", 1);
	t.pid = sc.pid[0];
	kill(t.pid, SIGCONT);
	for (phase = 0; phase < 3; phase++) {
		unsigned long f0 = minflt(t.pid), f1;
		double t0 = now();

		while (now() - t0 < 5) {
			if (phase == 1)
				t_rollup(&t);
			else if (phase == 2)
				t_memacct(&t);
			else
				usleep(1000);
		}
		f1 = minflt(t.pid);
		rate[phase] = (f1 - f0) / (now() - t0);
	}
	for (phase = 0; phase < 3; phase++)
		fprintf(md, "| a 1 GiB process faulting and mapping in a loop | %s | %.0f faults/s | %.0f%% |\n",
			how[phase], rate[phase], 100 * rate[phase] / rate[0]);
	fprintf(md, "\nLongest mmap-lock hold of a memacct walk in this boot: %.2f ms (before this test: %.2f ms).\n",
		internals("max_mmap_lock_hold_ns") / 1e6, hold0 / 1e6);
	scenario_end(&sc);
}

#define PERF "/usr/bin/perf"

/*
 * perf's samples of one cgroup's stat read back to back @reads times, as
 * Markdown rows: the functions that took at least 1% of the reader's CPU
 * time (kernel and user; the rest of the guest left out).
 */
static void perf_rows(FILE *md, const char *stat_path, int reads)
{
	char cmd[512], line[256], sym[128];
	double pct;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 PERF " record -q -e cpu-clock -F 4000 -a -o /tmp/perf.data -- sh -c 'for i in $(seq %d); do cat %s > /dev/null; done' > /dev/null 2>&1",
		 reads, stat_path);
	if (system(cmd))
		ktap_bail("perf record failed");
	p = popen(PERF " report -q -i /tmp/perf.data --stdio --no-children --comms cat --percentage relative --sort sym --percent-limit 1 2> /dev/null",
		  "r");
	if (!p)
		ktap_bail("perf report: %s", strerror(errno));
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, " %lf%% [%*[^]]] %127s", &pct, sym) == 2)
			fprintf(md, "| %s | %.1f%% |\n", sym, pct);
	pclose(p);
	unlink("/tmp/perf.data");
}

/*
 * Where a cgroup read spends the CPU, by function, from perf (sampling
 * the clock; QEMU has no hardware counters): a one-process cgroup of
 * 256 MiB, and the 100 processes of the cgroup section.
 */
static void perf_profile(FILE *md)
{
	char stat_path[] = M "/bench_sc/stat", share_path[] = M "/bench/stat";
	struct scenario sc;
	int i;

	if (access(PERF, X_OK)) {
		fprintf(md, "perf is not in this guest (scripts/bench.sh puts Debian's there).\n");
		return;
	}
	write_file("/proc/sys/kernel/kptr_restrict", "0");
	write_file("/proc/sys/kernel/perf_event_paranoid", "-1");
	mkdir(CG_SC, 0755);
	for (i = 0; i < 300 && access(stat_path, R_OK); i++)
		usleep(10000);
	scenario_start_in(&sc, "scale:262144:1", 1, CG_SC);
	fprintf(md, "| 256 MiB, 1 process: function | of the reader's CPU time |\n|---|---|\n");
	perf_rows(md, stat_path, 20);
	scenario_end(&sc);
	rmdir(CG_SC);

	make_shared_file();
	mkdir(CG, 0755);
	for (i = 0; i < 300 && access(share_path, R_OK); i++)
		usleep(10000);
	scenario_start_in(&sc, "share", NPROC, CG);
	fprintf(md, "\n| %d processes, 64 MiB shared file + 64 MiB forked anon: function | of the reader's CPU time |\n|---|---|\n",
		NPROC);
	perf_rows(md, share_path, 10);
	scenario_end(&sc);
	rmdir(CG);
	unlink(SHARED_FILE);
}

/*
 * A cgroup's cost against the host's: the host filled to 0, 50 and 75% by
 * a process elsewhere, a cgroup of 16 MiB, 256 MiB or 2 GiB of anonymous
 * memory in 1 or 100 processes. Cells that do not fit in the guest are
 * left out.
 */
static void scale(FILE *md)
{
	static const unsigned int fill_pct[] = { 0, 50, 75 };
	static const unsigned long size_mib[] = { 16, 256, 2048 };
	static const int nprocs[] = { 1, 100 };
	unsigned long total = sysconf(_SC_PHYS_PAGES) * PAGE / MIB;
	char stat_path[] = M "/bench_sc/stat", name[64];
	static char profile[8192];
	double small[3] = { 0 }, small_ratio[3] = { 0 }, worst = 0;
	size_t used = 0;
	unsigned int f, z, n;

	mkdir(CG_FILL, 0755);
	for (f = 0; f < 3; f++) {
		unsigned long fill = total * fill_pct[f] / 100;
		struct scenario filler;

		if (fill) {
			snprintf(name, sizeof(name), "anon:%lu:0", fill);
			scenario_start_in(&filler, name, 1, CG_FILL);
		}
		for (z = 0; z < 3; z++) {
			for (n = 0; n < 2; n++) {
				char cells_lru[128], cells_scan[128];
				struct scenario sc;
				struct pids p;
				/* A few ms each: more runs against the noise. */
				int i, reps = size_mib[z] <= 16 ? 15 : 3;
				double scan, lru, roll;
				long bytes;

				if (fill + size_mib[z] + 1024 > total) {
					fprintf(md, "| %u%% | %lu MiB | %d | does not fit in %lu MiB | | | | | |\n",
						fill_pct[f], size_mib[z], nprocs[n], total);
					continue;
				}
				mkdir(CG_SC, 0755);
				for (i = 0; i < 300 && access(stat_path, R_OK); i++)
					usleep(10000);
				snprintf(name, sizeof(name), "scale:%lu:%d",
					 (size_mib[z] << 10) / nprocs[n], nprocs[n]);
				scenario_start_in(&sc, name, nprocs[n], CG_SC);
				p.pid = sc.pid;
				p.n = sc.n;
				scan = median(t_cg_stat_scan, stat_path, reps);
				profile_cells(cells_scan, sizeof(cells_scan));
				lru = median(t_cg_stat_lru, stat_path, reps);
				profile_cells(cells_lru, sizeof(cells_lru));
				bytes = internals("dedup_bytes");
				used += snprintf(profile + used, sizeof(profile) - used,
						 "| %u%% | %lu MiB | %d | lru | %s |\n| | | | scan | %s |\n",
						 fill_pct[f], size_mib[z], nprocs[n],
						 cells_lru, cells_scan);
				if (used >= sizeof(profile))
					ktap_bail("profile table too long");
				roll = median(t_rollup_loop, &p, reps);
				if (!z && nprocs[n] == 1) {
					small[f] = lru;
					small_ratio[f] = lru / roll;
				}
				fprintf(md, "| %u%% | %lu MiB | %d | %.2f ms | %.2f ms | %.2f ms | **%.2fx** | %.2fx | %.1f |\n",
					fill_pct[f], size_mib[z], nprocs[n],
					lru * 1e3, scan * 1e3, roll * 1e3,
					lru / roll, scan / roll,
					(double)bytes / (size_mib[z] * MIB / PAGE));
				scenario_end(&sc);
				rmdir(CG_SC);
			}
		}
		if (fill)
			scenario_end(&filler);
	}
	rmdir(CG_FILL);
	fprintf(md, "\nGoals, for a one-process 16 MiB cgroup (the lru view, the default): at most 3x its smaps_rollup at every fill: %s (",
		small_ratio[0] <= 3 && small_ratio[1] <= 3 && small_ratio[2] <= 3 ?
		"met" : "missed");
	for (f = 0; f < 3; f++)
		fprintf(md, "%s%.2fx", f ? ", " : "", small_ratio[f]);
	for (f = 1; f < 3; f++)
		if (small[0] > 0 && small[f] / small[0] > worst)
			worst = small[f] / small[0];
	fprintf(md, "); at most 1.5x its time with the rest of the guest idle, with the host 50 or 75%% full: %s (worst %.2fx).\n",
		worst <= 1.5 ? "met" : "missed", worst);
	fprintf(md, "\n![A one-process cgroup's stat against the host's fill: both views and smaps_rollup, log scale](performance-scale.svg)\n");
	fprintf(md, "\n### Where a cgroup read spends its time\n\n");
	fprintf(md, "The module's own clock (internals `last_read_*_ns`), for the last read of each view above.\n\n");
	fprintf(md, "| host filled elsewhere | cgroup's anonymous memory | processes | view | read | page tables | table growth | table totals | charged view |\n");
	fprintf(md, "|---|---|---|---|---|---|---|---|---|\n");
	fputs(profile, md);
}

/*
 * bench_only=SECTION on the guest's kernel command line (BENCH_ONLY of
 * scripts/bench.sh) runs that section alone: process, cgroup, lockdown,
 * latency or scale.
 */
static bool section(const char *name)
{
	const char *only = getenv("bench_only");

	return !only || !*only || !strcmp(only, name);
}

int main(int argc, char **argv)
{
	static const unsigned long sizes[] = { 256, 1024, 4096 };
	struct utsname u;
	FILE *md = stdout;
	char *mem;
	int i, thp;

	if (argc == 3 && !strcmp(argv[1], "--scenario")) {
		unsigned long mib;

		if (sscanf(argv[2], "anon:%lu:%d", &mib, &thp) == 2)
			target_main(mib, thp);
		else if (sscanf(argv[2], "scale:%lu:%d", &mib, &thp) == 2)
			scale_main(mib, thp);
		else if (!strcmp(argv[2], "share"))
			share_main();
		else if (!strcmp(argv[2], "faulter"))
			faulter();
		return 125;
	}
	if (getenv("BENCH_RUNS"))
		runs = atoi(getenv("BENCH_RUNS"));
	quiesce_background();
	uname(&u);
	mem = read_file("/proc/meminfo");
	printf("@@md\n");
	fprintf(md, "Kernel %s, guest memory %.*s, %ld CPUs, median of %d runs (3 for 4 GiB).\n\n",
		u.release, (int)strcspn(mem + 9, "\n"), mem + 9,
		sysconf(_SC_NPROCESSORS_ONLN), runs);
	free(mem);
	if (section("process")) {
		fprintf(md, "### One process\n\n");
		fprintf(md, "| touched anonymous memory | mapped pages | memacct task | smaps_rollup | smaps, summed | pagemap + kpagecount | memacct / rollup | memacct / smaps | memacct / userspace |\n");
		fprintf(md, "|---|---|---|---|---|---|---|---|---|\n");
		for (thp = 0; thp < 2; thp++)
			for (i = 0; i < 3; i++)
				per_process(md, sizes[i], thp);
		fprintf(md, "\nGoal: a process walk at most 1.0x smaps_rollup (THP off, where it takes milliseconds): %s (worst %.2fx).\n",
			worst_vs_rollup <= 1.0 ? "met" : "missed", worst_vs_rollup);
	}
	if (section("cgroup")) {
		fprintf(md, "\n### One cgroup\n\n");
		fprintf(md, "| cgroup | memacct stat | smaps_rollup of every member (no dedup) | userspace pagemap + kpage* route (dedup + charges) | memacct / rollup loop | memacct vs userspace |\n");
		fprintf(md, "|---|---|---|---|---|---|\n");
		per_cgroup(md);
	}
	if (section("lockdown")) {
		fprintf(md, "\n### One process under kernel lockdown (read-only files)\n\n");
		fprintf(md, "| case | task file (write the pid) | its cgroup's tasks file (the reader's fallback) | every process's tasks file | smaps_rollup | fallback / task file | fallback vs every process |\n");
		fprintf(md, "|---|---|---|---|---|---|---|\n");
		per_pid_routes(md);
	}
	if (section("latency")) {
		fprintf(md, "\n### A process scanned while it works\n\n| target | | its page faults | of its speed alone |\n|---|---|---|---|\n");
		latency(md);
		fprintf(md, "\nModule memory for the last cgroup read above: %ld bytes (its table of pages mapped); a task read allocates no per-page memory.\n",
			internals("dedup_bytes"));
	}
	if (section("scale")) {
		fprintf(md, "\n### A cgroup's cost against the host's\n\n");
		fprintf(md, "| host filled elsewhere | cgroup's anonymous memory | processes | stat, lru view | stat, scan view | smaps_rollup of every member | lru / rollup | scan / rollup | table bytes per page |\n");
		fprintf(md, "|---|---|---|---|---|---|---|---|---|\n");
		scale(md);
	}
	if (section("profile")) {
		fprintf(md, "\n### Where a cgroup read spends the CPU (perf)\n\n");
		perf_profile(md);
	}
	printf("@@end\n");
	return 0;
}
