/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backing objects a cgroup's processes map, for one read of its files
 * file (objects.c): a file (by inode: a library, a binary, a data file, a
 * shmem or memfd object), or, for a mapping without a file, its kind.
 */
#ifndef MEMACCT_OBJECTS_H
#define MEMACCT_OBJECTS_H

#include <linux/types.h>

struct file;
struct folio;
struct mem_cgroup;
struct memacct_dedup;
struct memacct_dedup_slot;
struct memacct_stats;
struct vm_area_struct;

#define MEMACCT_KIND_MAX 32

/* Bytes, each page once unless noted. */
struct memacct_object {
	struct file *file;		/* referenced while walked; NULL: a kind */
	char *path;			/* once finished: the file's, allocated */
	dev_t dev;			/* and its device and inode, as maps */
	unsigned long ino;
	char name[MEMACCT_KIND_MAX];	/* the kind, for no file */
	u64 rss_anon, rss_file, rss_shmem;
	u64 private, shared_external;
	u64 pss;			/* fixed point until finished */
	u64 lazyfree, locked;
	u64 charged_here, charged_elsewhere;
	/* sums over the processes' entries, as in stat */
	u64 swap, zero, cow_pending;
	u32 payer;			/* who is charged most, 0: nobody */
	u64 payer_bytes;
	u64 last_proc;			/* the last process seen to map it */
	u32 processes, cgroups;
};

/* A process (by its memcg) that maps an object. */
struct memacct_visit {
	u64 cg;				/* its memcg's cgroup id */
	u32 obj;
};

/* Per slot of the table of pages seen: whose page, who pays for it. */
struct memacct_slot_ext {
	u32 obj;
	u32 payer;			/* index in payers, 0: none elsewhere */
};

struct memacct_objects {
	struct memacct_object *v;
	u32 nr, cap;
	u32 *index;			/* hash: object number + 1, 0 empty */
	struct memacct_visit *visits;
	u32 nr_visits, cap_visits;
	/* The memcgs outside the subtree charged for pages, referenced. */
	struct mem_cgroup **payers;	/* put once finished */
	char **payer_paths;		/* once finished: the top payers' */
	u32 nr_payers, cap_payers, last_payer;
	u32 cur;			/* the object of the VMA walked */
	u64 proc;			/* the process walked, from 1 */
	u64 cg;				/* its memcg's cgroup id */
	u64 swap, zero, cow;		/* the sums as the VMA's walk began */
};

int memacct_objects_init(struct memacct_objects *o);
void memacct_objects_free(struct memacct_objects *o);
/* A new process, charged to @memcg, is walked. */
void memacct_objects_process(struct memacct_objects *o,
			     struct mem_cgroup *memcg);
/* Must the walk drop its locks for room? (checked under page-table locks) */
bool memacct_objects_wants_room(const struct memacct_objects *o);
/* Make room, with no lock held. Sleeps. 0 or -ENOMEM. */
int memacct_objects_make_room(struct memacct_objects *o);
/*
 * The walk of @vma begins (mmap lock held): -ENOSPC when there is no room
 * for its object, or 0, having noted the sums in @st it starts from.
 */
int memacct_objects_enter(struct memacct_objects *o,
			  struct vm_area_struct *vma,
			  const struct memacct_stats *st);
/* It ends or pauses: what its entries added to @st goes to its object. */
void memacct_objects_leave(struct memacct_objects *o,
			   const struct memacct_stats *st);
/*
 * A page seen for the first time, in the VMA walked, charged to @memcg
 * (NULL: nobody), which is outside the subtree if @elsewhere.
 */
void memacct_objects_page(struct memacct_objects *o,
			  struct memacct_slot_ext *ext, struct folio *folio,
			  struct mem_cgroup *memcg, bool elsewhere);
/* A slot of the table of pages seen, at its finish; @share: its pss. */
void memacct_objects_slot(struct memacct_objects *o,
			  const struct memacct_dedup_slot *m,
			  const struct memacct_slot_ext *ext, u64 share,
			  bool private);
/*
 * After the dedup table's finish: the per-slot and per-process sums, and
 * each object's path and top payer's path, with every reference dropped.
 */
int memacct_objects_finish(struct memacct_objects *o,
			   const struct memacct_dedup *dd);
/* The path of a finished object's top payer, or NULL for none. */
const char *memacct_objects_payer(const struct memacct_objects *o, u32 payer);

extern const struct file_operations memacct_cgroup_files_fops;

#endif /* MEMACCT_OBJECTS_H */
