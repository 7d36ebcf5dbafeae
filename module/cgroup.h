/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MEMACCT_CGROUP_H
#define MEMACCT_CGROUP_H

#include <linux/fs.h>
#include <linux/types.h>

struct cgroup;
struct cgroup_subsys_state;
struct dentry;
struct mem_cgroup;

/* The root memcg (RCU or a reference needed to use it); NULL without memcg. */
struct mem_cgroup *memacct_root_memcg(void);
/* The online memcg whose cgroup has id @id, with a css reference, or NULL. */
struct mem_cgroup *memacct_memcg_get(u64 id);
/* The cgroup id of @memcg (what the mirror's files carry). */
u64 memacct_memcg_id(struct mem_cgroup *memcg);
int memacct_collect_memcgs(struct cgroup_subsys_state ***out);
int memacct_count_memcgs(void);
/* Is the memcg of @task (a thread-group leader) @root or below it? */
bool memacct_task_in(struct task_struct *task, struct mem_cgroup *root);

/* @cgrp's path as the caller's cgroup namespace sees it, whole or not at all. */
int memacct_cgroup_path(struct cgroup *cgrp, char *buf, size_t len);

/* The mirror of the memory cgroup hierarchy under @root. */
int memacct_mirror_start(struct dentry *root);
void memacct_mirror_stop(void);
/* cgroup events seen, applied one by one, and full rescans, since load. */
void memacct_mirror_stats(u64 *events, u64 *updates, u64 *rebuilds);

extern const struct file_operations memacct_cgroup_stat_fops;
extern const struct file_operations memacct_summary_fops;

#endif /* MEMACCT_CGROUP_H */
