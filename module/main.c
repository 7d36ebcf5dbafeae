// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: exact memory accounting per process and per memory cgroup,
 * computed from the page tables and the memcg structures, shown under
 * /sys/kernel/debug/memacct.
 */
#include <linux/debugfs.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>

#include "cgroup.h"
#include "cgstat.h"
#include "dedup.h"
#include "files.h"
#include "objects.h"
#include "walk.h"

/* Bumped when a file's format changes incompatibly; the reader checks it. */
#define MEMACCT_FORMAT_VERSION 1

static struct dentry *memacct_root;

static int version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "memacct %s\n", THIS_MODULE->version ? : "unknown");
	seq_printf(m, "format %d\n", MEMACCT_FORMAT_VERSION);
	seq_printf(m, "kernel %s\n", init_utsname()->release);
	seq_printf(m, "page_size %lu\n", PAGE_SIZE);
	seq_printf(m, "pmd_size %lu\n", HPAGE_PMD_SIZE);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(version);

/* How the page-table walks went since load: for stress tests and tuning. */
static int internals_show(struct seq_file *m, void *v)
{
	u64 scans, drops, hold, events, updates, rebuilds;
	struct memacct_read_profile prof;

	memacct_walk_stats(&scans, &drops, &hold);
	memacct_last_read_profile(&prof);
	memacct_mirror_stats(&events, &updates, &rebuilds);
	seq_printf(m, "scans %llu\n", scans);
	seq_printf(m, "mmap_lock_drops %llu\n", drops);
	seq_printf(m, "max_mmap_lock_hold_ns %llu\n", hold);
	seq_printf(m, "dedup_bytes %lu\n", memacct_dedup_bytes());
	seq_printf(m, "charge_scans %llu\n", memacct_charge_scans());
	seq_printf(m, "lru_fallbacks %llu\n", memacct_lru_fallbacks());
	seq_printf(m, "lru_folios %llu\n", memacct_lru_folios());
	seq_printf(m, "lru_restarts %llu\n", memacct_lru_restarts());
	seq_printf(m, "last_read_walk_ns %llu\n", prof.walk_ns);
	seq_printf(m, "last_read_grow_ns %llu\n", prof.grow_ns);
	seq_printf(m, "last_read_finish_ns %llu\n", prof.finish_ns);
	seq_printf(m, "last_read_charged_ns %llu\n", prof.charged_ns);
	seq_printf(m, "last_read_total_ns %llu\n", prof.total_ns);
	seq_printf(m, "cgroup_events %llu\n", events);
	seq_printf(m, "mirror_updates %llu\n", updates);
	seq_printf(m, "mirror_rebuilds %llu\n", rebuilds);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(internals);

static const struct {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
} memacct_files[] = {
	{ "version", 0400, &version_fops },
	{ "internals", 0400, &internals_fops },
	{ "tasks", 0400, &memacct_tasks_fops },
	{ "maps", 0400, &memacct_maps_fops },
	{ "task", 0600, &memacct_task_fops },
};

static int __init memacct_init(void)
{
	struct dentry *d;
	u64 root_id;
	int i;

	memacct_root = debugfs_create_dir("memacct", NULL);
	if (IS_ERR(memacct_root))
		return PTR_ERR(memacct_root);
	for (i = 0; i < ARRAY_SIZE(memacct_files); i++) {
		d = debugfs_create_file(memacct_files[i].name,
					memacct_files[i].mode, memacct_root,
					NULL, memacct_files[i].fops);
		if (IS_ERR(d))
			goto fail;
	}
	/* The root cgroup's stat; the other cgroups' come with the mirror. */
	if (!mem_cgroup_disabled()) {
		rcu_read_lock();
		root_id = memacct_memcg_id(memacct_root_memcg());
		rcu_read_unlock();
		d = debugfs_create_file("stat", 0400, memacct_root,
					(void *)(unsigned long)root_id,
					&memacct_cgroup_stat_fops);
		if (IS_ERR(d))
			goto fail;
		d = debugfs_create_file("summary", 0400, memacct_root, NULL,
					&memacct_summary_fops);
		if (IS_ERR(d))
			goto fail;
		d = debugfs_create_file("files", 0400, memacct_root,
					(void *)(unsigned long)root_id,
					&memacct_cgroup_files_fops);
		if (IS_ERR(d))
			goto fail;
		memacct_mirror_start(memacct_root);
		memacct_lru_fault_init();
	}
	return 0;
fail:
	debugfs_remove(memacct_root);
	return PTR_ERR(d);
}

static void __exit memacct_exit(void)
{
	if (!mem_cgroup_disabled()) {
		memacct_lru_fault_exit();
		memacct_mirror_stop();
	}
	debugfs_remove(memacct_root);
}

module_init(memacct_init);
module_exit(memacct_exit);

MODULE_DESCRIPTION("Exact memory accounting per process and memory cgroup");
MODULE_AUTHOR("The memacct authors");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1.0");
