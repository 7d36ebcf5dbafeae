/* SPDX-License-Identifier: GPL-2.0 */
/* Per-cgroup counters: the mapped view, the charged view, the page counter. */
#ifndef MEMACCT_CGSTAT_H
#define MEMACCT_CGSTAT_H

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm_types.h>
#include <linux/types.h>

struct mem_cgroup;
struct memacct_objects;
struct memacct_slot_ext;

struct memacct_cgstat {
	u64 nr_processes;
	/* mapped by the subtree's processes, each page once */
	u64 rss_anon, rss_file, rss_shmem;
	u64 private, shared_external;
	u64 mapped_charged_elsewhere;
	u64 lazyfree, locked;
	/* the processes' proportional share, from all their mappings */
	u64 pss;
	/* sums over the subtree's processes */
	u64 swap, zero;
	u64 cow_pending_zero, cow_pending_file, cow_pending_anon;
	/* charged to the subtree, from the kernel's page ownership */
	u64 charged_anon, charged_file_mapped, charged_file_unmapped;
	u64 charged_shmem, charged_swapcache, charged_kernel_pages;
	u64 charged_other, charged_mapped_outside_only;
	u64 charged_root_uncounted;
	u64 memory_current;
};

/*
 * What a write through a read-only PTE of a writable private mapping would
 * do to a page (account.c). do_wp_page() decides from the page and its
 * folio alone, whichever PTE maps it (a PMD has a rule of its own), so a
 * cgroup read decides it once per page, at its first PTE.
 */
enum memacct_cow_class {
	MEMACCT_COW_UNKNOWN,	/* not decided (yet): take the slow path */
	MEMACCT_COW_REUSE,	/* anonymous, reused: nothing allocated */
	MEMACCT_COW_ANON,	/* anonymous, copied */
	MEMACCT_COW_FILE,	/* page cache, always copied */
};

/* A page the subtree's processes map: its mapcount when first seen, and
 * the mappings of it seen.
 */
#define DEDUP_KEY_BITS	56		/* frame numbers are below 2^40 */

struct memacct_dedup_slot {
	unsigned long key : DEDUP_KEY_BITS;	/* frame number + 1; 0: empty */
	unsigned long locked : 1;	/* seen in a VM_LOCKED mapping */
	unsigned long lazy : 1;		/* in lazyfree: clean in every mapping */
	/*
	 * Set once a present PTE mapping it was counted in full (and, in the
	 * LRU view, its folio's charge), whatever the mapping: further PTEs
	 * mapping it need only this slot.
	 */
	unsigned long cow : 2;		/* enum memacct_cow_class */
	u32 total;
	u32 seen : 31;			/* 0: only marks a folio counted */
	u32 counted : 1;		/* the folio headed here: charge counted */
};

#define DEDUP_MAX_SEEN	((1U << 31) - 1)

/* The pages the subtree's processes map (dedup.c). Allocated per read. */
struct memacct_dedup {
	struct memacct_dedup_slot *slots;
	unsigned long nr_slots;		/* a power of two */
	unsigned long nr_used;
	bool overflow;			/* a page could not be recorded */
	u64 grow_ns;			/* spent growing the table */
	struct mem_cgroup *root;	/* the subtree */
	struct memacct_cgstat *cs;
	/* The LRU view: the charges of the folios mapped, or NULL. */
	struct memacct_cgstat *charged;
	/* The files file: each page's object and payer, beside its slot. */
	struct memacct_objects *objs;
	struct memacct_slot_ext *ext;
};

int memacct_dedup_init(struct memacct_dedup *dd, struct mem_cgroup *root,
		       struct memacct_cgstat *cs, struct memacct_cgstat *charged,
		       struct memacct_objects *objs);
void memacct_dedup_free(struct memacct_dedup *dd);
/* Bytes of the last cgroup read's table. */
unsigned long memacct_dedup_bytes(void);
/* Should the walk drop its locks so that the table can grow? */
bool memacct_dedup_wants_room(const struct memacct_dedup *dd);
/* Grow the table if it wants room. Sleeps; no locks held. 0 or -ENOMEM. */
int memacct_dedup_make_room(struct memacct_dedup *dd);
/* Grow the table now so that @pages more fit. Sleeps; no locks held. */
int memacct_dedup_reserve(struct memacct_dedup *dd, unsigned long pages);
/*
 * One entry mapping @nr pages from @page (under its table lock and RCU),
 * @dirty if the entry is, in a VM_LOCKED mapping if @locked. @hint: NULL,
 * or what memacct_dedup_find() just gave for @page. Return: the slot of
 * the last page, or NULL if the table had no room (the read fails).
 */
struct memacct_dedup_slot *
memacct_dedup_map(struct memacct_dedup *dd, struct page *page,
		  unsigned int nr, bool present, bool dirty, bool locked,
		  struct memacct_dedup_slot *hint);

/* Runs of 1 << DEDUP_RUN_SHIFT frames go to runs of slots (dedup.c). */
#define DEDUP_RUN_SHIFT	4

