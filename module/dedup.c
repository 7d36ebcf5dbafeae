// SPDX-License-Identifier: GPL-2.0
/*
 * Counting each page once across many processes, and telling the pages
 * only they map from those that processes elsewhere map too.
 *
 * The first time a page is seen, its mapcount (all its mappings, anywhere)
 * is recorded; each further mapping seen counts one off. A page whose
 * mappings were all seen is private to the processes walked. 16 bits per
 * page frame: 0.05% of memory, allocated for one read. A page with more
 * mappings than that holds is counted as shared_external.
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/vmalloc.h>

#include "cgstat.h"
#include "compat.h"

#define MAPS_SATURATED U16_MAX

unsigned long memacct_max_pfn(void)
{
	unsigned long end = 0;
	int nid;

	for_each_online_node(nid)
		end = max(end, node_end_pfn(nid));
	return end;
}

int memacct_dedup_init(struct memacct_dedup *dd, struct mem_cgroup *root,
		       struct memacct_cgstat *cs)
{
	dd->nr_pfns = memacct_max_pfn();
	dd->maps = vzalloc(array_size(dd->nr_pfns, sizeof(*dd->maps)));
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
		u16 *m = pfn < dd->nr_pfns ? &dd->maps[pfn] : NULL;
		int mapcount;

		if (m && *m) {
			if (*m > 1 && *m != MAPS_SATURATED)
				(*m)--;
			continue;
		}
		first_seen(dd, folio);
		mapcount = single ? 1 : memacct_page_mapcount(folio, page + i);
		mapcount = clamp(mapcount, 1, (int)MAPS_SATURATED);
		if (m)
			*m = mapcount;
		else
			dd->cs->shared_external += PAGE_SIZE;	/* hotplugged */
	}
}

void memacct_dedup_finish(struct memacct_dedup *dd)
{
	unsigned long pfn;

	for (pfn = 0; pfn < dd->nr_pfns; pfn++) {
		u16 m = dd->maps[pfn];

		if (m == 1)
			dd->cs->private += PAGE_SIZE;
		else if (m)
			dd->cs->shared_external += PAGE_SIZE;
		if (!(pfn % (1UL << 20)))
			cond_resched();
	}
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
