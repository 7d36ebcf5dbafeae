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
 * not hold that, or the table is over 3/4 full. Per page mapped: a 16-byte
 * slot at 3/8 to 3/4 load, 21 to 43 bytes; 64 KiB at least.
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

#include "cgstat.h"
#include "compat.h"
#include "objects.h"
#include "stats.h"

/* The most slots one page table's entries can fill: pages, folio heads. */
#define DEDUP_BURST	(2 * PMD_SIZE / PAGE_SIZE)
/* Probes stay short: never more than 7/8 full. */
#define DEDUP_LIMIT(nr)	((nr) / 8 * 7)
#define DEDUP_MIN_SLOTS	4096
static_assert(DEDUP_LIMIT(DEDUP_MIN_SLOTS) > DEDUP_BURST);
/* A slot is 16 bytes, and its key holds any frame number + 1. */
static_assert(sizeof(struct memacct_dedup_slot) == 16);
static_assert(MAX_POSSIBLE_PHYSMEM_BITS - PAGE_SHIFT < DEDUP_KEY_BITS);

/* The size of the last per-read table (the internals file). */
static atomic_long_t dedup_bytes;

unsigned long memacct_dedup_bytes(void)
{
	return atomic_long_read(&dedup_bytes);
}

/*
 * Readers may allocate in proportion to what they ask about: charge them,
 * and fail rather than OOM-kill in their memcg. kvmalloc() refuses more
 * than INT_MAX bytes (a cgroup mapping some 190 GiB): vmalloc those.
 */
static void *alloc_table(unsigned long nr, size_t size)
{
	gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL;
	size_t bytes = array_size(nr, size);

	return bytes > INT_MAX ? __vmalloc(bytes, gfp | __GFP_ZERO) :
				 kvzalloc(bytes, gfp);
}

/* The slots, and for the files file what is kept beside each. */
static int alloc_slots(struct memacct_dedup *dd, unsigned long nr,
		       struct memacct_dedup_slot **slots,
		       struct memacct_slot_ext **ext)
{
	size_t bytes = nr * sizeof(**slots);

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
		bytes += nr * sizeof(**ext);
	}
	atomic_long_set(&dedup_bytes, bytes);
	return 0;
}

int memacct_dedup_init(struct memacct_dedup *dd, struct mem_cgroup *root,
		       struct memacct_cgstat *cs, struct memacct_cgstat *charged,
		       struct memacct_objects *objs)
{
	dd->charged = charged;
	dd->objs = objs;
	dd->nr_slots = DEDUP_MIN_SLOTS;
	dd->nr_used = 0;
	dd->overflow = false;
	dd->grow_ns = 0;
	dd->root = root;
	dd->cs = cs;
	return alloc_slots(dd, dd->nr_slots, &dd->slots, &dd->ext);
}

void memacct_dedup_free(struct memacct_dedup *dd)
{
	kvfree(dd->slots);
	kvfree(dd->ext);
	dd->slots = NULL;
	dd->ext = NULL;
}

/* Is a table of @nr slots too small for @used of them and one burst? */
static bool too_small(unsigned long used, unsigned long nr)
{
	return used > nr / 4 * 3 || used + DEDUP_BURST > DEDUP_LIMIT(nr);
}

bool memacct_dedup_wants_room(const struct memacct_dedup *dd)
{
	return too_small(dd->nr_used, dd->nr_slots) ||
	       (dd->objs && memacct_objects_wants_room(dd->objs));
}

/* Grow the table, if need be, to hold @used pages and a burst. */
static int grow(struct memacct_dedup *dd, unsigned long used)
{
	struct memacct_dedup_slot *slots, *slot;
	unsigned long i, nr = dd->nr_slots;
	struct memacct_slot_ext *ext;
	int ret;
	u64 t0;

	if (!too_small(used, dd->nr_slots))
		return 0;
	t0 = ktime_get_ns();
	while (too_small(used, nr))
		nr *= 2;
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
	memacct_dedup_free(dd);
	dd->slots = slots;
	dd->ext = ext;
	dd->nr_slots = nr;
	dd->grow_ns += ktime_get_ns() - t0;
	return 0;
}

int memacct_dedup_make_room(struct memacct_dedup *dd)
{
	int ret;

	if (dd->objs) {
		ret = memacct_objects_make_room(dd->objs);
		if (ret)
			return ret;
	}
	return grow(dd, dd->nr_used);
}

