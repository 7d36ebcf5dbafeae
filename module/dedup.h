/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table of pages a cgroup read's processes map (dedup.c), and its
 * per-page update, inline here: the PTE loop (account.c) and the LRU pass
 * run it once for every page and folio they meet.
 */
#ifndef MEMACCT_DEDUP_H
#define MEMACCT_DEDUP_H

#include <linux/err.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/types.h>

#include "cgstat.h"
#include "compat.h"
#include "objects.h"
#include "stats.h"

/* The most pages one page table (or PMD) maps: wide entries it can add. */
#define DEDUP_WIDE_BURST (PMD_SIZE / PAGE_SIZE)
/* The most slots one page table's entries can fill: pages, folio heads. */
#define DEDUP_BURST	(2 * DEDUP_WIDE_BURST)
/* Probes stay short: never more than 7/8 full. */
#define DEDUP_LIMIT(nr)	((nr) / 8 * 7)

/* A key is a frame number + 1; frame numbers are below 2^40 (52 bits). */
#define DEDUP_KEY_BITS		41
#define DEDUP_COUNT_BITS	9
/* In total: mapped this many times or more, the counts are wide (below). */
#define DEDUP_WIDE		((1U << DEDUP_COUNT_BITS) - 1)

/*
 * A page the subtree's processes map: its mapcount when first seen, and
 * the mappings of it seen, in 8 bytes. A page mapped DEDUP_WIDE times or
 * more (a library on a large host, a segment shared by many backends)
 * keeps its counts in a second table instead.
 */
struct memacct_dedup_slot {
	unsigned long key : DEDUP_KEY_BITS;	/* frame number + 1; 0: empty */
	unsigned long locked : 1;	/* seen in a VM_LOCKED mapping */
	unsigned long lazy : 1;		/* in lazyfree: clean in every mapping */
	/*
	 * Set once a present PTE mapping it was counted in full (and, in the
	 * LRU view, its folio's charge), if the page may be mapped again:
	 * further PTEs mapping it need only this slot.
	 */
	unsigned long cow : 2;		/* enum memacct_cow_class */
	unsigned long counted : 1;	/* the folio headed here: charge counted */
	/* 0: only marks a folio counted; at most DEDUP_WIDE */
	unsigned long seen : DEDUP_COUNT_BITS;
	unsigned long total : DEDUP_COUNT_BITS;	/* DEDUP_WIDE: wide */
};

static_assert(sizeof(struct memacct_dedup_slot) == 8);

/* The counts of a page mapped DEDUP_WIDE times or more. */
struct memacct_dedup_wide {
	unsigned long key;		/* frame number + 1; 0: empty */
	u32 total;
	u32 seen;
};

