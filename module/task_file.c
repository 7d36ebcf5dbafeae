// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/memacct/task: write a pid, read that process's counters
 * as key/value lines. The pid belongs to the open file, so concurrent users
 * never see each other's answer. Every read from offset 0 scans afresh.
 *
 * The struct pid is held, not the number: if the process exits and its pid
 * is reused before the read, the read fails with ESRCH rather than
 * describing a stranger.
 */
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "files.h"
#include "task.h"

/* "2147483647\n" and some room for spaces; anything longer is not a pid. */
#define MEMACCT_PID_WRITE_MAX 32

struct task_query {
	struct pid *pid;		/* NULL until a pid is written */
	struct memacct_task task;
};

static int task_show(struct seq_file *m, void *v)
{
	struct task_query *q = m->private;
	struct task_struct *task;
	int ret;

	if (!q->pid)
		return -EINVAL;		/* nothing asked yet */
	task = get_pid_task(q->pid, PIDTYPE_TGID);
	if (!task)
		return -ESRCH;
	ret = memacct_task_scan(task, &q->task);
	put_task_struct(task);
	if (ret)
		return ret;
	memacct_seq_task_keys(m, &q->task);
	return 0;
}

/* The live process with thread-group id @nr that has an mm, or NULL. */
static struct pid *find_process(int nr)
{
	struct task_struct *task;
	struct pid *pid;

	rcu_read_lock();
	pid = find_pid_ns(nr, &init_pid_ns);
	task = pid ? pid_task(pid, PIDTYPE_TGID) : NULL;
	if (task && !(task->flags & PF_KTHREAD) && READ_ONCE(task->mm))
		get_pid(pid);
	else
		pid = NULL;
	rcu_read_unlock();
	return pid;
}

static ssize_t task_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct task_query *q = m->private;
	struct pid *pid;
	int nr;

	if (!count || count > MEMACCT_PID_WRITE_MAX)
		return -EINVAL;
	if (kstrtoint_from_user(ubuf, count, 10, &nr) || nr <= 0)
		return -EINVAL;
	pid = find_process(nr);
	if (!pid)
		return -ESRCH;

	mutex_lock(&m->lock);
	put_pid(q->pid);
	q->pid = pid;
	mutex_unlock(&m->lock);
	/* The next read on this file starts a fresh answer at offset 0. */
	*ppos = 0;
	return count;
}

static int task_open(struct inode *inode, struct file *file)
{
	struct task_query *q;
	int ret;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	ret = single_open(file, task_show, q);
	if (ret)
		kfree(q);
	return ret;
}

static int task_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct task_query *q = m->private;

	put_pid(q->pid);
	kfree(q);
	return single_release(inode, file);
}

const struct file_operations memacct_task_fops = {
	.owner = THIS_MODULE,
	.open = task_open,
	.read = seq_read,
	.write = task_write,
	.llseek = seq_lseek,
	.release = task_release,
};
