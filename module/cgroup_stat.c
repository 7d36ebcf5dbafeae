// SPDX-License-Identifier: GPL-2.0
/*
 * <cgroup>/stat: the cgroup subtree's memory, explained.
 *
 * One read walks the page tables of every process in the subtree, counting
 * each page once (dedup.c), then finds the pages charged to the subtree on
 * its LRU lists (lru_charge.c) or, with lru_view=0, in one pass over
 * physical memory (charge.c), and sets both against the memcg's page
 * counter (what memory.current shows).
 */
#include <linux/cpumask.h>
#include <linux/ktime.h>
#include <linux/memcontrol.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/page_counter.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/seqlock.h>
#include <linux/slab.h>

#include "cgroup.h"
#include "cgstat.h"
#include "dedup.h"
#include "task.h"

/* What the walk of one process adds; pss comes from the dedup counts. */
static void add_task(struct memacct_cgstat *cs, const struct memacct_stats *st)
{
	cs->nr_processes++;
	cs->swap += st->swap;
	cs->zero += st->zero;
	cs->cow_pending_zero += st->cow_pending_zero;
	cs->cow_pending_file += st->cow_pending_file;
	cs->cow_pending_anon += st->cow_pending_anon;
}

struct subtree_sink {
	struct memacct_charge_sink sink;
	struct mem_cgroup *root;
	struct memacct_cgstat *cs;
};

static struct memacct_cgstat *subtree_stat_of(struct memacct_charge_sink *sink,
					      struct mem_cgroup *memcg)
{
	struct subtree_sink *ss = container_of(sink, struct subtree_sink, sink);

	return mem_cgroup_is_descendant(memcg, ss->root) ? ss->cs : NULL;
}

/*
 * One cgroup read (stat or files) at a time: each holds a table of the
 * pages its processes map, and several at once would only compete for the
 * same CPUs and locks.
 */
static DEFINE_MUTEX(cgstat_lock);

int memacct_cgread_lock(void)
{
	return mutex_lock_killable(&cgstat_lock);
}

void memacct_cgread_unlock(void)
{
	mutex_unlock(&cgstat_lock);
}

/**
 * memacct_cgroup_walk() - walk the page tables of a cgroup subtree's processes.
 * @memcg: the subtree's root.
 * @dd: the table of pages seen, filled.
 * @cs: nr_processes and the sums over the processes, added to.
 *
 * Under memacct_cgread_lock(). Return: 0, -EINTR or -ENOMEM.
 */
int memacct_cgroup_walk(struct mem_cgroup *memcg, struct memacct_dedup *dd,
			struct memacct_cgstat *cs)
{
	struct memacct_task *t;
	struct task_struct *task;
	pid_t nr = 1;
	int ret = 0;

	t = memacct_task_alloc();
	if (!t)
		return -ENOMEM;
	while (!ret && (task = memacct_next_process(&nr))) {
		if (memacct_task_in(task, memcg)) {
			ret = memacct_task_scan(task, t, dd, 0, ULONG_MAX);
			if (!ret)
				add_task(cs, &t->st);
			else if (ret == -ESRCH)
				ret = 0;	/* exited meanwhile */
		}
		put_task_struct(task);
		nr++;
	}
	memacct_task_free(t);
	return ret;
}

/*
 * Where <cgroup>/stat takes the charged view from: true (the default), the
 * pages the subtree maps and its LRU lists (cost grows with the cgroup;
 * kernel pages and folios in flight not seen: lru_charge.c); false, one
 * pass over physical memory (every charged page, cost grows with the
 * host). The summary always makes that pass: one for all cgroups.
 */
static bool lru_view = true;
module_param(lru_view, bool, 0644);
MODULE_PARM_DESC(lru_view, "cgroup stat: charged view from the cgroup's LRU lists (default), or (0) from a pass over all of memory");

/* Reads whose LRU walk met a changed list and counted from memory instead. */
static atomic64_t lru_fallbacks;

u64 memacct_lru_fallbacks(void)
{
	return atomic64_read(&lru_fallbacks);
}

/*
 * Written under cgstat_lock, read by the internals file at any time: the
 * sequence count keeps a reader from mixing the phases of two reads.
 */
static struct memacct_read_profile last_profile;
static seqcount_mutex_t profile_seq = SEQCNT_MUTEX_ZERO(profile_seq,
							&cgstat_lock);

void memacct_last_read_profile(struct memacct_read_profile *p)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&profile_seq);
		*p = last_profile;
	} while (read_seqcount_retry(&profile_seq, seq));
}

/* A read's phases, published only for a read that succeeded. */
static void set_profile(u64 t0, u64 walked, u64 finished, u64 grow_ns)
{
	u64 t = ktime_get_ns();

	write_seqcount_begin(&profile_seq);
	last_profile.walk_ns = walked - t0;
	last_profile.grow_ns = grow_ns;
	last_profile.finish_ns = finished - walked;
	last_profile.charged_ns = t - finished;
	last_profile.total_ns = t - t0;
	write_seqcount_end(&profile_seq);
}

/* Forget the charged view (for a count from memory instead). */
static void clear_charged(struct memacct_cgstat *cs)
{
	size_t from = offsetof(struct memacct_cgstat, charged_anon);

	memset((char *)cs + from, 0,
	       offsetofend(struct memacct_cgstat, charged_root_uncounted) - from);
}

