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
 * holds. Entries are added under page-table locks, where nothing may be
 * allocated: the table is grown only where the walk has dropped its locks.
 * The walk asks after every page table (at most PTRS_PER_PTE new pages, or
 * one PMD-mapped THP) and drops them once the table is over 3/4 full; the
 * eighth above that, always left free, holds the next table (4096 slots at
 * least). Per page mapped: a 16-byte slot at 3/8 to 3/4 load, 21 to 43
 * bytes, and 64 at most while a table is being doubled.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "cgstat.h"
#include "compat.h"
#include "stats.h"

/* The smallest table: the free eighth must hold one PMD's worth. */
#define DEDUP_MIN_SLOTS	4096
static_assert(DEDUP_MIN_SLOTS / 8 >= PMD_SIZE / PAGE_SIZE);

/* The size of the last per-read table (the internals file). */
static atomic_long_t dedup_bytes;

unsigned long memacct_dedup_bytes(void)
{
	return atomic_long_read(&dedup_bytes);
}

/* Readers may allocate in proportion to what they ask about: charge them. */
static struct memacct_dedup_slot *alloc_slots(unsigned long nr)
{
	atomic_long_set(&dedup_bytes, array_size(nr, sizeof(struct memacct_dedup_slot)));
	return kvcalloc(nr, sizeof(struct memacct_dedup_slot),
			GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
}

int memacct_dedup_init(struct memacct_dedup *dd, struct mem_cgroup *root,
		       struct memacct_cgstat *cs)
{
	dd->nr_slots = DEDUP_MIN_SLOTS;
	dd->nr_used = 0;
	dd->overflow = false;
	dd->root = root;
	dd->cs = cs;
	dd->slots = alloc_slots(dd->nr_slots);
	return dd->slots ? 0 : -ENOMEM;
}

void memacct_dedup_free(struct memacct_dedup *dd)
{
	kvfree(dd->slots);
	dd->slots = NULL;
}

/* The slot of @pfn, or the empty slot where it would go. */
static struct memacct_dedup_slot *find_slot(struct memacct_dedup_slot *slots,
					    unsigned long nr, unsigned long pfn)
{
	unsigned long i = hash_long(pfn, ilog2(nr));

	/* Never full (see above), so an empty slot ends every probe. */
	while (slots[i].key && slots[i].key != pfn + 1)
		i = (i + 1) & (nr - 1);
	return &slots[i];
}

bool memacct_dedup_wants_room(const struct memacct_dedup *dd)
{
	return dd->nr_used > dd->nr_slots / 4 * 3;
}

int memacct_dedup_make_room(struct memacct_dedup *dd)
{
	struct memacct_dedup_slot *slots;
	unsigned long i, nr = dd->nr_slots * 2;

	if (!memacct_dedup_wants_room(dd))
		return 0;
	slots = alloc_slots(nr);
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < dd->nr_slots; i++) {
		const struct memacct_dedup_slot *old = &dd->slots[i];

		if (old->key)
			*find_slot(slots, nr, old->key - 1) = *old;
		if (!(i % 65536))
			cond_resched();
	}
	kvfree(dd->slots);
	dd->slots = slots;
	dd->nr_slots = nr;
	return 0;
}

/* A page seen for the first time: its kind and its owner. */
static void first_seen(struct memacct_dedup *dd, struct folio *folio)
{
	struct memacct_cgstat *cs = dd->cs;
	struct mem_cgroup *memcg;

	if (folio_test_anon(folio))
		cs->rss_anon += PAGE_SIZE;
	else if (folio_test_swapbacked(folio))
		cs->rss_shmem += PAGE_SIZE;
	else
		cs->rss_file += PAGE_SIZE;
	memcg = memacct_folio_memcg(folio);
	if (memcg && !mem_cgroup_is_descendant(memcg, dd->root))
		cs->mapped_charged_elsewhere += PAGE_SIZE;
}

void memacct_dedup_map(struct memacct_dedup *dd, struct page *page,
		       unsigned int nr, bool present)
{
	struct folio *folio = page_folio(page);
	unsigned long pfn = page_to_pfn(page);
	/* Mapped once (refcount 1), or unknown (migration): one mapping. */
	bool single = !present || folio_ref_count(folio) == 1;
	unsigned int i;

	for (i = 0; i < nr; i++, pfn++) {
		struct memacct_dedup_slot *slot;

		if (dd->nr_used >= dd->nr_slots / 8 * 7) {
			/* Cannot happen (see above); fail the read, not the kernel. */
			dd->overflow = true;
			return;
		}
		slot = find_slot(dd->slots, dd->nr_slots, pfn);
		if (slot->key) {
			if (slot->seen < U32_MAX)
				slot->seen++;
			continue;
		}
		first_seen(dd, folio);
		slot->key = pfn + 1;
		slot->seen = 1;
		slot->total = single ? 1 :
			max(memacct_page_mapcount(folio, page + i), 1);
		dd->nr_used++;
	}
}

int memacct_dedup_finish(struct memacct_dedup *dd)
{
	u64 pss = 0;
	unsigned long i;

	if (dd->overflow)
		return -EOVERFLOW;
	for (i = 0; i < dd->nr_slots; i++) {
		const struct memacct_dedup_slot *m = &dd->slots[i];

		if (!m->key)
			continue;
		if (m->seen >= m->total)
			dd->cs->private += PAGE_SIZE;
		else
			dd->cs->shared_external += PAGE_SIZE;
		/* As smaps: each mapping's share truncated, summed, fixed point. */
		pss += (u64)m->seen *
		       div_u64((u64)PAGE_SIZE << MEMACCT_PSS_SHIFT, m->total);
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
		if (find_slot(dd->slots, dd->nr_slots, pfn)->key)
			return true;
	return false;
}
