// SPDX-License-Identifier: GPL-2.0
/*
 * <cgroup>/files: one row per backing object the subtree's processes map
 * (a file or shmem object, or the kind of an anonymous mapping), each page
 * counted once, largest first: what it costs the cgroup, and who pays.
 *
 * The subtree is walked once, at open, as for stat (objects.c says which
 * object a page belongs to), and every reference the walk took is dropped
 * before the open returns; reads format what was gathered, so a large
 * file read in pieces is one consistent picture.
 */
#include <linux/cgroup.h>
#include <linux/kdev_t.h>
#include <linux/memcontrol.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "cgroup.h"
#include "cgstat.h"
#include "dedup.h"
#include "objects.h"
#include "task.h"

struct files_read {
	struct memacct_objects o;
	u32 *order;		/* objects, largest resident first */
};

static u64 rss(const struct memacct_object *obj)
{
	return obj->rss_anon + obj->rss_file + obj->rss_shmem;
}

static int cmp_rss(const void *a, const void *b, const void *priv)
{
	const struct memacct_objects *o = priv;
	u32 x = *(const u32 *)a, y = *(const u32 *)b;
	u64 rx = rss(&o->v[x]), ry = rss(&o->v[y]);

	if (rx != ry)
		return rx > ry ? -1 : 1;
	return x < y ? -1 : x > y;	/* then in the walk's order */
}

/* Walk the subtree of @memcg into @f. */
static int files_collect(struct mem_cgroup *memcg, struct files_read *f)
{
	struct memacct_cgstat *cs;
	struct memacct_dedup dd;
	u32 i;
	int ret;

	cs = kzalloc(sizeof(*cs), GFP_KERNEL_ACCOUNT);
	if (!cs)
		return -ENOMEM;
	ret = memacct_objects_init(&f->o);
	if (ret)
		goto out_cs;
	memacct_dedup_init(&dd, memcg, cs, NULL, &f->o);
	ret = memacct_cgroup_walk(memcg, &dd, cs);
	if (!ret)
		ret = memacct_dedup_finish(&dd);
	if (!ret)
		ret = memacct_objects_finish(&f->o, &dd);
	memacct_dedup_free(&dd);
	if (ret)
		goto out_cs;
	f->order = kvmalloc_array(max(f->o.nr, 1U), sizeof(*f->order),
				  GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (!f->order)
		goto out_cs;
	for (i = 0; i < f->o.nr; i++)
		f->order[i] = i;
	sort_r(f->order, f->o.nr, sizeof(*f->order), cmp_rss, NULL, &f->o);
	ret = 0;
out_cs:
	kfree(cs);
	return ret;
}

static void files_header(struct seq_file *m)
{
	seq_puts(m, "dev inode rss rss_anon rss_file rss_shmem private shared_external pss swap zero cow_pending lazyfree locked charged_here charged_elsewhere payer_charged processes cgroups payer path\n");
}

static void files_row(struct seq_file *m, struct files_read *f,
		      const struct memacct_object *obj)
{
	const u64 v[] = {
		rss(obj), obj->rss_anon, obj->rss_file, obj->rss_shmem,
		obj->private, obj->shared_external, obj->pss, obj->swap,
		obj->zero, obj->cow_pending, obj->lazyfree, obj->locked,
		obj->charged_here, obj->charged_elsewhere, obj->payer_bytes,
		obj->processes, obj->cgroups,
	};
	const char *payer = memacct_objects_payer(&f->o, obj->payer);
	int i;

	seq_printf(m, "%u:%u", MAJOR(obj->dev), MINOR(obj->dev));
	seq_put_decimal_ull(m, " ", obj->ino);
	for (i = 0; i < ARRAY_SIZE(v); i++)
		seq_put_decimal_ull(m, " ", v[i]);
	seq_putc(m, ' ');
	if (payer)
		seq_escape(m, payer, MEMACCT_ESCAPE);
	else
		seq_putc(m, '-');
	seq_putc(m, ' ');
	seq_escape(m, obj->path ?: obj->name, MEMACCT_ESCAPE);
	seq_putc(m, '\n');
}

static int files_show(struct seq_file *m, void *v)
{
	struct files_read *f = m->private;
	u32 i;

	files_header(m);
	for (i = 0; i < f->o.nr; i++) {
		files_row(m, f, &f->o.v[f->order[i]]);
		if (!(i % 256))
			cond_resched();
	}
	return 0;
}

static void files_free(struct files_read *f)
{
	memacct_objects_free(&f->o);
	kvfree(f->order);
	kfree(f);
}

/* i_private: the cgroup id of a mirrored cgroup. */
static int files_open(struct inode *inode, struct file *file)
{
	struct mem_cgroup *memcg;
	struct files_read *f;
	int ret;

	memcg = memacct_memcg_get((unsigned long)inode->i_private);
	if (!memcg)
		return -ENOENT;
	ret = -ENOMEM;
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (f) {
		ret = memacct_cgread_lock();
		if (!ret) {
			ret = files_collect(memcg, f);
			memacct_cgread_unlock();
		}
	}
	css_put(&memcg->css);
	/* A row is about 200 bytes and its paths: most fit at first. */
	if (!ret)
		ret = single_open_size(file, files_show, f,
				       (size_t)(f->o.nr + 1) * 512);
	if (ret && f)
		files_free(f);
	return ret;
}

static int files_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	files_free(m->private);
	return single_release(inode, file);
}

const struct file_operations memacct_cgroup_files_fops = {
	.owner = THIS_MODULE,
	.open = files_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = files_release,
};
