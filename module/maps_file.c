// SPDX-License-Identifier: GPL-2.0
/*
 * maps: a header line, then one row per mapping of every process (or of a
 * mirrored cgroup's processes), with the counters /proc/PID/smaps gives
 * that mapping. Read-only, so it serves under lockdown too.
 *
 * A row is one VMA, walked under the mmap lock as the tasks files walk a
 * whole mm; the lock is taken again for every row, as smaps does for every
 * read() at least. The iterator remembers the row it stands at (process
 * and address), so a read that stops and resumes carries on at the next
 * mapping whatever was mapped, unmapped or exited meanwhile; a row that
 * did not fit in what one read() returns is shown again without a new walk.
 */
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/kdev_t.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>

#include "cgroup.h"
#include "compat.h"
#include "files.h"
#include "task.h"
#include "walk.h"

/*
 * Per open. pid, start_time and addr name the row at index: the process
 * and the address its next mapping is looked up from. The memcg is held
 * from ->start to ->stop only. row_index says which row @row holds; its
 * file reference is dropped at the end of the file, on a seek and on
 * release.
 */
struct maps_iter {
	u64 id;
	struct mem_cgroup *memcg;
	loff_t index;
	pid_t pid;
	u64 start_time;
	unsigned long addr;
	loff_t row_index;
	struct memacct_vma row;
};

/* ->start's answer when it stands at the row it already holds. */
#define MAPS_ROW ((void *)2)

static bool is_task(void *v)
{
	return !IS_ERR_OR_NULL(v) && v != SEQ_START_TOKEN && v != MAPS_ROW;
}

static void row_drop(struct maps_iter *it)
{
	if (it->row.file)
		fput(it->row.file);
	it->row.file = NULL;
	it->row_index = 0;
}

/* The process at it->pid or after it; a new one starts at address 0. */
static struct task_struct *maps_task(struct maps_iter *it)
{
	struct task_struct *task;
	pid_t nr = it->pid;

	if (nr > PID_MAX_LIMIT)
		return NULL;
	task = memacct_next_process(&nr);
	if (task && (nr != it->pid || task->start_time != it->start_time)) {
		it->pid = nr;
		it->start_time = task->start_time;
		it->addr = 0;
	}
	return task;
}

static void *maps_start(struct seq_file *m, loff_t *pos)
{
	struct maps_iter *it = m->private;

	if (it->id) {
		it->memcg = memacct_memcg_get(it->id);
		if (!it->memcg)
			return ERR_PTR(-ENOENT);	/* removed since open */
	}
	if (!*pos) {
		row_drop(it);
		it->index = 0;
		it->pid = 1;
		it->start_time = 0;
		it->addr = 0;
		return SEQ_START_TOKEN;
	}
	/* Anything but the row we stand at is a seek: start afresh. */
	if (*pos != it->index) {
		row_drop(it);
		return NULL;
	}
	/* Shown again as it was, whoever has exited since. */
	if (it->row_index == it->index)
		return MAPS_ROW;
	return maps_task(it);
}

static void *maps_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct maps_iter *it = m->private;
	struct task_struct *task;

	if (is_task(v))
		put_task_struct(v);
	it->index = ++*pos;
	task = maps_task(it);
	if (!task)
		row_drop(it);	/* the end: no row is shown again */
	return task;
}

static void maps_stop(struct seq_file *m, void *v)
{
	struct maps_iter *it = m->private;

	if (is_task(v))
		put_task_struct(v);
	if (it->memcg) {
		css_put(&it->memcg->css);
		it->memcg = NULL;
	}
}

static void maps_header(struct seq_file *m)
{
	int i;

	seq_puts(m, "pid start end perms offset dev inode kernel_page_size");
	for (i = 0; i < MEMACCT_NR_COUNTERS; i++) {
		if (i == MEMACCT_PAGETABLES)
			continue;	/* an mm's, not a mapping's */
		seq_putc(m, ' ');
		seq_puts(m, memacct_counter_names[i]);
	}
	seq_puts(m, " path\n");
}

