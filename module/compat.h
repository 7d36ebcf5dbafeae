/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the supported kernels lives here, keyed on
 * features that module/Kbuild probes in the header tree (MEMACCT_HAVE_*),
 * never on the version number.
 */
#ifndef MEMACCT_COMPAT_H
#define MEMACCT_COMPAT_H

#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/huge_mm.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/memcontrol.h>
#include <linux/mm_inline.h>
#include <linux/pgtable.h>
#include <linux/shmem_fs.h>
#include <linux/swap.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#ifdef MEMACCT_HAVE_SOFTLEAF
#include <linux/leafops.h>
#else
#include <linux/swapops.h>
#endif

/*
 * smaps divides a large folio's PSS by its average mapcount where the
 * kernel keeps no per-page mapcounts; memacct only knows the per-page rule.
 */
#if IS_ENABLED(CONFIG_NO_PAGE_MAPCOUNT)
#error "memacct: CONFIG_NO_PAGE_MAPCOUNT kernels are not supported (smaps averages mapcounts)"
#endif

/* A present PTE that is not special maps a struct page (account.c). */
#if !IS_ENABLED(CONFIG_ARCH_HAS_PTE_SPECIAL)
#error "memacct: architectures without pte_special() are not supported"
#endif

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
 * What a page-table entry that is neither none nor present stands for,
 * as smaps sees it: swap, a page (migration, device or hwpoison entries,
 * those that carry a PFN), or nothing to count (markers).
 */
enum memacct_leaf {
	MEMACCT_LEAF_OTHER,
	MEMACCT_LEAF_SWAP,
	MEMACCT_LEAF_PAGE,
};

struct memacct_leaf_page {
	struct page *page;
	bool migration;		/* a migration entry */
	bool device_private;	/* smaps takes these as present */
};

#ifdef MEMACCT_HAVE_SOFTLEAF
static inline enum memacct_leaf memacct_softleaf(softleaf_t entry,
						 struct memacct_leaf_page *lp)
{
	if (softleaf_is_swap(entry))
		return MEMACCT_LEAF_SWAP;
	if (!softleaf_has_pfn(entry))
		return MEMACCT_LEAF_OTHER;
	lp->page = softleaf_to_page(entry);
	lp->migration = softleaf_is_migration(entry);
	lp->device_private = softleaf_is_device_private(entry);
	return MEMACCT_LEAF_PAGE;
}

static inline enum memacct_leaf memacct_pte_leaf(pte_t pte,
						 struct memacct_leaf_page *lp)
{
	return memacct_softleaf(softleaf_from_pte(pte), lp);
}

static inline enum memacct_leaf memacct_pmd_leaf(pmd_t pmd,
						 struct memacct_leaf_page *lp)
{
	return memacct_softleaf(softleaf_from_pmd(pmd), lp);
}

/* A PMD to read under the PMD lock: a huge mapping or a leaf entry. */
static inline bool memacct_pmd_is_huge(pmd_t pmd)
{
	return pmd_is_huge(pmd);
}
#else
static inline enum memacct_leaf memacct_swp_leaf(swp_entry_t entry,
						 struct memacct_leaf_page *lp)
{
	if (!non_swap_entry(entry))
		return MEMACCT_LEAF_SWAP;
	if (!is_pfn_swap_entry(entry))
		return MEMACCT_LEAF_OTHER;
	lp->page = pfn_swap_entry_to_page(entry);
	lp->migration = is_migration_entry(entry);
	lp->device_private = is_device_private_entry(entry);
	return MEMACCT_LEAF_PAGE;
}

static inline enum memacct_leaf memacct_pte_leaf(pte_t pte,
						 struct memacct_leaf_page *lp)
{
	if (!is_swap_pte(pte))
		return MEMACCT_LEAF_OTHER;
	return memacct_swp_leaf(pte_to_swp_entry(pte), lp);
}

static inline enum memacct_leaf memacct_pmd_leaf(pmd_t pmd,
						 struct memacct_leaf_page *lp)
{
	if (!is_swap_pmd(pmd))
		return MEMACCT_LEAF_OTHER;
	return memacct_swp_leaf(pmd_to_swp_entry(pmd), lp);
}

static inline bool memacct_pmd_is_huge(pmd_t pmd)
{
	return is_swap_pmd(pmd) || pmd_trans_huge(pmd) || pmd_devmap(pmd);
}
#endif

/* A PMD that maps device memory with no folio to count (gone in 7.x). */
static inline bool memacct_pmd_devmap(pmd_t pmd)
{
#ifdef MEMACCT_HAVE_PMD_DEVMAP
	return pmd_devmap(pmd);
#else
	return false;
#endif
}

