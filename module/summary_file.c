// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/memacct/summary: every memory cgroup on one line, from
 * one pass over physical memory for all of them (not one per cgroup):
 * each charged page is put on its own memcg, then the sums are carried up
 * the hierarchy. The mapped view needs a page-table walk per cgroup and is
 * only in <cgroup>/stat.
 */
#include <linux/bsearch.h>
#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/page_counter.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "cgroup.h"
#include "cgstat.h"
#include "task.h"

struct summary_cg {
	struct mem_cgroup *memcg;
	int parent;			/* index, -1 for the root */
	struct memacct_cgstat cs;
};

/* A memcg and where its counters are, for the lookup by memcg pointer. */
struct summary_key {
	struct mem_cgroup *memcg;
	int idx;
};

struct summary {
	struct memacct_charge_sink sink;
	struct summary_cg *cg;		/* parents before children */
	struct summary_key *keys;	/* sorted by memcg */
	int nr;
};

static int key_cmp(const void *a, const void *b)
{
	const struct mem_cgroup *x = ((const struct summary_key *)a)->memcg;
	const struct mem_cgroup *y = ((const struct summary_key *)b)->memcg;

	return x < y ? -1 : x > y;
}

/* The entry of @memcg, or of its nearest listed ancestor (it may be
 * offline, or newer than the list). Under rcu_read_lock().
 */
static struct summary_cg *find_cg(struct summary *sum, struct mem_cgroup *memcg)
{
	for (; memcg; memcg = parent_mem_cgroup(memcg)) {
		struct summary_key key = { .memcg = memcg }, *k;

		k = bsearch(&key, sum->keys, sum->nr, sizeof(key), key_cmp);
		if (k)
			return &sum->cg[k->idx];
	}
	return NULL;
}

static struct memacct_cgstat *summary_stat_of(struct memacct_charge_sink *sink,
					      struct mem_cgroup *memcg)
{
	struct summary *sum = container_of(sink, struct summary, sink);
	struct summary_cg *cg = find_cg(sum, memcg);

	return cg ? &cg->cs : NULL;
}

static void count_processes(struct summary *sum)
{
	struct task_struct *task;
	pid_t nr = 1;

	while ((task = memacct_next_process(&nr))) {
		/* Processes with memory, by their mm's memcg, as <cgroup>/stat. */
		struct mem_cgroup *memcg = memacct_process_memcg(task);
		struct summary_cg *cg;

		if (memcg) {
			rcu_read_lock();
			cg = find_cg(sum, memcg);
			if (cg)
				cg->cs.nr_processes++;
			rcu_read_unlock();
			mem_cgroup_put(memcg);
		}
		put_task_struct(task);
		nr++;
	}
}

static void add_stats(struct memacct_cgstat *to, const struct memacct_cgstat *from)
{
	const u64 *f = (const u64 *)from;
	u64 *t = (u64 *)to;
	int i;

	/* memory_current is hierarchical already. */
	for (i = 0; i < sizeof(*to) / sizeof(u64); i++)
		if (&t[i] != &to->memory_current)
			t[i] += f[i];
}

static int summary_collect(struct summary *sum)
{
	/* Per read, in proportion to the cgroups: charged to the reader. */
	gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL;
	struct cgroup_subsys_state **css_arr;
	int i, ret;

	/* add_stats() adds the counters as an array. */
	BUILD_BUG_ON(sizeof(struct memacct_cgstat) % sizeof(u64));

	sum->nr = memacct_collect_memcgs(&css_arr);
	if (sum->nr < 0)
		return sum->nr;
	sum->cg = kvcalloc(sum->nr, sizeof(*sum->cg), gfp);
	sum->keys = kvcalloc(sum->nr, sizeof(*sum->keys), gfp);
	if (!sum->cg || !sum->keys) {
		for (i = 0; i < sum->nr; i++)
			css_put(css_arr[i]);
		kvfree(css_arr);
		kvfree(sum->keys);
		kvfree(sum->cg);
		sum->cg = NULL;
		return -ENOMEM;
	}
	/* From here the references belong to sum->cg, put by the caller. */
	for (i = 0; i < sum->nr; i++) {
		sum->cg[i].memcg = mem_cgroup_from_css(css_arr[i]);
		sum->keys[i].memcg = sum->cg[i].memcg;
		sum->keys[i].idx = i;
	}
	kvfree(css_arr);
	sort(sum->keys, sum->nr, sizeof(*sum->keys), key_cmp, NULL);
	/* Each parent by lookup, not by search: N log N for N memcgs. */
	for (i = 0; i < sum->nr; i++) {
		struct summary_key key, *k;

		key.memcg = parent_mem_cgroup(sum->cg[i].memcg);
		k = key.memcg ? bsearch(&key, sum->keys, sum->nr, sizeof(key),
					key_cmp) : NULL;
		/* The parent is online, so listed, and comes first. */
		sum->cg[i].parent = k && k->idx < i ? k->idx : -1;
		cond_resched();
	}
	count_processes(sum);
	sum->sink.stat_of = summary_stat_of;
	ret = memacct_charge_scan(&sum->sink);
	/* Children come after their parents: carry the sums up, in reverse. */
	for (i = sum->nr - 1; !ret && i >= 0; i--) {
		struct summary_cg *cg = &sum->cg[i];

		cg->cs.memory_current =
			(u64)page_counter_read(&cg->memcg->memory) << PAGE_SHIFT;
		if (cg->parent >= 0)
			add_stats(&sum->cg[cg->parent].cs, &cg->cs);
		cond_resched();
	}
	kvfree(sum->keys);
	sum->keys = NULL;
	return ret;
}

