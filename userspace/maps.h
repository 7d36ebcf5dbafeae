/* SPDX-License-Identifier: GPL-2.0 */
/* Rows of a memacct maps file: one per mapping of a process. */
#ifndef MEMACCT_MAPS_H
#define MEMACCT_MAPS_H

#include "memacct.h"

#define COLS_MAX 64

struct mapping {
	long pid;
	unsigned long long start, end, offset, inode, page_size;
	char perms[8], dev[24];
	const char *path;	/* unescaped; "" when the mapping has no name */
	const char *backing;	/* what it is grouped by */
	long long v[COLS_MAX];	/* the counters, in header order */
};

struct maps {
	int ncols;		/* counter columns */
	char *col[COLS_MAX];
	int n, cap;
	struct mapping *m;
	char *text;		/* what col, path and backing point into */
};

/* The index of counter @name, or -1. */
int maps_col(const struct maps *mp, const char *name);
/*
 * @pid's mappings: from its memory cgroup's maps file, else (it moved)
 * from every process's. EXIT_* status (messages printed).
 */
int read_maps(pid_t pid, struct maps *mp);
/* Every row of the cgroup's maps file. EXIT_* status (messages printed). */
int read_cgroup_maps(const char *cgroup, struct maps *mp);
void maps_free(struct maps *mp);

#endif