/*
 * smaps changed its rules together with the folio mapcount rework
 * (typed-page mapcounts), which is what is probed here:
 * - a page reached through a migration entry counts as shared with full
 *   PSS (before: private with full PSS);
 * - a PMD-mapped THP under a NUMA-hinting (protnone) PMD is counted
 *   (before: skipped, as follow_trans_huge_pmd(FOLL_DUMP) returned NULL);
 * - a write fault through a PTE never reuses a large anonymous folio
 *   that is not exclusive (before: reused when its refcount allowed it;
 *   after, with per-mm folio ownership, see memacct_large_anon_reused()).
 */
#ifdef MEMACCT_HAVE_TYPED_MAPCOUNT
#define MEMACCT_NONPRESENT_PRIVATE	false
#define MEMACCT_COUNT_PROTNONE_THP	true
#else
#define MEMACCT_NONPRESENT_PRIVATE	true
#define MEMACCT_COUNT_PROTNONE_THP	false
#endif

/*
 * @mm's resident anonymous and shmem pages, each mapped once in most
 * mms (a file's pages count once per mapping of them). Where the counters
 * are per-CPU (6.2 on), the plain read can be off by the batch on every
 * CPU, thousands of pages on a large host: sum them. 6.1's atomic
 * counters lag by a few pages a thread at most.
 */
static inline unsigned long memacct_mm_anon_rss(struct mm_struct *mm)
{
#ifdef MEMACCT_HAVE_GET_MM_COUNTER_SUM
	return get_mm_counter_sum(mm, MM_ANONPAGES) +
	       get_mm_counter_sum(mm, MM_SHMEMPAGES);
#else
	return get_mm_counter(mm, MM_ANONPAGES) +
	       get_mm_counter(mm, MM_SHMEMPAGES);
#endif
}

/*
 * Would a write fault through a read-only PTE reuse this non-exclusive
 * page of a large anonymous folio? 6.1 decides as for small folios
 * (false here sends it there); 6.12 always copies; kernels that track
 * which mm maps a large folio (MM_ID, 7.x __wp_can_reuse_large_anon_folio)
 * reuse it when more than one page is mapped, by this mm alone, and every
 * reference is a mapping (the swap cache's, which the fault frees first,
 * aside). *@decided says whether the answer is final.
 */
static inline bool memacct_large_anon_reused(struct folio *folio,
					     bool *decided)
{
#if defined(MEMACCT_HAVE_MM_IDS) && IS_ENABLED(CONFIG_MM_ID)
	int mapcount = folio_large_mapcount(folio);
	int refs = folio_ref_count(folio);

	*decided = true;
	if (folio_test_swapcache(folio))
		refs -= folio_nr_pages(folio);
	return mapcount > 1 &&
	       !test_bit(FOLIO_MM_IDS_SHARED_BITNUM, &folio->_mm_ids) &&
	       mapcount == refs;
#elif defined(MEMACCT_HAVE_TYPED_MAPCOUNT)
	*decided = true;
	return false;
#else
	*decided = false;
	return false;
#endif
}

/*
 * smaps_hugetlb_range(): is the hugetlb page that @entry (a PMD or PUD,
 * locked) maps, @present or under migration, shared? 6.12 on: an entry not
 * present maybe is; the folio mapped more than once; or its PMD table
 * shared between processes. 6.1: mapped more than once, or the table
 * shared.
 */
static inline bool memacct_hugetlb_shared(struct page *page, bool present,
					  void *entry)
{
#if defined(MEMACCT_HAVE_FOLIO_MAYBE_MAPPED_SHARED)
	return !present || folio_maybe_mapped_shared(page_folio(page)) ||
	       hugetlb_pmd_shared(entry);
#elif defined(MEMACCT_HAVE_FOLIO_LIKELY_MAPPED_SHARED)
	return !present || folio_likely_mapped_shared(page_folio(page)) ||
	       hugetlb_pmd_shared(entry);
#else
	return page_mapcount(page) >= 2 || hugetlb_pmd_shared(entry);
#endif
}

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

/* The memcg @folio is charged to, or NULL; call under rcu_read_lock(). */
static inline struct mem_cgroup *memacct_folio_memcg(struct folio *folio)
{
#ifdef MEMACCT_HAVE_FOLIO_MEMCG_CHECK
	return folio_memcg_check(folio);
#else
	return page_memcg_check(&folio->page);
#endif
}

/*
 * The LRU lists of a lruvec: the classic ones, then (CONFIG_LRU_GEN) the
 * generations'; a folio is linked on at most one, or none (unevictable
 * folios are on no list: mm_inline.h's lruvec_add_folio()).
 */
