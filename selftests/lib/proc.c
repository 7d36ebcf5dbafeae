// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kpage.h"
#include "ktap.h"
#include "kv.h"
#include "proc.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define HPAGE (2UL << 20)

void scenario_start(struct scenario *sc, const char *name, int nprocs)
{
	scenario_start_in(sc, name, nprocs, NULL);
}

void scenario_start_in(struct scenario *sc, const char *name, int nprocs,
		       const char *cgroup)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		ktap_bail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		ktap_bail("fork: %s", strerror(errno));
	if (!pid) {
		char procs[4096];

		close(p[0]);
		if (dup2(p[1], SCENARIO_FD) < 0)
			_exit(127);
		/* Everything it touches from exec on is charged there. */
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup);
		if (cgroup && write_file(procs, "0"))
			_exit(127);
		if (p[1] != SCENARIO_FD)
			close(p[1]);
		execl("/proc/self/exe", "scenario", "--scenario", name,
		      (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	sc->fd = p[0];
	sc->n = 0;
	while (sc->n < nprocs) {
		pid_t r = scenario_wait_report(sc);
		int i;

		for (i = 0; i < sc->n && sc->pid[i] != r; i++)
			;
		if (i == sc->n) {
			if (sc->n == SCENARIO_MAX)
				ktap_bail("too many scenario processes");
			sc->pid[sc->n++] = r;
		}
	}
}

pid_t scenario_wait_report(struct scenario *sc)
{
	char buf[16];
	size_t len = 0;
	pid_t pid;

	/* One line per report: read byte by byte so reports never merge. */
	while (len < sizeof(buf) - 1) {
		ssize_t r = read(sc->fd, buf + len, 1);

		if (r <= 0)
			ktap_bail("scenario died before reporting");
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = '\0';
	pid = atoi(buf);
	wait_stopped(pid);
	return pid;
}

void scenario_step(struct scenario *sc, pid_t pid)
{
	if (kill(pid, SIGCONT))
		ktap_bail("SIGCONT %d: %s", pid, strerror(errno));
	if (scenario_wait_report(sc) != pid)
		ktap_bail("unexpected report while stepping %d", pid);
}

void scenario_end(struct scenario *sc)
{
	int i;

	for (i = 0; i < sc->n; i++)
		kill(sc->pid[i], SIGKILL);
	close(sc->fd);
	/* Only the first is our child; the others are its descendants. */
	waitpid(sc->pid[0], NULL, 0);
}

void wait_stopped(pid_t pid)
{
	char path[64];
	int tries;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (tries = 0; tries < 20000; tries++) {
		char *s = read_file(path), *p;
		char state = 0;

		if (!s)
			ktap_bail("process %d vanished", pid);
		p = strrchr(s, ')');
		if (p && p[1] == ' ')
			state = p[2];
		free(s);
		if (state == 'T')
			return;
		usleep(500);
	}
	ktap_bail("process %d did not stop", pid);
}

void scenario_stop(void)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d\n", getpid());

	if (write(SCENARIO_FD, buf, len) != len)
		_exit(126);
	raise(SIGSTOP);
}

int scenario_run(const struct scenario_def *defs, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!strcmp(defs[i].name, name)) {
			defs[i].fn();
			return 0;
		}
	}
	return 125;
}

void make_file(const char *path, size_t len, int c)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char buf[4096];
	size_t i;

	if (fd < 0)
		ktap_bail("%s: %s", path, strerror(errno));
	memset(buf, c, sizeof(buf));
	for (i = 0; i < len; i += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			ktap_bail("write %s", path);
	close(fd);
}

/*
 * move_pages() of @p to the node it is already on migrates nothing, but
 * do_pages_move() starts with lru_cache_disable(), which drains every
 * CPU's LRU batches. False if the kernel has no NUMA (the debug kernels).
 */
static bool drain_by_move_pages(void *p)
{
	void *pages[1] = { p };
	int node, status = -1;

	if (syscall(SYS_move_pages, 0, 1UL, pages, NULL, &status, 0) ||
	    status < 0)
		return false;
	node = status;
	return !syscall(SYS_move_pages, 0, 1UL, pages, &node, &status, 0);
}

/*
 * Drain by move_pages(), or else by MADV_COLLAPSE, which drains first but
 * only where THP is built (not on the rt kernels, which have NUMA). A page
 * faulted in just before sits in this CPU's batch, off the LRU: on the LRU
 * afterwards shows a drain happened. Reclaim or compaction may take it off
 * again for a moment (a small debug guest): then the whole is tried again.
 */
void lru_drain_all(void)
{
	static bool warned;
	int try;

	for (try = 0; try < 3; try++) {
		char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		bool drained;

		if (p == MAP_FAILED)
			ktap_bail("lru_drain_all: mmap: %s", strerror(errno));
		*p = 1;
		if (!drain_by_move_pages(p)) {
			char *h = map_aligned(HPAGE);

			madvise(h, HPAGE, MADV_HUGEPAGE);
			/* Its result does not matter: the drain comes first. */
			madvise(h, HPAGE, MADV_COLLAPSE);
			munmap(h, HPAGE);
		}
		drained = kpage_flags_at(getpid(), p) >> KPF_LRU & 1;
		munmap(p, 4096);
		if (drained)
			return;
	}
	/*
	 * A kernel without NUMA where MADV_COLLAPSE did not drain either was
	 * seen here (the debug 7.3 kernel, before it had NUMA): said once,
	 * and the test goes on, to fail if a batch held a page it counts.
	 */
	if (!warned)
		ktap_diag("lru_drain_all: neither move_pages() nor MADV_COLLAPSE drained the LRU batches (3 tries): pages may still sit in per-CPU batches");
	warned = true;
}

void quiesce_background(void)
{
	write_file("/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs",
		   "86400000");
	write_file("/sys/kernel/mm/transparent_hugepage/khugepaged/alloc_sleep_millisecs",
		   "86400000");
	write_file("/sys/kernel/mm/ksm/run", "0");
	/* Compaction isolates and migrates pages behind a measurement. */
	write_file("/proc/sys/vm/compaction_proactiveness", "0");
	write_file("/proc/sys/vm/compact_unevictable_allowed", "0");
}

void *map_aligned(size_t len)
{
	size_t span = len + HPAGE;
	char *p = mmap(NULL, span, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		ktap_bail("mmap %zu: %s", span, strerror(errno));
	a = (char *)(((unsigned long)p + HPAGE - 1) & ~(HPAGE - 1));
	if (a > p)
		munmap(p, a - p);
	if (a + len < p + span)
		munmap(a + len, p + span - (a + len));
	return a;
}

void touch_read(const void *p, size_t len)
{
	const volatile char *c = p;
	size_t i;

	for (i = 0; i < len; i += 4096)
		(void)c[i];
}

void touch_write(void *p, size_t len, int val)
{
	volatile char *c = p;
	size_t i;

	for (i = 0; i < len; i += 4096)
		c[i] = (char)val;
}

int thp_available(void)
{
	return !access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK);
}
