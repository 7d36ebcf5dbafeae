// SPDX-License-Identifier: GPL-2.0
/*
 * Which backing object each page a cgroup's processes map belongs to, and
 * who pays for it: the sums behind <cgroup>/files.
 *
 * A page belongs to the object of the first mapping it is seen in (the
 * walk goes by pid, then address): a file's private copies stay with the
 * file, as smaps has them in the file's mapping; a page in two objects
 * (KSM merging a heap page with another process's anonymous mapping) is
 * counted once, in the first. The table of pages seen (dedup.c) keeps the
 * object and payer of each page beside its slot.
 *
 * What grows is grown where the walk has dropped its locks, as that table
 * is: the payers table may take a page table's worth of new payers under
 * its lock; a new object or visit needs a slot at the start of a VMA,
 * where the walk drops its lock and comes back when there is none.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "cgroup.h"
#include "cgstat.h"
#include "compat.h"
#include "dedup.h"
#include "objects.h"
#include "stats.h"
#include "walk.h"

#define OBJ_MIN		64
#define VISITS_MIN	256
/* New payers one page table can bring: one per entry. */
#define PAYER_BURST	PTRS_PER_PTE

static const gfp_t obj_gfp = GFP_KERNEL_ACCOUNT | __GFP_NOWARN |
			     __GFP_RETRY_MAYFAIL;

/* *@p, of @nr elements of @size in use, made room for @cap. */
static int grow(void **p, u32 nr, u32 cap, size_t size)
{
	void *q = kvcalloc(cap, size, obj_gfp);

	if (!q)
		return -ENOMEM;
	if (*p)
		memcpy(q, *p, (size_t)nr * size);
	kvfree(*p);
	*p = q;
	return 0;
}

static u32 index_mask(const struct memacct_objects *o)
{
	return roundup_pow_of_two(2 * o->cap) - 1;
}

static u32 obj_hash(const struct inode *inode, const char *name, u32 mask)
{
	return (inode ? hash_ptr(inode, 32) :
			jhash(name, strlen(name), 0)) & mask;
}

/* Only while walked: every object then holds its file. */
static bool obj_is(const struct memacct_object *obj,
		   const struct inode *inode, const char *name)
{
	if (obj->file)
		return file_inode(obj->file) == inode;
	return !inode && !strcmp(obj->name, name);
}

/* The hash slot of the object, or the empty slot where it would go. */
static u32 *obj_slot(struct memacct_objects *o, const struct inode *inode,
		     const char *name)
{
	u32 mask = index_mask(o), i = obj_hash(inode, name, mask);

	/* At most half full: an empty slot ends every probe. */
	while (o->index[i] && !obj_is(&o->v[o->index[i] - 1], inode, name))
		i = (i + 1) & mask;
	return &o->index[i];
}

static int grow_objects(struct memacct_objects *o, u32 cap)
{
	u32 *index, i;
	int ret;

	ret = grow((void **)&o->v, o->nr, cap, sizeof(*o->v));
	if (ret)
		return ret;
	index = kvcalloc(roundup_pow_of_two(2 * cap), sizeof(*index), obj_gfp);
	if (!index)
		return -ENOMEM;
	kvfree(o->index);
	o->index = index;
	o->cap = cap;
	for (i = 0; i < o->nr; i++) {
		const struct memacct_object *obj = &o->v[i];

		*obj_slot(o, obj->file ? file_inode(obj->file) : NULL,
			  obj->name) = i + 1;
	}
	return 0;
}

int memacct_objects_init(struct memacct_objects *o)
{
	memset(o, 0, sizeof(*o));
	o->nr_payers = 1;	/* 0 is nobody */
	if (grow_objects(o, OBJ_MIN) ||
	    grow((void **)&o->visits, 0, VISITS_MIN, sizeof(*o->visits)) ||
	    grow((void **)&o->payers, 0, 2 * PAYER_BURST, sizeof(*o->payers))) {
		memacct_objects_free(o);
		return -ENOMEM;
	}
	o->cap_visits = VISITS_MIN;
	o->cap_payers = 2 * PAYER_BURST;
	return 0;
}

/* Drop what the walk holds: the objects' files and the payers' css. */
static void drop_refs(struct memacct_objects *o)
{
	u32 i;

	for (i = 0; i < o->nr; i++) {
		if (o->v[i].file)
			fput(o->v[i].file);
		o->v[i].file = NULL;
	}
	for (i = 1; i < o->nr_payers; i++) {
		if (o->payers[i])
			css_put(&o->payers[i]->css);
		o->payers[i] = NULL;
	}
}

void memacct_objects_free(struct memacct_objects *o)
{
	u32 i;

	drop_refs(o);
	for (i = 0; i < o->nr; i++)
		kfree(o->v[i].path);
	for (i = 0; o->payer_paths && i < o->nr_payers; i++)
		kfree(o->payer_paths[i]);
	kvfree(o->payer_paths);
	kvfree(o->v);
	kvfree(o->index);
	kvfree(o->visits);
	kvfree(o->payers);
	memset(o, 0, sizeof(*o));
}

