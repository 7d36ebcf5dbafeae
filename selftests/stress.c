// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: readers of every memacct file against churn of everything that
 * changes page tables, memcgs and the module itself, for STRESS_SECONDS.
 * Every answer read is checked against invariants that hold within one
 * walk; a page-faulting target records its worst stall while it is
 * scanned; at the end the churn stops and a stopped process must match
 * smaps_rollup exactly. TAP output; the harness watches the console.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"
#include "kv.h"
#include "proc.h"

#define M "/sys/kernel/debug/memacct"
#define CG "/sys/fs/cgroup/stress"
#define MIB (1UL << 20)
#define PAGE 4096UL

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

static atomic_int stop, quiet, busy;
static atomic_long reads, violations, errors_odd, lockmods, max_hold_ns;

/* The module's longest mmap-lock hold so far (it resets on reload). */
static void note_internals(void)
{
	char *s = read_file(M "/internals"), *p;
	long v;

	p = s ? strstr(s, "max_mmap_lock_hold_ns ") : NULL;
	v = p ? atol(p + strlen("max_mmap_lock_hold_ns ")) : 0;
	if (v > atomic_load(&max_hold_ns))
		atomic_store(&max_hold_ns, v);
	free(s);
}
static int seconds;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void violation(const char *what, const char *detail)
{
	if (atomic_fetch_add(&violations, 1) < 20)
		ktap_diag("invariant broken: %s: %s", what, detail);
}

/* Errors a reader may see while everything changes under it. */
static void read_error(const char *path, int e)
{
	/* Gone, exited, removed, or the module going away (debugfs gives
	 * EIO for a removed file and ENXIO while its module unloads). */
	if (e == ENOENT || e == ESRCH || e == EIO || e == ENXIO || e == EINTR)
		return;
	if (atomic_fetch_add(&errors_odd, 1) < 20)
		ktap_diag("read %s: %s", path, strerror(e));
}

/* Invariants of one process row or task answer (one walk). */
static void check_task(const struct kv *kv, const char *who)
{
	unsigned long long rss = kv_get(kv, "rss");
	char d[256];

	snprintf(d, sizeof(d), "%s rss %llu uss %llu shared %llu pss %llu zero %llu cow %llu",
		 who, rss, kv_get(kv, "uss"), kv_get(kv, "shared"),
		 kv_get(kv, "pss"), kv_get(kv, "zero"), kv_get(kv, "cow_pending"));
	if (kv_get(kv, "uss") + kv_get(kv, "shared") != rss)
		violation("uss + shared = rss", d);
	if (kv_get(kv, "pss") > rss)
		violation("pss <= rss", d);
	if (kv_get(kv, "cow_pending") > rss + kv_get(kv, "zero"))
		violation("cow_pending <= rss + zero", d);
	if (kv_get(kv, "charged_own") + kv_get(kv, "charged_other") > rss)
		violation("charged <= rss", d);
	if (kv_get(kv, "anon_thp") > kv_get(kv, "rss_anon"))
		violation("anon_thp <= rss_anon", d);
}

static void check_cgstat(const struct kv *kv, const char *who)
{
	char d[256];

	snprintf(d, sizeof(d), "%s rss %llu private %llu shared_external %llu",
		 who, kv_get(kv, "rss"), kv_get(kv, "private"),
		 kv_get(kv, "shared_external"));
	if (kv_get(kv, "private") + kv_get(kv, "shared_external") !=
	    kv_get(kv, "rss"))
		violation("private + shared_external = rss", d);
}

/* Rows of a tasks file: "pid comm cgroup" then counters named by the header. */
static void check_tasks_text(char *text, const char *path)
{
	char *save = NULL, *line = strtok_r(text, "\n", &save);
	char *cols[64], *hs = NULL, header[2048];
	int ncols = 0;

	if (!line)
		return;
	snprintf(header, sizeof(header), "%s", line);
	for (char *t = strtok_r(header, " ", &hs); t && ncols < 64;
	     t = strtok_r(NULL, " ", &hs))
		cols[ncols++] = t;
	while ((line = strtok_r(NULL, "\n", &save))) {
		char kvtext[4096], *fs = NULL, *t;
		struct kv kv;
		int i = 0, n = 0;

		for (t = strtok_r(line, " ", &fs); t; t = strtok_r(NULL, " ", &fs), i++)
			if (i >= 3 && i < ncols)
				n += snprintf(kvtext + n, sizeof(kvtext) - n, "%s %s\n",
					      cols[i], t);
		if (i != ncols) {
			violation("tasks row has every column", path);
			continue;
		}
		kv_parse(kvtext, &kv);
		check_task(&kv, path);
	}
}

