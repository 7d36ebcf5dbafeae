// SPDX-License-Identifier: GPL-2.0
/*
 * Counting each page once across many processes, and telling the pages
 * only they map from those that processes elsewhere map too.
 *
 * The first time a page is seen, its mapcount (all its mappings, anywhere)
 * is recorded; each mapping seen is counted. A page whose mappings were
 * all seen is private to the processes walked, and the processes' PSS of
 * it is (mappings seen) / mapcount of the page.
 *
 * The pages seen are kept in an open-addressing hash table keyed by page
 * frame number, so a read costs what the cgroup maps, not what the host
 * holds. For the LRU view (lru_charge.c) the walk also counts the charge
 * of each folio it maps, once, and marks the folio's head in the table.
 *
 * Entries are added under page-table locks, where nothing may be
 * allocated: the table is grown only where the walk has dropped its locks.
 * The walk asks after every page table (at most PTRS_PER_PTE pages and as
 * many folio heads) and drops them when what is left below 7/8 full could
 * not hold that, or the table is over 3/4 full. The first table is sized
 * for the first process's anonymous pages and allocated only then (zeroing
 * it is much of a small read); it grows by doubling. Per page mapped: an
 * 8-byte slot at 3/8 to 3/4 load, 11 to 22 bytes; 9 KiB (room for one page
 * table's worth) at least. Pages mapped DEDUP_WIDE times or more keep
 * their counts in a second table, kept the same way (16 bytes a slot,
 * 9 KiB at least).
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

#include "cgstat.h"
#include "compat.h"
#include "dedup.h"
#include "objects.h"
#include "stats.h"

static_assert(MAX_POSSIBLE_PHYSMEM_BITS - PAGE_SHIFT < DEDUP_KEY_BITS);

/* The size of the last per-read table (the internals file). */
static atomic_long_t dedup_bytes;

unsigned long memacct_dedup_bytes(void)
{
	return atomic_long_read(&dedup_bytes);
}

/*
 * Readers may allocate in proportion to what they ask about: charge them,
 * and fail rather than OOM-kill in their memcg. vmalloc, as every table is
 * over a page (room for a page table's worth): kvmalloc() would first try
 * for contiguous pages, with reclaim and compaction under
 * __GFP_RETRY_MAYFAIL, and zero a power-of-two block, when a table is any
 * number of pages.
 */
static void *alloc_table(unsigned long nr, size_t size)
{
	return __vmalloc(array_size(nr, size),
			 GFP_KERNEL_ACCOUNT | __GFP_NOWARN |
			 __GFP_RETRY_MAYFAIL | __GFP_ZERO);
}

/* The slots, and for the files file what is kept beside each. */
static int alloc_slots(struct memacct_dedup *dd, unsigned long nr,
		       struct memacct_dedup_slot **slots,
		       struct memacct_slot_ext **ext)
{
	*ext = NULL;
	*slots = alloc_table(nr, sizeof(**slots));
	if (!*slots)
		return -ENOMEM;
	if (dd->objs) {
		*ext = alloc_table(nr, sizeof(**ext));
		if (!*ext) {
			kvfree(*slots);
			return -ENOMEM;
		}
	}
	return 0;
}

void memacct_dedup_init(struct memacct_dedup *dd, struct mem_cgroup *root,
			struct memacct_cgstat *cs, struct memacct_cgstat *charged,
			struct memacct_objects *objs)
{
	dd->charged = charged;
	dd->objs = objs;
	dd->slots = NULL;
	dd->ext = NULL;
	dd->nr_slots = 0;
	dd->nr_used = 0;
	dd->wide = NULL;
	dd->nr_wide_slots = 0;
	dd->nr_wide_used = 0;
	dd->overflow = false;
	dd->grow_ns = 0;
	dd->root = root;
	dd->cs = cs;
	atomic_long_set(&dedup_bytes, 0);
}

static void free_slots(struct memacct_dedup *dd)
{
	kvfree(dd->slots);
	kvfree(dd->ext);
	dd->slots = NULL;
	dd->ext = NULL;
}

void memacct_dedup_free(struct memacct_dedup *dd)
{
	free_slots(dd);
	kvfree(dd->wide);
	dd->wide = NULL;
}

/*
 * Is a table of @nr slots too small for @used of them and a burst of
 * @burst more? No table (@nr 0) is.
 */
static bool too_small(unsigned long used, unsigned long nr,
		      unsigned long burst)
{
	return used > nr / 4 * 3 || used + burst > DEDUP_LIMIT(nr);
}

bool memacct_dedup_wants_room(const struct memacct_dedup *dd)
{
	return too_small(dd->nr_used, dd->nr_slots, DEDUP_BURST) ||
	       too_small(dd->nr_wide_used, dd->nr_wide_slots,
			 DEDUP_WIDE_BURST) ||
	       (dd->objs && memacct_objects_wants_room(dd->objs));
}

/* The fewest slots, in whole runs, not too small for @used and @burst. */
static unsigned long slots_for(unsigned long used, unsigned long burst)
{
	unsigned long nr = max(used / 3 * 4, (used + burst) / 7 * 8);

	nr = round_up(nr, DEDUP_RUN);
	while (too_small(used, nr, burst))
		nr += DEDUP_RUN;
	return nr;
}

/* The table's bytes, for the internals file. */
static void note_bytes(struct memacct_dedup *dd)
{
	unsigned long bytes = dd->nr_slots * sizeof(*dd->slots) +
			      dd->nr_wide_slots * sizeof(*dd->wide);

	if (dd->ext)
		bytes += dd->nr_slots * sizeof(*dd->ext);
	atomic_long_set(&dedup_bytes, bytes);
}

