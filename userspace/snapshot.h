/* SPDX-License-Identifier: GPL-2.0 */
/* Snapshots: every counter at one moment, written as one JSON line. */
#ifndef MEMACCT_SNAPSHOT_H
#define MEMACCT_SNAPSHOT_H

#include "memacct.h"

#define SNAPSHOT_FORMAT 1

struct snap_cgroup {
	char *path;
	struct kv counters;
};

struct snap_process {
	long pid;
	char *comm, *cgroup;
	struct kv counters;
};

struct snap {
	long long time_ns;	/* CLOCK_REALTIME */
	char *kernel;		/* uname -r */
	char *node;		/* uname -n */
	char *scope;		/* the cgroup asked for, "/" for all */
	int ncg, nproc;
	struct snap_cgroup *cg;
	struct snap_process *proc;
};

/*
 * Take a snapshot of @cgroup (NULL: every cgroup) and its processes and
 * write it to @f as one line of JSON. Returns an EXIT_* status (messages
 * printed).
 */
int snapshot_write(FILE *f, const char *cgroup);
/*
 * Read every snapshot in @path (one, or a recording of several, as watch
 * -o appends them). Returns an EXIT_* status: EXIT_USAGE, with one line
 * printed, for a file that is not a complete snapshot.
 */
int snapshot_load(const char *path, struct snap **out, int *n);
/* The same from @text, named @name in messages. */
int snapshot_parse(const char *text, const char *name, struct snap **out,
		   int *n);
/* snapshot_write() into a string (NULL, with the EXIT_* in *status). */
char *snapshot_text(const char *cgroup, int *status);
void snapshot_free(struct snap *s, int n);
/* Write @text to @path whole or not at all (beside it, then renamed). */
int write_whole(const char *path, const char *text);
const struct snap_cgroup *snap_find_cgroup(const struct snap *s,
					   const char *path);
const struct snap_process *snap_find_process(const struct snap *s, long pid);

#endif