static void read_one(const char *path)
{
	char *text;
	struct kv kv;

	if (quiet)
		return;
	atomic_fetch_add(&busy, 1);
	text = read_file(path);
	atomic_fetch_sub(&busy, 1);
	if (!text) {
		read_error(path, errno);
		return;
	}
	atomic_fetch_add(&reads, 1);
	if (strstr(path, "/tasks")) {
		check_tasks_text(text, path);
	} else if (strstr(path, "/stat")) {
		kv_parse(text, &kv);
		check_cgstat(&kv, path);
	}
	free(text);
}

static void read_tree(const char *dir, int depth)
{
	struct dirent *de;
	DIR *d;

	/* The module churner asks for a moment with no file open. */
	while (quiet && !stop)
		usleep(1000);
	d = opendir(dir);

	if (!d)
		return;
	while (!stop && (de = readdir(d))) {
		char p[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR && depth < 8)
			read_tree(p, depth + 1);
		else if (strcmp(de->d_name, "task"))
			read_one(p);
	}
	closedir(d);
}

static void *reader_files(void *arg)
{
	(void)arg;
	while (!stop)
		read_tree(M, 0);
	return NULL;
}

static void *reader_pids(void *arg)
{
	unsigned int seed = (unsigned int)(long)arg;

	while (!stop) {
		DIR *d = opendir("/proc");
		struct dirent *de;

		while (d && !stop && (de = readdir(d))) {
			struct kv kv;
			int r;

			while (quiet && !stop)
				usleep(1000);
			if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
			    rand_r(&seed) % 3)
				continue;
			atomic_fetch_add(&busy, 1);
			r = quiet ? -ENOENT : memacct_task_read(atoi(de->d_name), &kv);
			atomic_fetch_sub(&busy, 1);
			if (r) {
				read_error("task", -r);
				continue;
			}
			atomic_fetch_add(&reads, 1);
			check_task(&kv, "task query");
		}
		if (d)
			closedir(d);
	}
	return NULL;
}

/* ---- churn, each in its own process ---- */

static void churn_forks(void)
{
	char *p = map_aligned(8 * MIB);

	touch_write(p, 8 * MIB, 1);
	while (!stop) {
		pid_t c = fork();

		if (!c) {
			touch_write(p, (getpid() % 8 + 1) * MIB, 2);
			_exit(0);
		}
		if (c > 0)
			waitpid(c, NULL, 0);
	}
}

static void *thread_fn(void *arg)
{
	touch_write(arg, MIB, 3);
	return NULL;
}

static void churn_threads(void)
{
	char *p = map_aligned(4 * MIB);

	while (!stop) {
		pthread_t t[4];
		int i;

		for (i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, thread_fn, p + i * MIB);
		for (i = 0; i < 4; i++)
			pthread_join(t[i], NULL);
		madvise(p, 4 * MIB, MADV_DONTNEED);
	}
}

static void churn_maps(void)
{
	static const int advice[] = {
		MADV_DONTNEED, MADV_FREE, MADV_PAGEOUT, MADV_COLD, MADV_HUGEPAGE,
		MADV_NOHUGEPAGE, MADV_MERGEABLE, MADV_COLLAPSE, MADV_WILLNEED,
	};
	unsigned int seed = getpid();
	char *regions[8] = { 0 };
	size_t len[8] = { 0 };

	while (!stop) {
		int i = rand_r(&seed) % 8;
		int op = rand_r(&seed) % 6;

		if (!regions[i]) {
			len[i] = (1 + rand_r(&seed) % 8) * 2 * MIB;
			regions[i] = map_aligned(len[i]);
			/* Identical contents, so KSM has something to merge. */
			memset(regions[i], 0x5a, len[i] / 2);
			continue;
		}
		switch (op) {
		case 0:
			munmap(regions[i], len[i]);
			regions[i] = NULL;
			break;
		case 1: {
			char *n = mremap(regions[i], len[i], len[i] * 2,
					 MREMAP_MAYMOVE);

			if (n != MAP_FAILED) {
				regions[i] = n;
				len[i] *= 2;
			}
			break;
		}
		case 2:
			mprotect(regions[i], len[i] / 2,
				 rand_r(&seed) % 2 ? PROT_READ : PROT_READ | PROT_WRITE);
			break;
		case 3:
			madvise(regions[i], len[i],
				advice[rand_r(&seed) % (sizeof(advice) / sizeof(advice[0]))]);
			break;
		case 4:
			mprotect(regions[i], len[i], PROT_READ | PROT_WRITE);
			touch_write(regions[i], len[i], 0x5a);
			break;
		default:
			touch_read(regions[i], len[i]);
			break;
		}
	}
}