/* Grow the wide table, if need be, as grow() does the slots. */
static int grow_wide(struct memacct_dedup *dd)
{
	unsigned long i, nr, used = dd->nr_wide_used;
	struct memacct_dedup_wide *wide, *w;
	u64 t0;

	if (!too_small(used, dd->nr_wide_slots, DEDUP_WIDE_BURST))
		return 0;
	t0 = ktime_get_ns();
	nr = max(slots_for(used, DEDUP_WIDE_BURST), 2 * dd->nr_wide_slots);
	if (nr > U32_MAX)
		return -ENOMEM;		/* reciprocal_scale() takes a u32 */
	wide = alloc_table(nr, sizeof(*wide));
	if (!wide)
		return -ENOMEM;
	for (i = 0; i < dd->nr_wide_slots; i++) {
		if (!dd->wide[i].key)
			continue;
		w = memacct_dedup_wide_find(wide, nr, dd->wide[i].key - 1);
		*w = dd->wide[i];
		if (!(i % 65536))
			cond_resched();
	}
	kvfree(dd->wide);
	dd->wide = wide;
	dd->nr_wide_slots = nr;
	note_bytes(dd);
	dd->grow_ns += ktime_get_ns() - t0;
	return 0;
}

/*
 * Grow the table, if need be, to hold @used pages and a burst: to their
 * size when it is the first table (sized for what is coming), else at
 * least double, so that a walk rehashes each page a few times at most.
 */
static int grow(struct memacct_dedup *dd, unsigned long used)
{
	struct memacct_dedup_slot *slots, *slot;
	struct memacct_slot_ext *ext;
	unsigned long i, nr;
	int ret;
	u64 t0;

	if (!too_small(used, dd->nr_slots, DEDUP_BURST))
		return 0;
	t0 = ktime_get_ns();
	nr = max(slots_for(used, DEDUP_BURST), 2 * dd->nr_slots);
	if (nr >> DEDUP_RUN_SHIFT > U32_MAX)
		return -ENOMEM;		/* reciprocal_scale() takes a u32 */
	ret = alloc_slots(dd, nr, &slots, &ext);
	if (ret)
		return ret;
	for (i = 0; i < dd->nr_slots; i++) {
		const struct memacct_dedup_slot *old = &dd->slots[i];

		if (old->key) {
			slot = memacct_dedup_find(slots, nr, old->key - 1);
			*slot = *old;
			if (ext)
				ext[slot - slots] = dd->ext[i];
		}
		if (!(i % 65536))
			cond_resched();
	}
	free_slots(dd);
	dd->slots = slots;
	dd->ext = ext;
	dd->nr_slots = nr;
	note_bytes(dd);
	dd->grow_ns += ktime_get_ns() - t0;
	return 0;
}

/*
 * Growing by doubling as the walk goes rehashes every page several times:
 * a caller that knows how many are coming (the first process's anonymous
 * pages, all of them mapped by the cgroup) sizes the table once. This is
 * also what allocates the first tables (the least ones for @pages 0).
 */
int memacct_dedup_reserve(struct memacct_dedup *dd, unsigned long pages)
{
	int ret;

	if (dd->objs) {
		ret = memacct_objects_make_room(dd->objs);
		if (ret)
			return ret;
	}
	ret = grow_wide(dd);
	if (ret)
		return ret;
	/* Only a hint: what does not fit is grown into as the walk goes. */
	pages = min(pages, totalram_pages());
	if (pages && !grow(dd, dd->nr_used + pages))
		return 0;
	return grow(dd, dd->nr_used);
}

int memacct_dedup_make_room(struct memacct_dedup *dd)
{
	return memacct_dedup_reserve(dd, 0);
}

int memacct_dedup_finish(struct memacct_dedup *dd)
{
	u64 pss = 0, share;
	unsigned long i;

	if (dd->overflow)
		return -EOVERFLOW;
	for (i = 0; i < dd->nr_slots; i++) {
		const struct memacct_dedup_slot *m = &dd->slots[i];
		const struct memacct_dedup_wide *w;
		u32 seen = m->seen, total = m->total;
		bool private;

		if (!seen)
			continue;	/* only a folio head marked counted */
		if (total == DEDUP_WIDE) {
			w = memacct_dedup_wide_of(dd, m);
			seen = w->seen;
			total = w->total;
		}
		private = seen >= total;
		if (private)
			dd->cs->private += PAGE_SIZE;
		else
			dd->cs->shared_external += PAGE_SIZE;
		/*
		 * As smaps: each mapping's share truncated, summed, fixed
		 * point. Most pages are mapped once: no division for those.
		 */
		share = (u64)PAGE_SIZE << MEMACCT_PSS_SHIFT;
		if (total > 1)
			share = div_u64(share, total);
		share *= seen;
		pss += share;
		if (dd->objs)
			memacct_objects_slot(dd->objs, m, &dd->ext[i], share,
					     private);
		if (!(i % 65536))
			cond_resched();
	}
	dd->cs->pss = pss >> MEMACCT_PSS_SHIFT;
	return 0;
}

bool memacct_dedup_seen(struct memacct_dedup *dd, unsigned long pfn,
			unsigned long nr)
{
	unsigned long end = pfn + nr;

	if (!dd->slots)
		return false;	/* no process: no table */
	for (; pfn < end; pfn++)
		if (memacct_dedup_find(dd->slots, dd->nr_slots, pfn)->seen)
			return true;
	return false;
}
