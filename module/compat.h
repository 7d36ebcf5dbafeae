/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the supported kernels lives here, keyed on
 * features that module/Kbuild probes in the header tree (MEMACCT_HAVE_*),
 * never on the version number.
 */
#ifndef MEMACCT_COMPAT_H
#define MEMACCT_COMPAT_H

#include <linux/mm.h>
#include <linux/memcontrol.h>
#include <linux/pgtable.h>
#include <linux/shmem_fs.h>
#include <linux/xarray.h>

/* A PMD read that is safe against concurrent updates (no lock held). */
static inline pmd_t memacct_pmdp_get_lockless(pmd_t *pmdp)
{
#ifdef MEMACCT_HAVE_PMDP_GET_LOCKLESS
	return pmdp_get_lockless(pmdp);
#else
	pmd_t pmd = pmd_read_atomic(pmdp);

	/* As pte_offset_map_lock() callers of this era do. */
	barrier();
	return pmd;
#endif
}

/*
 * smaps changed its rules together with the folio mapcount rework
 * (typed-page mapcounts), which is what is probed here:
 * - a page reached through a migration entry counts as shared with full
 *   PSS (before: private with full PSS);
 * - a PMD-mapped THP under a NUMA-hinting (protnone) PMD is counted
 *   (before: skipped, as follow_trans_huge_pmd(FOLL_DUMP) returned NULL);
 * - a write fault never reuses a large anonymous folio that is not
 *   exclusive (before: reused when its refcount allowed it).
 */
#ifdef MEMACCT_HAVE_TYPED_MAPCOUNT
#define MEMACCT_NONPRESENT_PRIVATE	false
#define MEMACCT_COUNT_PROTNONE_THP	true
#define MEMACCT_COW_COPIES_LARGE	true
#else
#define MEMACCT_NONPRESENT_PRIVATE	true
#define MEMACCT_COUNT_PROTNONE_THP	false
#define MEMACCT_COW_COPIES_LARGE	false
#endif

/* Mappings of one page of @folio, as smaps and /proc/kpagecount read it. */
static inline int memacct_page_mapcount(struct folio *folio, struct page *page)
{
#ifdef MEMACCT_HAVE_TYPED_MAPCOUNT
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	if (folio_test_large(folio))
		mapcount += folio_entire_mapcount(folio);
	return mapcount;
#else
	return page_mapcount(page);
#endif
}

/* memcg_data bit of slab pages, whose objects are charged one by one. */
#ifdef MEMACCT_HAVE_MEMCG_DATA_OBJEXTS
#define MEMACCT_MEMCG_DATA_SLAB MEMCG_DATA_OBJEXTS
#else
#define MEMACCT_MEMCG_DATA_SLAB MEMCG_DATA_OBJCGS
#endif

/* The memcg @folio is charged to, or NULL; call under rcu_read_lock(). */
static inline struct mem_cgroup *memacct_folio_memcg(struct folio *folio)
{
#ifdef MEMACCT_HAVE_FOLIO_MEMCG_CHECK
	return folio_memcg_check(folio);
#else
	return page_memcg_check(&folio->page);
#endif
}

static inline bool memacct_shmem_mapping(struct address_space *mapping)
{
#ifdef MEMACCT_HAVE_SHMEM_MAPPING_EXPORT
	return shmem_mapping(mapping);
#else
	return mapping->a_ops == &shmem_aops;
#endif
}

/*
 * Pages covered by the swap entry @xas points at in a shmem page cache, as
 * shmem_partial_swap_usage() counts them. Where xas_get_order() exists
 * (6.12, and backported to 6.1.192) it is used; 6.1's shmem only stores
 * order-0 swap entries, so both give 1 there.
 */
static inline unsigned long memacct_xas_nr_pages(struct xa_state *xas)
{
#ifdef MEMACCT_HAVE_XAS_GET_ORDER
	return 1UL << xas_get_order(xas);
#else
	return 1;
#endif
}

/* A PMD mapping a PFN with no page to count (huge pfnmaps, 6.12). */
static inline bool memacct_pmd_special(pmd_t pmd)
{
#ifdef MEMACCT_HAVE_PMD_SPECIAL
	return pmd_special(pmd);
#else
	return false;
#endif
}

#endif /* MEMACCT_COMPAT_H */