/*
 * Growing by doubling as the walk goes rehashes every page several times:
 * a caller that knows how many are coming (the first process's resident
 * pages, all of them mapped by the cgroup) sizes the table once.
 */
int memacct_dedup_reserve(struct memacct_dedup *dd, unsigned long pages)
{
	return grow(dd, dd->nr_used + pages);
}

/*
 * A page seen for the first time (@slot): its kind and its owner, and
 * whether it is lazily freed so far (see memacct_dedup_again()).
 */
static void first_seen(struct memacct_dedup *dd,
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
}

/* A new slot for @pfn, at @slot (empty). */
static void take_slot(struct memacct_dedup *dd, struct memacct_dedup_slot *slot,
		      unsigned long pfn)
{
	slot->key = pfn + 1;
	dd->nr_used++;
}

/*
 * Mark the folio headed at @pfn (whose slot is @head, or NULL to find it)
 * counted. Return: false if it was already.
 */
static bool mark_counted(struct memacct_dedup *dd,
			 struct memacct_dedup_slot *head, unsigned long pfn)
{
	if (!head)
		head = memacct_dedup_find(dd->slots, dd->nr_slots, pfn);
	if (head->counted)
		return false;
	if (!head->key)
		take_slot(dd, head, pfn);	/* its head is not mapped here */
	head->counted = 1;
	return true;
}

/*
 * The LRU view: the charge of @folio, mapped here, counted once. Its size
 * is stable: it cannot be split while its page table is locked. Mapped
 * here, it is never charged_mapped_outside_only, so no table is passed to
 * look that up: a large folio is counted before its pages are marked seen.
 */
static void count_charge(struct memacct_dedup *dd, struct folio *folio,
			 struct memacct_dedup_slot *head)
{
	struct mem_cgroup *memcg;

	if (!mark_counted(dd, head, folio_pfn(folio)))
		return;
	memcg = memacct_folio_memcg(folio);
	if (memcg && mem_cgroup_is_descendant(memcg, dd->root))
		memacct_charge_add(dd->charged, NULL, folio,
				   folio_nr_pages(folio), memcg, false);
}

struct memacct_dedup_slot *
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
	struct memacct_dedup_slot *slot = NULL;
	unsigned int i;

	/* Cannot happen (see above); fail the read, not the kernel. */
	if (dd->nr_used + 2 * nr > DEDUP_LIMIT(dd->nr_slots)) {
		dd->overflow = true;
		return NULL;
	}
	if (charge && large)
		count_charge(dd, folio, NULL);
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
			take_slot(dd, slot, pfn);
		first_seen(dd, slot, folio, dirty);
		slot->seen = 1;
		slot->total = single ? 1 :
			max(memacct_page_mapcount(folio, page + i), 1);
	}
	if (charge && !large)
		count_charge(dd, folio, slot);
	return slot;
}

int memacct_dedup_finish(struct memacct_dedup *dd)
{
	u64 pss = 0, share;
	unsigned long i;

	if (dd->overflow)
		return -EOVERFLOW;
	for (i = 0; i < dd->nr_slots; i++) {
		const struct memacct_dedup_slot *m = &dd->slots[i];

		if (!m->seen)
			continue;	/* only a folio head marked counted */
		if (m->seen >= m->total)
			dd->cs->private += PAGE_SIZE;
		else
			dd->cs->shared_external += PAGE_SIZE;
		/*
		 * As smaps: each mapping's share truncated, summed, fixed
		 * point. Most pages are mapped once: no division for those.
		 */
		share = (u64)PAGE_SIZE << MEMACCT_PSS_SHIFT;
		if (m->total > 1)
			share = div_u64(share, m->total);
		share *= m->seen;
		pss += share;
		if (dd->objs)
			memacct_objects_slot(dd->objs, m, &dd->ext[i], share);
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

	for (; pfn < end; pfn++)
		if (memacct_dedup_find(dd->slots, dd->nr_slots, pfn)->seen)
			return true;
	return false;
}

bool memacct_dedup_mark(struct memacct_dedup *dd, unsigned long pfn)
{
	/* The LRU walk makes room between lock holds (LRU_BATCH marks). */
	if (dd->nr_used >= DEDUP_LIMIT(dd->nr_slots)) {
		dd->overflow = true;
		return false;
	}
	return mark_counted(dd, NULL, pfn);
}
