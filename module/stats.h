/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-mm counters. docs/counters.md defines each one.
 */
#ifndef MEMACCT_STATS_H
#define MEMACCT_STATS_H

#include <linux/page-flags.h>
#include <linux/types.h>

/* smaps' fixed-point PSS: sums are kept << PSS_SHIFT, shifted once at the end. */
#define MEMACCT_PSS_SHIFT 12

/* Raw sums filled by one walk of an mm. Bytes unless noted. */
struct memacct_stats {
	u64 vsz;
	u64 rss_anon, rss_file, rss_shmem;
	u64 pss_anon, pss_file, pss_shmem;	/* fixed point */
	u64 private_clean, private_dirty, shared_clean, shared_dirty;
	u64 anon_thp, file_thp, shmem_thp;
	u64 shared_hugetlb, private_hugetlb;
	u64 swap, zero;
	u64 cow_pending_zero, cow_pending_file, cow_pending_anon;
	u64 charged_own, charged_other;
	u64 pagetables;
	u64 referenced, lazyfree, ksm;
	u64 pss_dirty, pss_locked;		/* fixed point */
};

/* Published counters, in column order of the tasks files. */
enum memacct_counter {
	MEMACCT_VSZ,
	MEMACCT_RSS,
	MEMACCT_RSS_ANON,
	MEMACCT_RSS_FILE,
	MEMACCT_RSS_SHMEM,
	MEMACCT_PSS,
	MEMACCT_PSS_ANON,
	MEMACCT_PSS_FILE,
	MEMACCT_PSS_SHMEM,
	MEMACCT_USS,
	MEMACCT_SHARED,
	MEMACCT_PRIVATE_CLEAN,
	MEMACCT_PRIVATE_DIRTY,
	MEMACCT_SHARED_CLEAN,
	MEMACCT_SHARED_DIRTY,
	MEMACCT_ANON,
	MEMACCT_ANON_THP,
	MEMACCT_FILE_THP,
	MEMACCT_SHMEM_THP,
	MEMACCT_HUGETLB,
	MEMACCT_SWAP,
	MEMACCT_ZERO,
	MEMACCT_COW_PENDING,
	MEMACCT_COW_PENDING_ZERO,
	MEMACCT_COW_PENDING_FILE,
	MEMACCT_COW_PENDING_ANON,
	MEMACCT_CHARGED_OWN,
	MEMACCT_CHARGED_OTHER,
	MEMACCT_PAGETABLES,
	MEMACCT_REFERENCED,
	MEMACCT_LAZYFREE,
	MEMACCT_KSM,
	MEMACCT_PSS_DIRTY,
	MEMACCT_LOCKED,
	MEMACCT_SHARED_HUGETLB,
	MEMACCT_PRIVATE_HUGETLB,
	MEMACCT_NR_COUNTERS
};

extern const char *const memacct_counter_names[MEMACCT_NR_COUNTERS];

/*
 * Lazily freed (MADV_FREE), as smaps_account() has it: an anonymous folio
 * no longer swap-backed, clean in its entry (@dirty) and itself.
 */
static inline bool memacct_lazyfree(struct folio *folio, bool dirty)
{
	return folio_test_anon(folio) && !folio_test_swapbacked(folio) &&
	       !dirty && !folio_test_dirty(folio);
}

/* Turn raw sums into the published values, in bytes, in column order. */
void memacct_stats_values(const struct memacct_stats *st,
			  u64 vals[MEMACCT_NR_COUNTERS]);

#endif /* MEMACCT_STATS_H */