void memacct_objects_process(struct memacct_objects *o,
			     struct mem_cgroup *memcg)
{
	o->proc++;
	o->cg = memcg ? memacct_memcg_id(memcg) : 0;
}

static bool over(u32 nr, u32 cap)
{
	return nr >= cap / 4 * 3;
}

bool memacct_objects_wants_room(const struct memacct_objects *o)
{
	return o->nr_payers + PAYER_BURST > o->cap_payers ||
	       over(o->nr, o->cap) || over(o->nr_visits, o->cap_visits);
}

int memacct_objects_make_room(struct memacct_objects *o)
{
	int ret = 0;

	if (over(o->nr, o->cap))
		ret = grow_objects(o, 2 * o->cap);
	if (!ret && over(o->nr_visits, o->cap_visits)) {
		ret = grow((void **)&o->visits, o->nr_visits,
			   2 * o->cap_visits, sizeof(*o->visits));
		if (!ret)
			o->cap_visits *= 2;
	}
	if (!ret && o->nr_payers + PAYER_BURST > o->cap_payers) {
		ret = grow((void **)&o->payers, o->nr_payers,
			   2 * o->cap_payers, sizeof(*o->payers));
		if (!ret)
			o->cap_payers *= 2;
	}
	return ret;
}

static u64 cow_sum(const struct memacct_stats *st)
{
	return st->cow_pending_anon + st->cow_pending_zero +
	       st->cow_pending_file;
}

int memacct_objects_enter(struct memacct_objects *o,
			  struct vm_area_struct *vma,
			  const struct memacct_stats *st)
{
	struct file *file = vma->vm_file;
	struct inode *inode = file ? file_inode(file) : NULL;
	const char *name = file ? NULL : memacct_vma_name(vma) ?: "[anon]";
	struct memacct_object *obj;
	u32 *slot;

	/* Room for a new object and a visit, or none taken. */
	if (o->nr == o->cap || o->nr_visits == o->cap_visits)
		return -ENOSPC;
	slot = obj_slot(o, inode, name);
	if (!*slot) {
		obj = &o->v[o->nr];
		memset(obj, 0, sizeof(*obj));
		obj->file = file ? get_file(file) : NULL;
		if (name)
			strscpy(obj->name, name, sizeof(obj->name));
		*slot = ++o->nr;
	}
	o->cur = *slot - 1;
	obj = &o->v[o->cur];
	if (obj->last_proc != o->proc) {
		obj->last_proc = o->proc;
		obj->processes++;
		o->visits[o->nr_visits].cg = o->cg;
		o->visits[o->nr_visits++].obj = o->cur;
	}
	o->swap = st->swap;
	o->zero = st->zero;
	o->cow = cow_sum(st);
	return 0;
}

void memacct_objects_leave(struct memacct_objects *o,
			   const struct memacct_stats *st)
{
	struct memacct_object *obj = &o->v[o->cur];

	obj->swap += st->swap - o->swap;
	obj->zero += st->zero - o->zero;
	obj->cow_pending += cow_sum(st) - o->cow;
	o->swap = st->swap;
	o->zero = st->zero;
	o->cow = cow_sum(st);
}

/* The payer index of @memcg, taking a reference on a new one. */
static u32 payer_of(struct memacct_objects *o, struct mem_cgroup *memcg)
{
	u32 i;

	/* A mapping's pages come in runs of one owner. */
	if (o->payers[o->last_payer] == memcg)
		return o->last_payer;
	for (i = o->nr_payers - 1; i; i--)
		if (o->payers[i] == memcg)
			return o->last_payer = i;
	/*
	 * No room cannot happen (wants_room). A folio's memcg is referenced
	 * by its charge, so the try fails only for one being freed under
	 * us: its pages stay charged elsewhere, to nobody named.
	 */
	if (o->nr_payers == o->cap_payers || !css_tryget(&memcg->css))
		return 0;
	o->payers[o->nr_payers] = memcg;
	return o->last_payer = o->nr_payers++;
}

void memacct_objects_page(struct memacct_objects *o,
			  struct memacct_slot_ext *ext, struct folio *folio,
			  struct mem_cgroup *memcg, bool elsewhere)
{
	struct memacct_object *obj = &o->v[o->cur];

	ext->obj = o->cur;
	ext->payer = 0;
	if (folio_test_anon(folio))
		obj->rss_anon += PAGE_SIZE;
	else if (folio_test_swapbacked(folio))
		obj->rss_shmem += PAGE_SIZE;
	else
		obj->rss_file += PAGE_SIZE;
	if (!memcg)
		return;
	if (!elsewhere) {
		obj->charged_here += PAGE_SIZE;
		return;
	}
	obj->charged_elsewhere += PAGE_SIZE;
	ext->payer = payer_of(o, memcg);
}

