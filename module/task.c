// SPDX-License-Identifier: GPL-2.0
/*
 * A process's counters and how they are printed: one row of a tasks file,
 * or key/value lines for the task query file.
 */
#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "cgroup.h"
#include "task.h"
#include "walk.h"

const char *const memacct_counter_names[MEMACCT_NR_COUNTERS] = {
	[MEMACCT_VSZ] = "vsz",
	[MEMACCT_RSS] = "rss",
	[MEMACCT_RSS_ANON] = "rss_anon",
	[MEMACCT_RSS_FILE] = "rss_file",
	[MEMACCT_RSS_SHMEM] = "rss_shmem",
	[MEMACCT_PSS] = "pss",
	[MEMACCT_PSS_ANON] = "pss_anon",
	[MEMACCT_PSS_FILE] = "pss_file",
	[MEMACCT_PSS_SHMEM] = "pss_shmem",
	[MEMACCT_USS] = "uss",
	[MEMACCT_SHARED] = "shared",
	[MEMACCT_PRIVATE_CLEAN] = "private_clean",
	[MEMACCT_PRIVATE_DIRTY] = "private_dirty",
	[MEMACCT_SHARED_CLEAN] = "shared_clean",
	[MEMACCT_SHARED_DIRTY] = "shared_dirty",
	[MEMACCT_ANON] = "anon",
	[MEMACCT_ANON_THP] = "anon_thp",
	[MEMACCT_FILE_THP] = "file_thp",
	[MEMACCT_SHMEM_THP] = "shmem_thp",
	[MEMACCT_HUGETLB] = "hugetlb",
	[MEMACCT_SWAP] = "swap",
	[MEMACCT_ZERO] = "zero",
	[MEMACCT_COW_PENDING] = "cow_pending",
	[MEMACCT_COW_PENDING_ZERO] = "cow_pending_zero",
	[MEMACCT_COW_PENDING_FILE] = "cow_pending_file",
	[MEMACCT_COW_PENDING_ANON] = "cow_pending_anon",
	[MEMACCT_CHARGED_OWN] = "charged_own",
	[MEMACCT_CHARGED_OTHER] = "charged_other",
	[MEMACCT_PAGETABLES] = "pagetables",
	[MEMACCT_REFERENCED] = "referenced",
	[MEMACCT_LAZYFREE] = "lazyfree",
	[MEMACCT_KSM] = "ksm",
	[MEMACCT_PSS_DIRTY] = "pss_dirty",
	[MEMACCT_LOCKED] = "locked",
	[MEMACCT_SHARED_HUGETLB] = "shared_hugetlb",
	[MEMACCT_PRIVATE_HUGETLB] = "private_hugetlb",
};