/* Faults in a userfaultfd-registered region, served with zero pages. */
static void churn_uffd(void)
{
	long fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	struct uffdio_api api = { .api = UFFD_API };
	char *p;

	if (fd < 0 || ioctl(fd, UFFDIO_API, &api))
		return;
	while (!stop) {
		struct uffdio_register reg;
		pid_t c;

		p = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		reg.range.start = (unsigned long)p;
		reg.range.len = 4 * MIB;
		reg.mode = UFFDIO_REGISTER_MODE_MISSING;
		if (p == MAP_FAILED || ioctl(fd, UFFDIO_REGISTER, &reg))
			return;
		c = fork();
		if (!c) {
			/* The child's mm is not registered: fault in ours. */
			_exit(0);
		}
		waitpid(c, NULL, 0);
		for (unsigned long off = 0; off < 4 * MIB && !stop; off += 64 * 1024) {
			struct uffdio_zeropage z = {
				.range = { .start = (unsigned long)p + off, .len = 64 * 1024 },
			};

			ioctl(fd, UFFDIO_ZEROPAGE, &z);
		}
		munmap(p, 4 * MIB);
	}
	close(fd);
}

static void churn_system(void)
{
	int i = 0;

	while (!stop) {
		/* Page migration, and khugepaged working hard. */
		write_file("/proc/sys/vm/compact_memory", "1");
		if (!(i++ % 5))
			write_file("/proc/sys/vm/drop_caches", "3");
		usleep(200 * 1000);
	}
}

static void churn_cgroups(void)
{
	char path[256], pid[16];
	int i = 0;

	mkdir(CG, 0755);
	write_file(CG "/cgroup.subtree_control", "+memory");
	while (!stop) {
		pid_t c;

		snprintf(path, sizeof(path), CG "/c%d", i % 4);
		mkdir(path, 0755);
		/* An OOM-killed hog now and then. */
		snprintf(path, sizeof(path), CG "/c%d/memory.max", i % 4);
		write_file(path, i % 3 ? "max" : "16M");
		/* No swap to escape to: the hog is OOM-killed. */
		snprintf(path, sizeof(path), CG "/c%d/memory.swap.max", i % 4);
		write_file(path, i % 3 ? "max" : "0");
		c = fork();
		if (!c) {
			char *p;

			snprintf(pid, sizeof(pid), "0");
			snprintf(path, sizeof(path), CG "/c%d/cgroup.procs", i % 4);
			write_file(path, pid);
			p = map_aligned(32 * MIB);
			touch_write(p, 32 * MIB, 7);
			_exit(0);
		}
		waitpid(c, NULL, 0);
		/* Move ourselves between cgroups, then back out. */
		snprintf(path, sizeof(path), CG "/c%d/cgroup.procs", (i + 1) % 4);
		mkdir(CG "/c0", 0755);
		write_file(path, "0");
		write_file("/sys/fs/cgroup/cgroup.procs", "0");
		snprintf(path, sizeof(path), CG "/c%d", (i + 2) % 4);
		rmdir(path);
		i++;
	}
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), CG "/c%d", i);
		rmdir(path);
	}
	rmdir(CG);
}

/*
 * rmmod and insmod memacct amid the churn. With a file held open, rmmod
 * must fail (the open file pins the module); with the readers paused for a
 * moment, it must succeed, and insmod rebuild the mirror while cgroups
 * come and go. Runs as a thread: 'quiet' and the counters are shared.
 */
