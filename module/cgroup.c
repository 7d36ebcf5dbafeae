// SPDX-License-Identifier: GPL-2.0
/*
 * Memory cgroups: finding them by id, listing them, their paths, and which
 * of them a process's memory is charged to.
 */
#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/nsproxy.h>
#include <linux/proc_ns.h>
#include <linux/slab.h>

#include "cgroup.h"
#include "compat.h"
#include "task.h"

struct mem_cgroup *memacct_root_memcg(void)
{
	return mem_cgroup_from_task(&init_task);
}

u64 memacct_memcg_id(struct mem_cgroup *memcg)
{
	return cgroup_id(memcg->css.cgroup);
}

struct mem_cgroup *memacct_memcg_get(u64 id)
{
	struct cgroup_subsys_state *css;
	struct mem_cgroup *root, *found = NULL;

	rcu_read_lock();
	root = memacct_root_memcg();
	if (root) {
		/*
		 * Toggling +memory in the parent leaves the cgroup's old css
		 * offline but listed, ahead of the new one, for as long as
		 * its pages pin it: go on past it.
		 */
		css_for_each_descendant_pre(css, &root->css) {
			if (cgroup_id(css->cgroup) == id &&
			    css_tryget_online(css)) {
				found = mem_cgroup_from_css(css);
				break;
			}
		}
	}
	rcu_read_unlock();
	return found;
}

int memacct_count_memcgs(void)
{
	struct cgroup_subsys_state *css;
	struct mem_cgroup *root;
	int nr = 0;

	rcu_read_lock();
	root = memacct_root_memcg();
	if (root)
		css_for_each_descendant_pre(css, &root->css)
			nr++;
	rcu_read_unlock();
	return nr;
}

/**
 * memacct_cgroup_path() - @cgrp's path, as the caller's cgroup namespace sees it.
 * @cgrp: a cgroup the caller keeps alive.
 * @buf: where to put it.
 * @len: the size of @buf.
 *
 * In the initial namespace (the mirror's worker, and root's shell on most
 * hosts) the path is kernfs's own, under its rename lock or RCU:
 * cgroup_path_ns() would take cgroup_mutex, which every cgroup operation
 * on the host needs. kernfs cuts a path that does not fit to @len - 1 bytes
 * and returns that length, so a path of @len - 1 bytes or more is refused.
 *
 * Return: its length, -ENAMETOOLONG, or another -errno.
 */
int memacct_cgroup_path(struct cgroup *cgrp, char *buf, size_t len)
{
	struct cgroup_namespace *ns = current->nsproxy->cgroup_ns;
	int ret;

	if (ns->ns.inum == PROC_CGROUP_INIT_INO)
		ret = cgroup_path(cgrp, buf, len);
	else
		ret = cgroup_path_ns(cgrp, buf, len, ns);
	if (ret >= 0 && ret >= (int)len - 1)
		return -ENAMETOOLONG;
	return ret;
}

/* Is @task's memory charged within @root? As memacct_process_memcg(). */
bool memacct_task_in(struct task_struct *task, struct mem_cgroup *root)
{
	struct mem_cgroup *memcg = memacct_process_memcg(task);
	bool in = memcg && mem_cgroup_is_descendant(memcg, root);

	mem_cgroup_put(memcg);
	return in;
}

/**
 * memacct_collect_memcgs() - the online memcgs, parents before children.
 * @out: set to a kvmalloc'ed array of their csses, each with a reference.
 *
 * Return: their number, or -ENOMEM.
 */
int memacct_collect_memcgs(struct cgroup_subsys_state ***out)
{
	struct cgroup_subsys_state **css_arr, *css;
	struct mem_cgroup *root;
	int nr, cap = 64;

	for (;;) {
		css_arr = kvmalloc_array(cap, sizeof(*css_arr), GFP_KERNEL_ACCOUNT |
					 __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
		if (!css_arr)
			return -ENOMEM;
		nr = 0;
		rcu_read_lock();
		root = memacct_root_memcg();
		if (root) {
			css_for_each_descendant_pre(css, &root->css) {
				if (nr == cap)
					break;
				if (css_tryget_online(css))
					css_arr[nr++] = css;
			}
		}
		rcu_read_unlock();
		if (nr < cap) {
			*out = css_arr;
			return nr;
		}
		while (nr)
			css_put(css_arr[--nr]);
		kvfree(css_arr);
		cap *= 2;
	}
}