void memacct_stats_values(const struct memacct_stats *st,
			  u64 v[MEMACCT_NR_COUNTERS])
{
	v[MEMACCT_VSZ] = st->vsz;
	v[MEMACCT_RSS_ANON] = st->rss_anon;
	v[MEMACCT_RSS_FILE] = st->rss_file;
	v[MEMACCT_RSS_SHMEM] = st->rss_shmem;
	v[MEMACCT_RSS] = st->rss_anon + st->rss_file + st->rss_shmem;
	/* One shift of the sum, as smaps_rollup: not the sum of the shifts. */
	v[MEMACCT_PSS] = (st->pss_anon + st->pss_file + st->pss_shmem) >>
			 MEMACCT_PSS_SHIFT;
	v[MEMACCT_PSS_ANON] = st->pss_anon >> MEMACCT_PSS_SHIFT;
	v[MEMACCT_PSS_FILE] = st->pss_file >> MEMACCT_PSS_SHIFT;
	v[MEMACCT_PSS_SHMEM] = st->pss_shmem >> MEMACCT_PSS_SHIFT;
	v[MEMACCT_PRIVATE_CLEAN] = st->private_clean;
	v[MEMACCT_PRIVATE_DIRTY] = st->private_dirty;
	v[MEMACCT_SHARED_CLEAN] = st->shared_clean;
	v[MEMACCT_SHARED_DIRTY] = st->shared_dirty;
	v[MEMACCT_USS] = st->private_clean + st->private_dirty;
	v[MEMACCT_SHARED] = st->shared_clean + st->shared_dirty;
	v[MEMACCT_ANON] = st->rss_anon;
	v[MEMACCT_ANON_THP] = st->anon_thp;
	v[MEMACCT_FILE_THP] = st->file_thp;
	v[MEMACCT_SHMEM_THP] = st->shmem_thp;
	v[MEMACCT_HUGETLB] = st->shared_hugetlb + st->private_hugetlb;
	v[MEMACCT_SWAP] = st->swap;
	v[MEMACCT_ZERO] = st->zero;
	v[MEMACCT_COW_PENDING_ZERO] = st->cow_pending_zero;
	v[MEMACCT_COW_PENDING_FILE] = st->cow_pending_file;
	v[MEMACCT_COW_PENDING_ANON] = st->cow_pending_anon;
	v[MEMACCT_COW_PENDING] = st->cow_pending_zero + st->cow_pending_file +
				 st->cow_pending_anon;
	v[MEMACCT_CHARGED_OWN] = st->charged_own;
	v[MEMACCT_CHARGED_OTHER] = st->charged_other;
	v[MEMACCT_PAGETABLES] = st->pagetables;
	v[MEMACCT_REFERENCED] = st->referenced;
	v[MEMACCT_LAZYFREE] = st->lazyfree;
	v[MEMACCT_KSM] = st->ksm;
	v[MEMACCT_PSS_DIRTY] = st->pss_dirty >> MEMACCT_PSS_SHIFT;
	v[MEMACCT_LOCKED] = st->pss_locked >> MEMACCT_PSS_SHIFT;
	v[MEMACCT_SHARED_HUGETLB] = st->shared_hugetlb;
	v[MEMACCT_PRIVATE_HUGETLB] = st->private_hugetlb;
}

struct memacct_task *memacct_task_alloc(void)
{
	return kmalloc(sizeof(struct memacct_task), GFP_KERNEL);
}

void memacct_task_free(struct memacct_task *t)
{
	kfree(t);
}

/*
 * The first thread-group leader whose pid (initial namespace) is at least
 * *@nr, with a reference held; *@nr is set to its pid. NULL when none is.
 */
struct task_struct *memacct_next_process(pid_t *nr)
{
	struct task_struct *task = NULL;
	struct pid *pid;

	rcu_read_lock();
	while ((pid = find_ge_pid(*nr, &init_pid_ns))) {
		task = pid_task(pid, PIDTYPE_TGID);
		*nr = pid_nr(pid);
		if (task) {
			get_task_struct(task);
			break;
		}
		(*nr)++;
	}
	rcu_read_unlock();
	return task;
}

/*
 * The mm of process @task: the leader's, or a live thread's once the leader
 * has exited (pthread_exit() in main() leaves the process running).
 */
struct mm_struct *memacct_process_mm(struct task_struct *task)
{
	struct mm_struct *mm = get_task_mm(task);
	struct task_struct *t;

	if (mm || (task->flags & PF_KTHREAD))
		return mm;
	rcu_read_lock();
	for_each_thread(task, t) {
		mm = get_task_mm(t);
		if (mm)
			break;
	}
	rcu_read_unlock();
	return mm;
}

/**
 * memacct_process_memcg() - the memcg @task's memory is charged to.
 * @task: a thread-group leader the caller holds a reference on.
 *
 * That of its mm's owner, which charges and the cgroup column follow; not
 * the leader's cgroup, which a process whose leader has exited leaves
 * behind when it is moved (migration skips exiting tasks). Sleeps.
 *
 * Return: a memcg to release with mem_cgroup_put(), or NULL when no thread
 * of @task has an mm.
 */
struct mem_cgroup *memacct_process_memcg(struct task_struct *task)
{
	struct mm_struct *mm = memacct_process_mm(task);
	struct mem_cgroup *memcg;