static void *churn_module(void *arg)
{
	(void)arg;
	while (!stop) {
		int fd = open(M "/summary", O_RDONLY);

		usleep(500 * 1000);
		if (fd >= 0 && !system("rmmod memacct 2>/dev/null"))
			violation("rmmod refused while a file is open", "it was not");
		if (fd >= 0)
			close(fd);
		note_internals();
		quiet = 1;
		/* Let the readers close what they have open (5 s at most). */
		for (int i = 0; i < 500 && atomic_load(&busy); i++)
			usleep(10 * 1000);
		if (!system("rmmod memacct 2>/dev/null")) {
			atomic_fetch_add(&lockmods, 1);
			if (system("insmod /lib/memacct.ko"))
				ktap_diag("insmod failed");
		}
		quiet = 0;
	}
	/* Leave it loaded. */
	if (access(M "/version", R_OK) && system("insmod /lib/memacct.ko"))
		ktap_diag("insmod failed");
	return NULL;
}

/* ---- latency: a process faulting and mapping while it is scanned ---- */

struct latency {
	atomic_long worst_ns, ops;
	atomic_int ready;	/* its memory is faulted in */
};

/* 64 MiB; 16 when brief (a debug kernel took 107 s to fault in 64). */
static unsigned long target_bytes(void)
{
	return (getenv("MEMACCT_BRIEF") ? 16 : 64) * MIB;
}

static void churn_latency(struct latency *lat)
{
	unsigned long len = target_bytes();
	char *big = map_aligned(len);

	madvise(big, len, MADV_NOHUGEPAGE);
	touch_write(big, len, 1);
	atomic_store(&lat->ready, 1);
	while (!stop) {
		double t0 = now();
		long ns;
		char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED) {
			touch_write(p, MIB, 2);
			munmap(p, MIB);
		}
		ns = (long)((now() - t0) * 1e9);
		if (ns > atomic_load(&lat->worst_ns))
			atomic_store(&lat->worst_ns, ns);
		atomic_fetch_add(&lat->ops, 1);
	}
}

static pid_t spawn(void (*fn)(void))
{
	pid_t c = fork();

	if (!c) {
		fn();
		_exit(0);
	}
	return c;
}

