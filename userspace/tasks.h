/* SPDX-License-Identifier: GPL-2.0 */
/* Rows of a memacct tasks file. */
#ifndef MEMACCT_TASKS_H
#define MEMACCT_TASKS_H

#include "memacct.h"

struct task_row {
	long pid;
	char *comm, *cgroup;	/* unescaped */
	struct kv counters;
};

struct task_rows {
	int n;
	struct task_row *row;
};

/* Parse a tasks file (header line, then rows). 0, or -1 if malformed. */
int tasks_parse(struct task_rows *t, const char *text);
void tasks_free(struct task_rows *t);
/* Sort by @key, largest first. */
void tasks_sort(struct task_rows *t, const char *key);
void json_task_row(FILE *f, const struct task_row *r);

#endif