	if (!mm)
		return NULL;
	memcg = get_mem_cgroup_from_mm(mm);
	mmput(mm);
	return memcg;
}

bool memacct_process_has_mm(struct task_struct *task)
{
	struct task_struct *t;
	bool has = false;

	if (task->flags & PF_KTHREAD)
		return false;
	rcu_read_lock();
	for_each_thread(task, t) {
		if (READ_ONCE(t->mm)) {
			has = true;
			break;
		}
	}
	rcu_read_unlock();
	return has;
}

static void memcg_path(struct mem_cgroup *memcg, char *buf, size_t len)
{
	int ret = -ENOENT;

	if (memcg)
		ret = memacct_cgroup_path(memcg->css.cgroup, buf, len);
	if (ret < 0)
		strscpy(buf, "-", len);
}

/**
 * memacct_task_scan() - gather one process's identity and counters.
 * @task: a thread-group leader the caller holds a reference on.
 * @t: filled on success.
 * @dd: if not NULL, also records each page mapped (cgroup reads).
 * @start: first address to count (0 for all).
 * @end: end of the range (ULONG_MAX for all).
 *
 * Return: 0; -ESRCH when no thread of @task has an mm (exited, or a kernel
 * thread);
 * -EINTR when interrupted by a fatal signal; -ENOMEM when @dd could not grow.
 */
int memacct_task_scan(struct task_struct *task, struct memacct_task *t,
		      struct memacct_dedup *dd, unsigned long start,
		      unsigned long end)
{
	struct mem_cgroup *memcg;
	struct mm_struct *mm;
	int ret;

	mm = memacct_process_mm(task);
	if (!mm)
		return -ESRCH;
	memset(&t->st, 0, sizeof(t->st));
	t->pid = task_tgid_nr(task);
	get_task_comm(t->comm, task);
	memcg = get_mem_cgroup_from_mm(mm);
	memcg_path(memcg, t->cgroup, sizeof(t->cgroup));
	ret = memacct_scan_mm(mm, memcg, &t->st, dd, start, end);
	mem_cgroup_put(memcg);
	mmput(mm);
	return ret;
}

void memacct_seq_task_header(struct seq_file *m)
{
	int i;

	seq_puts(m, "pid comm cgroup");
	for (i = 0; i < MEMACCT_NR_COUNTERS; i++) {
		seq_putc(m, ' ');
		seq_puts(m, memacct_counter_names[i]);
	}
	seq_putc(m, '\n');
}

void memacct_seq_task_row(struct seq_file *m, const struct memacct_task *t)
{
	u64 v[MEMACCT_NR_COUNTERS];
	int i;

	memacct_stats_values(&t->st, v);
	seq_put_decimal_ll(m, "", t->pid);
	seq_putc(m, ' ');
	seq_escape(m, t->comm, MEMACCT_ESCAPE);
	seq_putc(m, ' ');
	seq_escape(m, t->cgroup, MEMACCT_ESCAPE);
	for (i = 0; i < MEMACCT_NR_COUNTERS; i++)
		seq_put_decimal_ull(m, " ", v[i]);
	seq_putc(m, '\n');
}

void memacct_seq_task_keys(struct seq_file *m, const struct memacct_task *t)
{
	u64 v[MEMACCT_NR_COUNTERS];
	int i;

	memacct_stats_values(&t->st, v);
	seq_put_decimal_ll(m, "pid ", t->pid);
	seq_puts(m, "\ncomm ");
	seq_escape(m, t->comm, MEMACCT_ESCAPE);
	seq_puts(m, "\ncgroup ");
	seq_escape(m, t->cgroup, MEMACCT_ESCAPE);
	seq_putc(m, '\n');
	for (i = 0; i < MEMACCT_NR_COUNTERS; i++) {
		seq_puts(m, memacct_counter_names[i]);
		seq_put_decimal_ull(m, " ", v[i]);
		seq_putc(m, '\n');
	}
}