#ifdef CONFIG_LRU_GEN
#define MEMACCT_NR_GEN_LISTS	(MAX_NR_GENS * ANON_AND_FILE * MAX_NR_ZONES)
#else
#define MEMACCT_NR_GEN_LISTS	0
#endif
#define MEMACCT_NR_LRU_LISTS	(NR_LRU_LISTS + MEMACCT_NR_GEN_LISTS)

static inline struct list_head *memacct_lru_list(struct lruvec *lruvec, int i)
{
#ifdef CONFIG_LRU_GEN
	if (i >= NR_LRU_LISTS)
		return &lruvec->lrugen.folios[0][0][0] + (i - NR_LRU_LISTS);
#endif
	return &lruvec->lists[i];
}

/*
 * A memcg's lruvec on @nid: mem_cgroup_lruvec() without its NULL case,
 * which refers to root_mem_cgroup (not exported on every kernel).
 */
static inline struct lruvec *memacct_memcg_lruvec(struct mem_cgroup *memcg,
						  int nid)
{
	return &memcg->nodeinfo[nid]->lruvec;
}

/* Is @pos one of @lruvec's list heads (not a folio's lru)? */
static inline bool memacct_is_lru_head(struct lruvec *lruvec,
				       struct list_head *pos)
{
#ifdef CONFIG_LRU_GEN
	struct list_head *gen = &lruvec->lrugen.folios[0][0][0];

	if (pos >= gen && pos < gen + MEMACCT_NR_GEN_LISTS)
		return true;
#endif
	return pos >= lruvec->lists && pos < lruvec->lists + NR_LRU_LISTS;
}

/*
 * The path and inode /proc/PID/maps shows for a mapped file: an overlayfs
 * file (6.8+) maps its backing file, and maps names the overlay's instead.
 * Before 6.8 the mapped file is the one shown.
 */
#ifdef MEMACCT_HAVE_FILE_USER_PATH
#define memacct_file_user_path(f)	file_user_path(f)
#define memacct_file_user_inode(f)	file_user_inode(f)
#else
#define memacct_file_user_path(f)	(&(f)->f_path)
#define memacct_file_user_inode(f)	file_inode(f)
#endif

/* The list @folio would be linked on, by its flags (under the lru_lock). */
static inline struct list_head *
memacct_folio_lru_list(struct lruvec *lruvec, struct folio *folio)
{
#ifdef CONFIG_LRU_GEN
	int gen = folio_lru_gen(folio);

	if (gen >= 0)
		return &lruvec->lrugen.folios[gen][folio_is_file_lru(folio)]
					     [folio_zonenum(folio)];
#endif
	return &lruvec->lists[folio_lru_list(folio)];
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

/*
 * Does @pmd map the huge zero folio (huge_zero_pfn is not exported)? It is
 * the only large folio a PMD maps that is neither anonymous nor in a page
 * cache, in anonymous VMAs and, through fsdax holes, DAX file VMAs. 7.x
 * marks its PMDs special, 6.x does not; the head page must be mapped.
 */
static inline bool memacct_huge_zero_pmd(struct vm_area_struct *vma,
					 pmd_t pmd, struct page *page)
{
	struct folio *folio = page_folio(page);

	if (!vma_is_anonymous(vma) && !vma_is_dax(vma))
		return false;
#ifdef MEMACCT_HAVE_SOFTLEAF
	if (!pmd_special(pmd))
		return false;
#endif
	return &folio->page == page && folio_order(folio) == HPAGE_PMD_ORDER &&
	       !folio_test_anon(folio) && !READ_ONCE(folio->mapping) &&
	       !folio_is_zone_device(folio);
}

/* The system workqueue for unbound work (system_wq is deprecated on 7.x). */
static inline struct workqueue_struct *memacct_wq(void)
{
#ifdef MEMACCT_HAVE_SYSTEM_DFL_WQ
	return system_dfl_wq;
#else
	return system_unbound_wq;
#endif
}

/*
 * Fault injection (lru_charge.c), keyed on the config the kernel keys it
 * on: 6.1's <linux/fault-inject.h> declares nothing without it, later
 * ones declare stubs. Without it the attribute is empty, never fails and
 * has no directory.
 */
struct memacct_fault {
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	struct fault_attr attr;
#endif
};

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
#define MEMACCT_FAULT_INIT	{ .attr = FAULT_ATTR_INITIALIZER }
#else
#define MEMACCT_FAULT_INIT	{ }
#endif

/* A directory @name at the top of debugfs, for @f's attributes. */
static inline struct dentry *memacct_fault_dir(const char *name,
					       struct memacct_fault *f)
{
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	return fault_create_debugfs_attr(name, NULL, &f->attr);
#else
	return ERR_PTR(-ENODEV);
#endif
}

static inline bool memacct_should_fail(struct memacct_fault *f)
{
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	return should_fail(&f->attr, 1);
#else
	return false;
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