/*
 * The slot of @pfn, or the empty slot where it would go. Runs of 16
 * consecutive frames go to runs of 16 consecutive slots: a process's pages
 * are largely contiguous in physical memory, and then its neighbours'
 * slots share cache lines and TLB entries (the table is vmalloc'ed), as an
 * array indexed by frame number would. Inline: the walk looks up every
 * page it meets.
 */
static inline struct memacct_dedup_slot *
memacct_dedup_find(struct memacct_dedup_slot *slots, unsigned long nr,
		   unsigned long pfn)
{
	unsigned long i = hash_long(pfn >> DEDUP_RUN_SHIFT,
				    ilog2(nr) - DEDUP_RUN_SHIFT);

	i = i << DEDUP_RUN_SHIFT | (pfn & ((1UL << DEDUP_RUN_SHIFT) - 1));
	/* Never full (dedup.c), so an empty slot ends every probe. */
	while (slots[i].key && slots[i].key != pfn + 1)
		i = (i + 1) & (nr - 1);
	return &slots[i];
}

/*
 * Another mapping of a page seen before (@slot). MADV_FREE cleans only the
 * entry of the process that calls it, also of a page a fork shares (its
 * folio neither dirty nor in the swap cache), so one dirty entry is enough
 * for reclaim to keep the page: it is lazily freed only if clean in all.
 */
static inline void memacct_dedup_again(struct memacct_dedup *dd,
				       struct memacct_dedup_slot *slot,
				       bool dirty)
{
	if (slot->seen < DEDUP_MAX_SEEN)
		slot->seen++;
	if (dirty && slot->lazy) {
		slot->lazy = 0;
		dd->cs->lazyfree -= PAGE_SIZE;
	}
}

/* @slot's page is mapped by a VM_LOCKED mapping: count it once. */
static inline void memacct_dedup_lock(struct memacct_dedup *dd,
				      struct memacct_dedup_slot *slot)
{
	if (!slot->locked) {
		slot->locked = 1;
		dd->cs->locked += PAGE_SIZE;
	}
}

/* After all walks: private, shared_external and the subtree's pss. */
int memacct_dedup_finish(struct memacct_dedup *dd);
/* Did the subtree's processes map any of [pfn, pfn + nr)? */
bool memacct_dedup_seen(struct memacct_dedup *dd, unsigned long pfn,
			unsigned long nr);
/* Mark the folio headed at @pfn counted; false if it was already. */
bool memacct_dedup_mark(struct memacct_dedup *dd, unsigned long pfn);

/*
 * A charged folio of @nr pages, owned by @memcg, into @cs (charge.c).
 * @dd: the pages the subtree maps, to tell charged_mapped_outside_only;
 * NULL when the caller knows the folio is mapped there.
 */
void memacct_charge_add(struct memacct_cgstat *cs, struct memacct_dedup *dd,
			struct folio *folio, unsigned long nr,
			struct mem_cgroup *memcg, bool kmem);

/* Where the physical-memory pass puts each charged page. */
struct memacct_charge_sink {
	/* The counters for pages charged to @memcg, or NULL to skip them.
	 * Called under rcu_read_lock(), for every charged page.
	 */
	struct memacct_cgstat *(*stat_of)(struct memacct_charge_sink *sink,
					  struct mem_cgroup *memcg);
	/* Pages the counted processes map (charged_mapped_outside_only). */
	struct memacct_dedup *dd;
};

/* The LRU view's pass (lru_charge.c). 0, -EAGAIN (lists changed), -EINTR. */
int memacct_lru_charge(struct mem_cgroup *root, struct memacct_dedup *dd,
		       struct memacct_cgstat *cs);
/* Reads of the LRU view counted from memory instead (the internals file). */
u64 memacct_lru_fallbacks(void);
u64 memacct_lru_folios(void);
u64 memacct_lru_restarts(void);
/* /sys/kernel/debug/fail_memacct_lru, on kernels with fault injection. */
void memacct_lru_fault_init(void);
void memacct_lru_fault_exit(void);

/* One pass over physical memory. Return: 0 or -EINTR. */
int memacct_charge_scan(struct memacct_charge_sink *sink);
u64 memacct_charge_scans(void);

/* One cgroup read at a time (cgroup_stat.c): 0 or -EINTR. */
int memacct_cgread_lock(void);
void memacct_cgread_unlock(void);
/* The subtree's processes into @dd and @cs, under memacct_cgread_lock(). */
int memacct_cgroup_walk(struct mem_cgroup *memcg, struct memacct_dedup *dd,
			struct memacct_cgstat *cs);

/* Where the last cgroup read spent its time, ns of wall clock (internals). */
struct memacct_read_profile {
	u64 walk_ns;		/* the processes' page tables, growth included */
	u64 grow_ns;		/* of which: growing the table of pages seen */
	u64 finish_ns;		/* the table's totals (pss, private, shared) */
	u64 charged_ns;		/* the charged view: LRU lists or memory */
	u64 total_ns;		/* the whole read, before formatting */
};

void memacct_last_read_profile(struct memacct_read_profile *p);

#endif /* MEMACCT_CGSTAT_H */