static void maps_row(struct seq_file *m, pid_t pid, const struct memacct_vma *v)
{
	u64 val[MEMACCT_NR_COUNTERS];
	vm_flags_t f = v->flags;
	int i;

	memacct_stats_values(&v->st, val);
	seq_put_decimal_ll(m, "", pid);
	seq_put_decimal_ull(m, " ", v->start);
	seq_put_decimal_ull(m, " ", v->end);
	seq_printf(m, " %c%c%c%c", f & VM_READ ? 'r' : '-',
		   f & VM_WRITE ? 'w' : '-', f & VM_EXEC ? 'x' : '-',
		   f & VM_MAYSHARE ? 's' : 'p');
	seq_put_decimal_ull(m, " ", v->offset);
	seq_printf(m, " %u:%u", MAJOR(v->dev), MINOR(v->dev));
	seq_put_decimal_ull(m, " ", v->ino);
	seq_put_decimal_ull(m, " ", v->page_size);
	for (i = 0; i < MEMACCT_NR_COUNTERS; i++)
		if (i != MEMACCT_PAGETABLES)
			seq_put_decimal_ull(m, " ", val[i]);
	seq_putc(m, ' ');
	/* "-": no name; a path starts with '/' or is an escaped name. */
	if (v->file)
		seq_path(m, memacct_file_user_path(v->file), MEMACCT_ESCAPE);
	else if (v->name[0])
		seq_escape(m, v->name, MEMACCT_ESCAPE);
	else
		seq_putc(m, '-');
	seq_putc(m, '\n');
}

/* Walk the mapping at it->addr of @task into it->row. */
static int maps_scan(struct maps_iter *it, struct task_struct *task)
{
	struct mem_cgroup *memcg;
	struct mm_struct *mm;
	int ret;

	mm = memacct_process_mm(task);
	if (!mm)
		return -ESRCH;
	memcg = get_mem_cgroup_from_mm(mm);
	ret = memacct_scan_vma(mm, memcg, it->addr, &it->row);
	mem_cgroup_put(memcg);
	mmput(mm);
	return ret;
}

static int maps_show(struct seq_file *m, void *v)
{
	struct maps_iter *it = m->private;
	struct task_struct *task = v;
	int ret;

	if (v == SEQ_START_TOKEN) {
		maps_header(m);
		return 0;
	}
	if (v == MAPS_ROW)
		goto show;
	row_drop(it);
	ret = -ESRCH;
	if (!it->memcg || memacct_task_in(task, it->memcg))
		ret = maps_scan(it, task);
	if (ret == -ESRCH || ret == -ENOENT) {
		/* Not a member, exited, or no mapping left: the next process. */
		it->pid++;
		return SEQ_SKIP;
	}
	if (ret)
		return ret;
	it->row_index = it->index;
	it->addr = it->row.end;
show:
	maps_row(m, it->pid, &it->row);
	return 0;
}

static const struct seq_operations maps_seq_ops = {
	.start = maps_start,
	.next = maps_next,
	.stop = maps_stop,
	.show = maps_show,
};

/* i_private: the cgroup id of a mirrored cgroup, or 0 for every process. */
static int maps_open(struct inode *inode, struct file *file)
{
	u64 id = (unsigned long)inode->i_private;
	struct mem_cgroup *memcg;
	struct maps_iter *it;

	if (id) {
		memcg = memacct_memcg_get(id);
		if (!memcg)
			return -ENOENT;
		css_put(&memcg->css);
	}
	it = __seq_open_private(file, &maps_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->id = id;
	return 0;
}

static int maps_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	row_drop(m->private);
	return seq_release_private(inode, file);
}

const struct file_operations memacct_maps_fops = {
	.owner = THIS_MODULE,
	.open = maps_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = maps_release,
};
