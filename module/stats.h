/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-mm counters. docs/counters.md defines each one; the order of
 * MEMACCT_TASK_COUNTERS is the column order of the tasks files.
 */
#ifndef MEMACCT_STATS_H
#define MEMACCT_STATS_H

#include <linux/types.h>

/* smaps' fixed-point PSS: sums are kept << PSS_SHIFT, shifted once at the end. */
#define MEMACCT_PSS_SHIFT 12

/* Raw sums filled by one walk of an mm. Bytes unless noted. */
struct memacct_stats {
	u64 vsz;
	u64 rss_anon, rss_file, rss_shmem;
	u64 pss_anon, pss_file, pss_shmem;	/* fixed point */
	u64 private_clean, private_dirty, shared_clean, shared_dirty;
	u64 anon_thp, file_thp, shmem_thp, hugetlb;
	u64 swap, zero;
	u64 cow_pending_zero, cow_pending_file, cow_pending_anon;
	u64 charged_own, charged_other;
	u64 pagetables;
};

#define MEMACCT_TASK_COUNTERS(X)					\
	X(vsz) X(rss) X(rss_anon) X(rss_file) X(rss_shmem)		\
	X(pss) X(pss_anon) X(pss_file) X(pss_shmem)			\
	X(uss) X(shared) X(private_clean) X(private_dirty)		\
	X(shared_clean) X(shared_dirty)					\
	X(anon) X(anon_thp) X(file_thp) X(shmem_thp) X(hugetlb)		\
	X(swap) X(zero)							\
	X(cow_pending) X(cow_pending_zero) X(cow_pending_file)		\
	X(cow_pending_anon)						\
	X(charged_own) X(charged_other) X(pagetables)

#define MEMACCT_COUNTER_ENUM(name) MEMACCT_##name,
enum memacct_counter {
	MEMACCT_TASK_COUNTERS(MEMACCT_COUNTER_ENUM)
	MEMACCT_NR_COUNTERS
};
#undef MEMACCT_COUNTER_ENUM

extern const char *const memacct_counter_names[MEMACCT_NR_COUNTERS];

/* Turn raw sums into the published values, in bytes, in column order. */
void memacct_stats_values(const struct memacct_stats *st,
			  u64 vals[MEMACCT_NR_COUNTERS]);

#endif /* MEMACCT_STATS_H */
