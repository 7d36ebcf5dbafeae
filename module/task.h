/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MEMACCT_TASK_H
#define MEMACCT_TASK_H

#include <linux/limits.h>
#include <linux/sched.h>
#include "stats.h"

struct memacct_dedup;
struct seq_file;

/* One process: who it is, where it is charged, and its counters. */
struct memacct_task {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	char cgroup[PATH_MAX];
	struct memacct_stats st;
};

/* Escaped so that every row splits on whitespace, as /proc/mounts does. */
#define MEMACCT_ESCAPE " \t\n\\"

struct memacct_task *memacct_task_alloc(void);
void memacct_task_free(struct memacct_task *t);
int memacct_task_scan(struct task_struct *task, struct memacct_task *t,
		      struct memacct_dedup *dd, unsigned long start,
		      unsigned long end);
struct task_struct *memacct_next_process(pid_t *nr);
/* Has some thread of @task (a thread-group leader) an mm? */
bool memacct_process_has_mm(struct task_struct *task);
/* The mm of process @task, with mmget() taken, or NULL. */
struct mm_struct *memacct_process_mm(struct task_struct *task);
struct mem_cgroup *memacct_process_memcg(struct task_struct *task);

void memacct_seq_task_header(struct seq_file *m);
void memacct_seq_task_row(struct seq_file *m, const struct memacct_task *t);
void memacct_seq_task_keys(struct seq_file *m, const struct memacct_task *t);

#endif /* MEMACCT_TASK_H */