/* After the cgroup's path; unexplained comes last. */
static const char *const summary_columns[] = {
	"nr_processes", "memory_current", "charged_anon",
	"charged_file_mapped", "charged_file_unmapped", "charged_shmem",
	"charged_swapcache", "charged_kernel_pages", "charged_other",
	"charged_root_uncounted",
};

static void summary_header(struct seq_file *m)
{
	int i;

	seq_puts(m, "cgroup");
	for (i = 0; i < ARRAY_SIZE(summary_columns); i++) {
		seq_putc(m, ' ');
		seq_puts(m, summary_columns[i]);
	}
	seq_puts(m, " unexplained\n");
}

static void summary_line(struct seq_file *m, struct summary_cg *cg, char *buf)
{
	const struct memacct_cgstat *cs = &cg->cs;
	u64 charged = cs->charged_anon + cs->charged_file_mapped +
		      cs->charged_file_unmapped + cs->charged_shmem +
		      cs->charged_swapcache + cs->charged_kernel_pages +
		      cs->charged_other;
	const u64 vals[ARRAY_SIZE(summary_columns)] = {
		cs->nr_processes, cs->memory_current, cs->charged_anon,
		cs->charged_file_mapped, cs->charged_file_unmapped,
		cs->charged_shmem, cs->charged_swapcache,
		cs->charged_kernel_pages, cs->charged_other,
		cs->charged_root_uncounted,
	};
	int i;

	if (memacct_cgroup_path(cg->memcg->css.cgroup, buf, PATH_MAX) < 0)
		strscpy(buf, "-", PATH_MAX);
	seq_escape(m, buf, " \t\n\\");
	for (i = 0; i < ARRAY_SIZE(vals); i++)
		seq_put_decimal_ull(m, " ", vals[i]);
	seq_put_decimal_ll(m, " ", (s64)(cs->memory_current - charged));
	seq_putc(m, '\n');
}

static void summary_free(struct summary *sum)
{
	int i;

	for (i = 0; sum->cg && i < sum->nr; i++)
		css_put(&sum->cg[i].memcg->css);
	kvfree(sum->cg);
	kfree(sum);
}

static int summary_show(struct seq_file *m, void *v)
{
	struct summary *sum = m->private;
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	int i;

	if (!buf)
		return -ENOMEM;
	summary_header(m);
	for (i = 0; i < sum->nr; i++)
		summary_line(m, &sum->cg[i], buf);
	kfree(buf);
	return 0;
}

/*
 * The pass over memory is made once, at open: a seq_file that outgrows its
 * buffer calls ->show again, and long cgroup paths make any size guess
 * wrong. A reader that wants newer figures opens the file again.
 */
static int summary_open(struct inode *inode, struct file *file)
{
	struct summary *sum = kzalloc(sizeof(*sum), GFP_KERNEL_ACCOUNT);
	int ret;

	if (!sum)
		return -ENOMEM;
	ret = summary_collect(sum);
	if (!ret)
		ret = single_open(file, summary_show, sum);
	if (ret)
		summary_free(sum);
	return ret;
}

static int summary_release(struct inode *inode, struct file *file)
{
	struct summary *sum = ((struct seq_file *)file->private_data)->private;

	single_release(inode, file);
	summary_free(sum);
	return 0;
}

const struct file_operations memacct_summary_fops = {
	.owner = THIS_MODULE,
	.open = summary_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = summary_release,
};
