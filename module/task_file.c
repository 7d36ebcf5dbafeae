// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/memacct/task: write a pid, read that process's counters
 * as key/value lines. "PID START END" (addresses in C notation: 0x... for
 * hex) restricts the counters to the mappings in [START, END). The question
 * belongs to the open file, so concurrent users never see each other's
 * answer. Every read from offset 0 scans afresh.
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
#include <linux/string.h>
#include <linux/uaccess.h>

#include "files.h"
#include "task.h"

/* "PID 0x... 0x...\n" with room for spaces; anything longer is not one. */
#define MEMACCT_QUERY_MAX 80

struct task_query {
	struct pid *pid;		/* NULL until a pid is written */
	unsigned long start, end;	/* address range, [start, end) */
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
	ret = memacct_task_scan(task, &q->task, NULL, q->start, q->end);
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
	if (task && memacct_process_has_mm(task))
		get_pid(pid);
	else
		pid = NULL;
	rcu_read_unlock();
	return pid;
}

/* "PID" or "PID START END", one optional trailing newline. */
static int parse_query(char *buf, int *nr, unsigned long *start,
		       unsigned long *end)
{
	char *tok[3];
	int n = 0;
	char *t;

	while ((t = strsep(&buf, " ")) != NULL) {
		if (!*t)
			continue;	/* runs of spaces */
		if (n == ARRAY_SIZE(tok))
			return -EINVAL;
		tok[n++] = t;
	}
	if (n != 1 && n != 3)
		return -EINVAL;
	if (kstrtoint(tok[0], 10, nr) || *nr <= 0)
		return -EINVAL;
	*start = 0;
	*end = ULONG_MAX;
	if (n == 3 && (kstrtoul(tok[1], 0, start) || kstrtoul(tok[2], 0, end) ||
		       *start >= *end))
		return -EINVAL;
	/* Whole pages: a range covers every page it touches. */
	if (n == 3) {
		*start &= PAGE_MASK;
		if (*end <= ULONG_MAX - PAGE_SIZE)
			*end = PAGE_ALIGN(*end);
	}
	return 0;
}

static ssize_t task_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct task_query *q = m->private;
	char buf[MEMACCT_QUERY_MAX + 1];
	unsigned long start, end;
	struct pid *pid;
	int nr;

	if (!count || count > MEMACCT_QUERY_MAX)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	if (memchr(buf, '\0', count))
		return -EINVAL;		/* "1\0garbage" is not "1" */
	buf[count] = '\0';
	if (buf[count - 1] == '\n')
		buf[count - 1] = '\0';
	if (parse_query(buf, &nr, &start, &end))
		return -EINVAL;
	pid = find_process(nr);
	if (!pid)
		return -ESRCH;

	mutex_lock(&m->lock);
	put_pid(q->pid);
	q->pid = pid;
	q->start = start;
	q->end = end;
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
