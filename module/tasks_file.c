// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/memacct/tasks: a header line, then one row per process.
 *
 * The seq_file position is the pid to look at next, so a read that stops
 * and resumes (or a buffer that overflows and is refilled) carries on at
 * the right process however many exited or started meanwhile.
 */
#include <linux/debugfs.h>
#include <linux/memcontrol.h>
#include <linux/pid.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>

#include "cgroup.h"
#include "files.h"
#include "task.h"

/*
 * Per open: the row being built, and the cgroup shown (id 0: every
 * process). The memcg is held only from ->start to ->stop, so an open file
 * does not keep a removed cgroup's memcg alive. A row that did not fit in
 * what one read() returns is shown again by the next: row_pid and
 * row_start say which process @task already holds, so it is not walked
 * twice.
 */
struct tasks_iter {
	struct memacct_task task;
	u64 id;
	struct mem_cgroup *memcg;
	pid_t row_pid;
	u64 row_start;
};

static void *tasks_start(struct seq_file *m, loff_t *pos)
{
	struct tasks_iter *it = m->private;
	struct task_struct *task;
	pid_t nr;

	if (it->id) {
		it->memcg = memacct_memcg_get(it->id);
		/* The cgroup was removed since the file was opened. */
		if (!it->memcg)
			return ERR_PTR(-ENOENT);
	}
	if (!*pos) {
		it->row_pid = 0;	/* a read from the top scans afresh */
		return SEQ_START_TOKEN;
	}
	if (*pos > PID_MAX_LIMIT)
		return NULL;
	nr = *pos;
	task = memacct_next_process(&nr);
	if (task)
		*pos = nr;
	return task;
}

static void *tasks_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct task_struct *task;
	pid_t nr = 1;

	if (v != SEQ_START_TOKEN) {
		nr = task_tgid_nr(v) + 1;
		put_task_struct(v);
	}
	*pos = nr;
	if (nr > PID_MAX_LIMIT)
		return NULL;
	task = memacct_next_process(&nr);
	if (task)
		*pos = nr;
	return task;
}

static void tasks_stop(struct seq_file *m, void *v)
{
	struct tasks_iter *it = m->private;

	if (!IS_ERR_OR_NULL(v) && v != SEQ_START_TOKEN)
		put_task_struct(v);
	if (it->memcg) {
		css_put(&it->memcg->css);
		it->memcg = NULL;
	}
}

static int tasks_show(struct seq_file *m, void *v)
{
	struct tasks_iter *it = m->private;
	struct memacct_task *t = &it->task;
	struct task_struct *task = v;
	int ret;

	if (v == SEQ_START_TOKEN) {
		memacct_seq_task_header(m);
		return 0;
	}
	if (it->row_pid == task_tgid_nr(task) &&
	    it->row_start == task->start_time)
		goto show;
	it->row_pid = 0;
	if (it->memcg && !memacct_task_in(task, it->memcg))
		return SEQ_SKIP;
	ret = memacct_task_scan(task, t, NULL, 0, ULONG_MAX);
	if (ret == -ESRCH)
		return SEQ_SKIP;	/* exited, or a kernel thread */
	if (ret)
		return ret;
	it->row_pid = t->pid;
	it->row_start = task->start_time;
show:
	memacct_seq_task_row(m, t);
	return 0;
}

static const struct seq_operations tasks_seq_ops = {
	.start = tasks_start,
	.next = tasks_next,
	.stop = tasks_stop,
	.show = tasks_show,
};

/* i_private: the cgroup id of a mirrored cgroup, or 0 for every process. */
static int tasks_open(struct inode *inode, struct file *file)
{
	u64 id = (unsigned long)inode->i_private;
	struct mem_cgroup *memcg;
	struct tasks_iter *it;

	if (id) {
		memcg = memacct_memcg_get(id);
		if (!memcg)
			return -ENOENT;
		css_put(&memcg->css);
	}
	it = __seq_open_private(file, &tasks_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->id = id;
	return 0;
}

const struct file_operations memacct_tasks_fops = {
	.owner = THIS_MODULE,
	.open = tasks_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};