void memacct_objects_slot(struct memacct_objects *o,
			  const struct memacct_dedup_slot *m,
			  const struct memacct_slot_ext *ext, u64 share,
			  bool private)
{
	struct memacct_object *obj = &o->v[ext->obj];

	if (private)
		obj->private += PAGE_SIZE;
	else
		obj->shared_external += PAGE_SIZE;
	obj->pss += share;
	if (m->lazy)
		obj->lazyfree += PAGE_SIZE;
	if (m->locked)
		obj->locked += PAGE_SIZE;
}

/* Pages of one object charged to one payer. */
struct payer_pages {
	u32 obj, payer;
	u64 pages;
};

/* Each object's top payer, from the payer of each of its pages. */
static int top_payers(struct memacct_objects *o,
		      const struct memacct_dedup *dd)
{
	u64 pairs = 0, n = 0;
	struct payer_pages *t;
	unsigned long i;
	u32 mask, h;

	for (i = 0; i < o->nr; i++)
		n += o->v[i].charged_elsewhere >> PAGE_SHIFT;
	/* No more pairs than pages, nor than objects times payers. */
	pairs = min_t(u64, n, (u64)o->nr * (o->nr_payers - 1));
	if (!pairs)
		return 0;
	mask = roundup_pow_of_two(2 * pairs) - 1;
	t = kvcalloc(mask + 1, sizeof(*t), obj_gfp);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < dd->nr_slots; i++) {
		const struct memacct_slot_ext *e = &dd->ext[i];

		if (!(i % 65536))
			cond_resched();
		if (!dd->slots[i].seen || !e->payer)
			continue;
		h = hash_64((u64)e->obj << 32 | e->payer, 32) & mask;
		while (t[h].pages && (t[h].obj != e->obj || t[h].payer != e->payer))
			h = (h + 1) & mask;
		t[h].obj = e->obj;
		t[h].payer = e->payer;
		t[h].pages++;
	}
	for (h = 0; h <= mask; h++) {
		struct memacct_object *obj = &o->v[t[h].obj];
		u64 bytes = t[h].pages << PAGE_SHIFT;

		/* The most, and of equals the first met in the walk. */
		if (bytes > obj->payer_bytes ||
		    (bytes && bytes == obj->payer_bytes &&
		     t[h].payer < obj->payer)) {
			obj->payer = t[h].payer;
			obj->payer_bytes = bytes;
		}
	}
	kvfree(t);
	return 0;
}

static int cmp_visit(const void *a, const void *b)
{
	const struct memacct_visit *x = a, *y = b;

	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	return x->cg < y->cg ? -1 : x->cg > y->cg;
}

/*
 * Names for what the walk held references on: each file's path and inode
 * as /proc/PID/maps shows them, the top payers' cgroup paths. @buf is
 * PATH_MAX bytes.
 */
static int describe(struct memacct_objects *o, char *buf)
{
	u32 i;

	o->payer_paths = kvcalloc(o->nr_payers, sizeof(*o->payer_paths),
				  obj_gfp);
	if (!o->payer_paths)
		return -ENOMEM;
	for (i = 0; i < o->nr; i++) {
		struct memacct_object *obj = &o->v[i];
		const struct inode *inode;
		char *p;
		u32 k;

		cond_resched();
		k = obj->payer;
		if (k && !o->payer_paths[k] &&
		    memacct_cgroup_path(o->payers[k]->css.cgroup, buf,
					PATH_MAX) > 0) {
			o->payer_paths[k] = kstrdup(buf, obj_gfp);
			if (!o->payer_paths[k])
				return -ENOMEM;
		}
		if (!obj->file)
			continue;
		inode = memacct_file_user_inode(obj->file);
		obj->dev = inode->i_sb->s_dev;
		obj->ino = inode->i_ino;
		p = d_path(memacct_file_user_path(obj->file), buf, PATH_MAX);
		obj->path = kstrdup(IS_ERR(p) ? "?" : p, obj_gfp);
		if (!obj->path)
			return -ENOMEM;
	}
	return 0;
}

int memacct_objects_finish(struct memacct_objects *o,
			   const struct memacct_dedup *dd)
{
	char *buf;
	u32 i;
	int ret;

	for (i = 0; i < o->nr; i++)
		o->v[i].pss >>= MEMACCT_PSS_SHIFT;
	/* The cgroups whose processes map each object: distinct (obj, cg). */
	sort(o->visits, o->nr_visits, sizeof(*o->visits), cmp_visit, NULL);
	for (i = 0; i < o->nr_visits; i++)
		if (!i || cmp_visit(&o->visits[i - 1], &o->visits[i]))
			o->v[o->visits[i].obj].cgroups++;
	ret = top_payers(o, dd);
	if (ret)
		return ret;
	buf = kmalloc(PATH_MAX, obj_gfp);
	if (!buf)
		return -ENOMEM;
	ret = describe(o, buf);
	kfree(buf);
	/* Nothing is held past the walk: no file, no removed cgroup. */
	drop_refs(o);
	return ret;
}

const char *memacct_objects_payer(const struct memacct_objects *o, u32 payer)
{
	return payer && o->payer_paths ? o->payer_paths[payer] : NULL;
}