int main(void)
{
	struct latency *lat = mmap(NULL, sizeof(*lat), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	void (*churners[])(void) = {
		churn_forks, churn_threads, churn_maps, churn_maps, churn_uffd,
		churn_system, churn_cgroups,
	};
	pid_t kids[16], target;
	pthread_t readers[4], module;
	int nk = 0, i;
	double t0;
	seconds = getenv("STRESS_SECONDS") ? atoi(getenv("STRESS_SECONDS")) : 60;
	ktap_plan(6);
	write_file("/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs", "10");
	write_file("/sys/kernel/mm/transparent_hugepage/khugepaged/alloc_sleep_millisecs", "10");
	write_file("/sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan", "4096");
	write_file("/sys/kernel/mm/ksm/sleep_millisecs", "10");
	write_file("/sys/kernel/mm/ksm/pages_to_scan", "1000");
	write_file("/sys/kernel/mm/ksm/run", "1");
	/*
	 * Readers and churners at khugepaged's nice (19), which it keeps
	 * while collapsing with the RCU read lock held: at nice 0 they kept
	 * it off two emulated CPUs, preempted in there, past RCU's 21 s stall
	 * warning on 7.3 (Debian's kernels have no RCU priority boosting).
	 */
	if (setpriority(PRIO_PROCESS, 0, 19))
		perror("setpriority");

	for (i = 0; i < (int)(sizeof(churners) / sizeof(churners[0])); i++)
		kids[nk++] = spawn(churners[i]);
	target = fork();
	if (!target) {
		churn_latency(lat);
		_exit(0);
	}
	/*
	 * The clock starts once the target is set up: on a debug kernel
	 * under the churn, faulting in 64 MiB was seen to take longer
	 * than the whole run, and then it had no round to show.
	 */
	t0 = now();
	while (!atomic_load(&lat->ready) && now() - t0 < 600)
		usleep(10000);
	ktap_diag("the target was set up in %.1f s", now() - t0);
	for (i = 0; i < 2; i++)
		pthread_create(&readers[i], NULL, reader_files, NULL);
	for (i = 2; i < 4; i++)
		pthread_create(&readers[i], NULL, reader_pids, (void *)(long)i);
	pthread_create(&module, NULL, churn_module, NULL);

	/* And one more reader: the target, scanned over and over. */
	t0 = now();
	while (now() - t0 < seconds) {
		struct kv kv;

		atomic_fetch_add(&busy, 1);
		if (!quiet && !memacct_task_read(target, &kv))
			check_task(&kv, "target");
		atomic_fetch_sub(&busy, 1);
		usleep(1000);
	}
	stop = 1;
	for (i = 0; i < 4; i++)
		pthread_join(readers[i], NULL);
	pthread_join(module, NULL);
	for (i = 0; i < nk; i++)
		kill(kids[i], SIGTERM);
	/* The churners look at 'stop' in their own copy: end them. */
	for (i = 0; i < nk; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	kill(target, SIGSTOP);
	wait_stopped(target);

	ktap_diag("%ld reads in %d s, %ld rmmod/insmod cycles, target did %ld mmap+fault rounds",
		  atomic_load(&reads), seconds, atomic_load(&lockmods),
		  atomic_load(&lat->ops));
	ktap_result(atomic_load(&reads) > 0, "readers read %ld files and answers",
		    atomic_load(&reads));
	ktap_result(!atomic_load(&violations), "no invariant broken (%ld)",
		    atomic_load(&violations));
	ktap_result(!atomic_load(&errors_odd),
		    "readers saw only ENOENT/ESRCH/EIO/ENXIO while things vanished (%ld others)",
		    atomic_load(&errors_odd));
	note_internals();
	ktap_result(atomic_load(&lat->ops) > 0,
		    "worst mmap+fault round of the scanned target: %.1f ms; longest mmap-lock hold of a walk: %.1f ms",
		    atomic_load(&lat->worst_ns) / 1e6,
		    atomic_load(&max_hold_ns) / 1e6);

	/*
	 * Quiescent again: the stopped target must match smaps exactly. It
	 * shares copy-on-write pages with this process, so smaps is read
	 * before and after memacct and the three reads must agree.
	 */
	{
		static const char *const pairs[][2] = {
			{ "rss", "Rss" }, { "swap", "Swap" },
			{ "anon_thp", "AnonHugePages" }, { "anon", "Anonymous" },
			{ "private_dirty", "Private_Dirty" },
			{ "shared_dirty", "Shared_Dirty" },
		};
		struct kv ours, sm, sm2;
		int tries, bad = 0, k;

		lru_drain_all();
		for (tries = 0; tries < 5; tries++) {
			if (smaps_rollup_read(target, &sm) ||
			    memacct_task_read(target, &ours) ||
			    smaps_rollup_read(target, &sm2))
				ktap_bail("final comparison: %s", strerror(errno));
			if (kv_get(&sm, "Pss") == kv_get(&sm2, "Pss") &&
			    kv_get(&sm, "Shared_Dirty") == kv_get(&sm2, "Shared_Dirty"))
				break;
		}
		for (k = 0; k < (int)(sizeof(pairs) / sizeof(pairs[0])); k++) {
			if (kv_get(&ours, pairs[k][0]) != kv_get(&sm, pairs[k][1])) {
				ktap_diag("%s %llu, smaps %s %llu", pairs[k][0],
					  kv_get(&ours, pairs[k][0]), pairs[k][1],
					  kv_get(&sm, pairs[k][1]));
				bad++;
			}
		}
		if (kv_get(&ours, "pss") >> 10 << 10 != kv_get(&sm, "Pss")) {
			ktap_diag("pss %llu, smaps Pss %llu", kv_get(&ours, "pss"),
				  kv_get(&sm, "Pss"));
			bad++;
		}
		ktap_result(!bad, "after the churn, the stopped target equals smaps_rollup (rss %llu, Rss %llu)",
			    kv_get(&ours, "rss"), kv_get(&sm, "Rss"));
	}
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
	ktap_result(!access(M "/version", R_OK), "memacct is loaded and answering");
	write_file("/sys/kernel/mm/ksm/run", "2");	/* unmerge everything */
	quiesce_background();
	return ktap_finish();
}