/* The pages the subtree's processes map (dedup.c). Allocated per read. */
struct memacct_dedup {
	struct memacct_dedup_slot *slots;
	unsigned long nr_slots;		/* whole runs (below) */
	unsigned long nr_used;
	struct memacct_dedup_wide *wide;
	unsigned long nr_wide_slots;
	unsigned long nr_wide_used;
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

/* An empty table: nothing is allocated before the first reserve. */
void memacct_dedup_init(struct memacct_dedup *dd, struct mem_cgroup *root,
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
/* After all walks: private, shared_external and the subtree's pss. */
int memacct_dedup_finish(struct memacct_dedup *dd);
/* Did the subtree's processes map any of [pfn, pfn + nr)? */
bool memacct_dedup_seen(struct memacct_dedup *dd, unsigned long pfn,
			unsigned long nr);

/* Runs of DEDUP_RUN frames go to runs of slots (dedup.c). */
#define DEDUP_RUN_SHIFT	4
#define DEDUP_RUN	BIT(DEDUP_RUN_SHIFT)

/*
 * The slot of @pfn, or the empty slot where it would go. Runs of 16
 * consecutive frames go to runs of 16 consecutive slots: a process's pages
 * are largely contiguous in physical memory, and then its neighbours'
 * slots share cache lines and TLB entries (the table is vmalloc'ed), as an
 * array indexed by frame number would. The table is any whole number of
 * runs, not a power of two, so that one sized for what is coming is no
 * larger: reciprocal_scale() maps the hash onto them. Inline: the walk
 * looks up every page it meets.
 */
static inline struct memacct_dedup_slot *
memacct_dedup_find(struct memacct_dedup_slot *slots, unsigned long nr,
		   unsigned long pfn)
{
	unsigned long i = reciprocal_scale(hash_long(pfn >> DEDUP_RUN_SHIFT, 32),
					   nr >> DEDUP_RUN_SHIFT);

	i = i << DEDUP_RUN_SHIFT | (pfn & (DEDUP_RUN - 1));
	/* Never full (dedup.c), so an empty slot ends every probe. */
	while (slots[i].key && slots[i].key != pfn + 1)
		i = i + 1 < nr ? i + 1 : 0;
	return &slots[i];
}

/* The wide counts of @pfn, or the empty entry where they would go. */
static inline struct memacct_dedup_wide *
memacct_dedup_wide_find(struct memacct_dedup_wide *wide, unsigned long nr,
			unsigned long pfn)
{
	unsigned long i = reciprocal_scale(hash_long(pfn, 32), nr);

	while (wide[i].key && wide[i].key != pfn + 1)
		i = i + 1 < nr ? i + 1 : 0;
	return &wide[i];
}

/* The wide counts of the page of @slot, whose total is DEDUP_WIDE. */
static inline struct memacct_dedup_wide *
memacct_dedup_wide_of(struct memacct_dedup *dd,
		      const struct memacct_dedup_slot *slot)
{
	return memacct_dedup_wide_find(dd->wide, dd->nr_wide_slots,
				       slot->key - 1);
}

/*
 * @slot's page, mapped @total times and seen @seen times, takes a wide
 * entry: at first sight if mapped DEDUP_WIDE times or more, or when its
 * mappings seen outgrow the slot (it gained mappings during the read, or
 * migration entries, counted once each, stand for it). Each entry of a
 * page table makes one at most. Return: false if the wide table had no
 * room (cannot happen; the read fails).
 */
static inline bool memacct_dedup_set_wide(struct memacct_dedup *dd,
					  struct memacct_dedup_slot *slot,
					  u32 total, u32 seen)
{
	struct memacct_dedup_wide *w;

	if (dd->nr_wide_used >= DEDUP_LIMIT(dd->nr_wide_slots)) {
		dd->overflow = true;
		return false;
	}
	w = memacct_dedup_wide_of(dd, slot);
	w->key = slot->key;
	w->total = total;
	w->seen = seen;
	dd->nr_wide_used++;
	slot->total = DEDUP_WIDE;
	return true;
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
	struct memacct_dedup_wide *w;

	if (slot->total == DEDUP_WIDE) {
		w = memacct_dedup_wide_of(dd, slot);
		if (w->seen < U32_MAX)
			w->seen++;
	} else if (slot->seen < DEDUP_WIDE - 1) {
		slot->seen++;
	} else {
		memacct_dedup_set_wide(dd, slot, slot->total, DEDUP_WIDE);
	}
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

/*
 * A page seen for the first time (@slot): its kind and its owner, and
 * whether it is lazily freed so far (see memacct_dedup_again()). Return:
 * the owner, or NULL.
 */
static inline struct mem_cgroup *
memacct_dedup_first_seen(struct memacct_dedup *dd,
			 struct memacct_dedup_slot *slot, struct folio *folio,
			 bool dirty)
{
	struct memacct_cgstat *cs = dd->cs;
	struct mem_cgroup *memcg;
	bool elsewhere;

	if (folio_test_anon(folio)) {
		cs->rss_anon += PAGE_SIZE;
		if (memacct_lazyfree(folio, dirty)) {
			slot->lazy = 1;
			cs->lazyfree += PAGE_SIZE;
		}
	} else if (folio_test_swapbacked(folio)) {
		cs->rss_shmem += PAGE_SIZE;
	} else {
		cs->rss_file += PAGE_SIZE;
	}
	memcg = memacct_folio_memcg(folio);
	elsewhere = memcg && !mem_cgroup_is_descendant(memcg, dd->root);
	if (elsewhere)
		cs->mapped_charged_elsewhere += PAGE_SIZE;
	if (dd->objs)
		memacct_objects_page(dd->objs, &dd->ext[slot - dd->slots],
				     folio, memcg, elsewhere);
	return memcg;
}

/* A new slot for @pfn, at @slot (empty). */
static inline void memacct_dedup_take_slot(struct memacct_dedup *dd,
					   struct memacct_dedup_slot *slot,
					   unsigned long pfn)
{
	slot->key = pfn + 1;
	dd->nr_used++;
}

/*
 * Mark the folio headed at @pfn (whose slot is @head, or NULL to find it)
 * counted. Return: false if it was already.
 */
static inline bool memacct_dedup_mark_counted(struct memacct_dedup *dd,
					      struct memacct_dedup_slot *head,
					      unsigned long pfn)
{
	if (!head)
		head = memacct_dedup_find(dd->slots, dd->nr_slots, pfn);
	if (head->counted)
		return false;
	if (!head->key)
		memacct_dedup_take_slot(dd, head, pfn);	/* its head is not mapped here */
	head->counted = 1;
	return true;
}

/*
 * The LRU view: the charge of @folio, mapped here, counted once. Its size
 * is stable: it cannot be split while its page table is locked. Mapped
 * here, it is never charged_mapped_outside_only, so no table is passed to
 * look that up: a large folio is counted before its pages are marked seen.
 * @memcg: its owner, or NULL.
 */
static inline void memacct_dedup_count_charge(struct memacct_dedup *dd,
					      struct folio *folio,
					      struct memacct_dedup_slot *head,
					      struct mem_cgroup *memcg)
{
	if (!memacct_dedup_mark_counted(dd, head, folio_pfn(folio)))
		return;
	if (memcg && mem_cgroup_is_descendant(memcg, dd->root))
		memacct_charge_add(dd->charged, folio, folio_nr_pages(folio),
				   memcg, false, false);
}

/*
 * One entry mapping @nr pages from @page (under its table lock and RCU),
 * @dirty if the entry is, in a VM_LOCKED mapping if @locked. @hint: NULL,
 * or what memacct_dedup_find() just gave for @page. Return: the slot of
 * the last page, or NULL if the table had no room (the read fails).
 */
static inline struct memacct_dedup_slot *
memacct_dedup_map(struct memacct_dedup *dd, struct page *page,
		  unsigned int nr, bool present, bool dirty, bool locked,
		  struct memacct_dedup_slot *hint)
{
	struct folio *folio = page_folio(page);
	unsigned long pfn = page_to_pfn(page);
	/* Mapped once (refcount 1), or unknown (migration): one mapping. */
	bool single = !present || folio_ref_count(folio) == 1;
	/* In flight (migration): the charge is counted where it lands. */
	bool charge = dd->charged && present;
	bool large = folio_test_large(folio);
	struct mem_cgroup *memcg = NULL;
	struct memacct_dedup_slot *slot = NULL;
	bool first = false;
	unsigned int i, total;

	/* Cannot happen (see above); fail the read, not the kernel. */
	if (dd->nr_used + 2 * nr > DEDUP_LIMIT(dd->nr_slots)) {
		dd->overflow = true;
		return NULL;
	}
	if (charge && large)
		memacct_dedup_count_charge(dd, folio, NULL,
					   memacct_folio_memcg(folio));
	/* Counting a large folio's charge may have taken the hinted slot. */
	if (large || nr != 1)
		hint = NULL;
	for (i = 0; i < nr; i++, pfn++) {
		slot = hint ?: memacct_dedup_find(dd->slots, dd->nr_slots, pfn);
		/*
		 * Split before the LRU walk meets it, the folio's pages are
		 * folios of their own there: those mapped here are counted.
		 */
		if (charge && large)
			slot->counted = 1;
		if (locked)
			memacct_dedup_lock(dd, slot);
		if (slot->seen) {
			memacct_dedup_again(dd, slot, dirty);
			continue;
		}
		if (!slot->key)
			memacct_dedup_take_slot(dd, slot, pfn);
		memcg = memacct_dedup_first_seen(dd, slot, folio, dirty);
		first = true;
		slot->seen = 1;
		total = single ? 1 :
			max(memacct_page_mapcount(folio, page + i), 1);
		if (total < DEDUP_WIDE)
			slot->total = total;
		else if (!memacct_dedup_set_wide(dd, slot, total, 1))
			return NULL;
	}
	/* The owner, looked up once for a page seen for the first time. */
	if (charge && !large)
		memacct_dedup_count_charge(dd, folio, slot, first ? memcg :
					   memacct_folio_memcg(folio));
	return slot;
}

/*
 * The LRU pass: mark the folio headed at @pfn counted. Return: false if it
 * was already (or the table is full: the read fails).
 */
static inline bool memacct_dedup_mark(struct memacct_dedup *dd,
				      unsigned long pfn)
{
	/* The LRU walk makes room between lock holds (LRU_BATCH marks). */
	if (dd->nr_used >= DEDUP_LIMIT(dd->nr_slots)) {
		dd->overflow = true;
		return false;
	}
	return memacct_dedup_mark_counted(dd, NULL, pfn);
}

#endif /* MEMACCT_DEDUP_H */
