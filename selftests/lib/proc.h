/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scenario processes: each runs in a fresh exec of the test binary, so it
 * shares no copy-on-write pages with the process that measures it. A
 * scenario reports its pid on fd 3 each time it reaches a stop point and
 * then stops itself; the test measures it and continues it.
 */
#ifndef MEMACCT_PROC_H
#define MEMACCT_PROC_H

#include <stddef.h>
#include <sys/types.h>

#define SCENARIO_FD 3
#define SCENARIO_MAX 128

struct scenario {
	int fd;				/* read end of the report pipe */
	int n;
	pid_t pid[SCENARIO_MAX];	/* in the order they first reported */
};

/* Test side. */
void scenario_start(struct scenario *sc, const char *name, int nprocs);
/* The same, started inside cgroup directory @cgroup (before its exec). */
void scenario_start_in(struct scenario *sc, const char *name, int nprocs,
		       const char *cgroup);
/* Wait for the next report of any scenario process; returns its pid. */
pid_t scenario_wait_report(struct scenario *sc);
/* SIGCONT @pid and wait until it reported and stopped again. */
void scenario_step(struct scenario *sc, pid_t pid);
void scenario_end(struct scenario *sc);
void wait_stopped(pid_t pid);

/* Scenario side: report this process at a stop point, then stop. */
void scenario_stop(void);

/* A test's scenarios by name, for its "--scenario NAME" mode. */
struct scenario_def {
	const char *name;
	void (*fn)(void);
};

/* Run the scenario @name of @defs (@n of them); 125 if there is none. */
int scenario_run(const struct scenario_def *defs, int n, const char *name);
#define SCENARIO_RUN(defs, name) \
	scenario_run(defs, (int)(sizeof(defs) / sizeof((defs)[0])), name)

/* A file of @len bytes of @c, created or truncated. */
void make_file(const char *path, size_t len, int c);

/* Drain every CPU's LRU batches (bails if it cannot). */
void lru_drain_all(void);
/* Keep khugepaged, KSM and compaction from moving memory behind a
 * measurement. */
void quiesce_background(void);

/* Anonymous mapping of @len bytes aligned to 2 MiB. */
void *map_aligned(size_t len);
void touch_read(const void *p, size_t len);
void touch_write(void *p, size_t len, int val);
/* Does this kernel have transparent huge pages (PREEMPT_RT kernels do not)? */
int thp_available(void);

#endif
