/* SPDX-License-Identifier: GPL-2.0 */
/* Rows of a memacct files file: one per backing object of a cgroup. */
#ifndef MEMACCT_FILES_H
#define MEMACCT_FILES_H

#include "memacct.h"

#define FILES_COLS_MAX 48

struct object {
	char *dev, *payer, *path;	/* unescaped; payer "" for nobody */
	unsigned long long inode;
	long long v[FILES_COLS_MAX];	/* the counters, in header order */
};

struct files {
	int ncols;
	char *col[FILES_COLS_MAX];	/* counter names, into the text */
	int n, cap;
	struct object *o;
	char *text;			/* what the strings point into */
};

/* Parse a files file's @text, which @f keeps. 0, or -1 if malformed. */
int files_parse(struct files *f, char *text);
void files_free(struct files *f);
/* The index of counter @name, or -1. */
int files_col(const struct files *f, const char *name);
/* The cgroup's files file: EXIT_* status (messages printed). */
int read_cgroup_files(const char *cgroup, struct files *f);

#endif