/*
 * Walk the subtree's processes, then its LRU lists or physical memory,
 * into @cs. *@lru: the LRU view is wanted; on return, whether it was used.
 */
static int cgstat_collect(struct mem_cgroup *memcg, struct memacct_cgstat *cs,
			  bool *lru)
{
	struct subtree_sink ss = {
		.sink.stat_of = subtree_stat_of,
		.root = memcg,
		.cs = cs,
	};
	struct memacct_dedup dd;
	u64 t0 = ktime_get_ns(), walked, finished;
	int ret;

	memacct_dedup_init(&dd, memcg, cs, *lru ? cs : NULL, NULL);
	ret = memacct_cgroup_walk(memcg, &dd, cs);
	if (ret)
		goto out;
	walked = ktime_get_ns();
	ret = memacct_dedup_finish(&dd);
	if (ret)
		goto out;
	finished = ktime_get_ns();
	if (*lru) {
		ret = memacct_lru_charge(memcg, &dd, cs);
		if (!ret && dd.overflow)
			ret = -EOVERFLOW;	/* cannot happen: dedup.c */
		if (ret == -EAGAIN) {
			atomic64_inc(&lru_fallbacks);
			clear_charged(cs);
			*lru = false;
		}
	}
	if (!*lru) {
		ss.sink.dd = &dd;
		ret = memacct_charge_scan(&ss.sink);
	}
	cs->memory_current = (u64)page_counter_read(&memcg->memory) << PAGE_SHIFT;
	if (!ret)
		set_profile(t0, walked, finished, dd.grow_ns);
out:
	memacct_dedup_free(&dd);
	return ret;
}

static void cgstat_show(struct seq_file *m, const struct memacct_cgstat *cs,
			bool lru)
{
	u64 charged = cs->charged_anon + cs->charged_file_mapped +
		      cs->charged_file_unmapped + cs->charged_shmem +
		      cs->charged_swapcache + cs->charged_kernel_pages +
		      cs->charged_other;
	const struct {
		const char *name;
		u64 val;
	} rows[] = {
		{ "nr_processes", cs->nr_processes },
		{ "rss", cs->rss_anon + cs->rss_file + cs->rss_shmem },
		{ "rss_anon", cs->rss_anon },
		{ "rss_file", cs->rss_file },
		{ "rss_shmem", cs->rss_shmem },
		{ "private", cs->private },
		{ "shared_external", cs->shared_external },
		{ "pss", cs->pss },
		{ "swap", cs->swap },
		{ "zero", cs->zero },
		{ "cow_pending", cs->cow_pending_anon + cs->cow_pending_zero +
				 cs->cow_pending_file },
		{ "cow_pending_anon", cs->cow_pending_anon },
		{ "cow_pending_zero", cs->cow_pending_zero },
		{ "cow_pending_file", cs->cow_pending_file },
		{ "lazyfree", cs->lazyfree },
		{ "locked", cs->locked },
		{ "mapped_charged_elsewhere", cs->mapped_charged_elsewhere },
		{ "charged_anon", cs->charged_anon },
		{ "charged_file_mapped", cs->charged_file_mapped },
		{ "charged_file_unmapped", cs->charged_file_unmapped },
		{ "charged_shmem", cs->charged_shmem },
		{ "charged_swapcache", cs->charged_swapcache },
		{ "charged_kernel_pages", cs->charged_kernel_pages },
		{ "charged_other", cs->charged_other },
		{ "charged_mapped_outside_only", cs->charged_mapped_outside_only },
		{ "charged_root_uncounted", cs->charged_root_uncounted },
		{ "memory_current", cs->memory_current },
	};
	int i;

	/* Which charged view this is: see lru_view above. */
	seq_printf(m, "charged_view %s\n", lru ? "lru" : "scan");

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		seq_puts(m, rows[i].name);
		seq_put_decimal_ull(m, " ", rows[i].val);
		seq_putc(m, '\n');
	}
	seq_put_decimal_ll(m, "unexplained ",
			   (s64)(cs->memory_current - charged));
	/* Charges parked per CPU (see docs/counters.md). */
	seq_put_decimal_ull(m, "\ncharge_batch_bound ",
			    (u64)MEMCG_CHARGE_BATCH * num_possible_cpus() *
			    PAGE_SIZE);
	seq_putc(m, '\n');
}

static int stat_show(struct seq_file *m, void *v)
{
	bool lru = READ_ONCE(lru_view);
	struct memacct_cgstat *cs;
	struct mem_cgroup *memcg;
	int ret;

	memcg = memacct_memcg_get((unsigned long)m->private);
	if (!memcg)
		return -ENOENT;
	cs = kzalloc(sizeof(*cs), GFP_KERNEL_ACCOUNT);
	ret = cs ? memacct_cgread_lock() : -ENOMEM;
	if (!ret) {
		ret = cgstat_collect(memcg, cs, &lru);
		memacct_cgread_unlock();
	}
	if (!ret)
		cgstat_show(m, cs, lru);
	kfree(cs);
	css_put(&memcg->css);
	return ret;
}

static int stat_open(struct inode *inode, struct file *file)
{
	return single_open(file, stat_show, inode->i_private);
}

const struct file_operations memacct_cgroup_stat_fops = {
	.owner = THIS_MODULE,
	.open = stat_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};
