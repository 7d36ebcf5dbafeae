// SPDX-License-Identifier: GPL-2.0
/*
 * Counting each page once across many processes, and telling the pages
 * only they map from those that processes elsewhere map too.
 *
 * The first time a page is seen, its mapcount (all its mappings, anywhere)
 * is recorded; each mapping seen is counted. A page whose mappings were
 * all seen is private to the processes walked, and the processes' PSS of
 * it is (mappings seen) / mapcount of the page. 32 bits per page frame
 * (0.1% of memory), allocated for one read; a page with more than 65,535
 * mappings is counted as shared_external.
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/vmalloc.h>

#include "cgstat.h"
#include "compat.h"
#include "stats.h"

/* One u32 per page frame: mapcount when first seen, and mappings seen. */
#define MAPS_TOTAL(v)	((v) >> 16)
#define MAPS_SEEN(v)	((v) & 0xffff)
#define MAPS_MAX	0xffffU

unsigned long memacct_max_pfn(void)
{
	unsigned long end = 0;
	int nid;

	for_each_online_node(nid)
		end = max(end, node_end_pfn(nid));
	return end;
}

/* The size of the last per-read allocation (the internals file). */
static atomic_long_t dedup_bytes;

unsigned long memacct_dedup_bytes(void)
{
	return atomic_long_read(&dedup_bytes);
}

int memacct_dedup_init(struct memacct_dedup *dd, struct mem_cgroup *root,
		       struct memacct_cgstat *cs)
{
	dd->nr_pfns = memacct_max_pfn();
	atomic_long_set(&dedup_bytes,
			array_size(dd->nr_pfns, sizeof(*dd->maps)));
	/* Large, and its failure is handled: ENOMEM, no allocation splat. */
	dd->maps = __vmalloc(array_size(dd->nr_pfns, sizeof(*dd->maps)),
			     GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	dd->root = root;
	dd->cs = cs;
	return dd->maps ? 0 : -ENOMEM;
}

void memacct_dedup_free(struct memacct_dedup *dd)
{
	vfree(dd->maps);
	dd->maps = NULL;
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
		u32 *m = pfn < dd->nr_pfns ? &dd->maps[pfn] : NULL;
		int mapcount;

		if (m && *m) {
			if (MAPS_SEEN(*m) < MAPS_MAX)
				(*m)++;
			continue;
		}
		first_seen(dd, folio);
		mapcount = single ? 1 : memacct_page_mapcount(folio, page + i);
		mapcount = clamp(mapcount, 1, (int)MAPS_MAX);
		if (m)
			*m = (u32)mapcount << 16 | 1;
		else
			dd->cs->shared_external += PAGE_SIZE;	/* hotplugged */
	}
}

void memacct_dedup_finish(struct memacct_dedup *dd)
{
	u64 pss = 0;
	unsigned long pfn;

	for (pfn = 0; pfn < dd->nr_pfns; pfn++) {
		u32 m = dd->maps[pfn];

		if (!m)
			continue;
		if (MAPS_SEEN(m) >= MAPS_TOTAL(m) && MAPS_TOTAL(m) < MAPS_MAX)
			dd->cs->private += PAGE_SIZE;
		else
			dd->cs->shared_external += PAGE_SIZE;
		/* As smaps: each mapping's share truncated, summed, fixed point. */
		pss += (u64)MAPS_SEEN(m) *
		       div_u64((u64)PAGE_SIZE << MEMACCT_PSS_SHIFT, MAPS_TOTAL(m));
		if (!(pfn % (1UL << 20)))
			cond_resched();
	}
	dd->cs->pss = pss >> MEMACCT_PSS_SHIFT;
}

bool memacct_dedup_seen(struct memacct_dedup *dd, unsigned long pfn,
			unsigned long nr)
{
	unsigned long end = min(pfn + nr, dd->nr_pfns);

	for (; pfn < end; pfn++)
		if (dd->maps[pfn])
			return true;
	return false;
}
