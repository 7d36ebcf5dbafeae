/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MEMACCT_WALK_H
#define MEMACCT_WALK_H

#include <linux/mm_types.h>
#include <linux/pgtable.h>
#include "stats.h"

struct mem_cgroup;
struct memacct_dedup;

/* State of one walk of one mm; lives on the walker's stack. */
struct memacct_scan {
	struct mm_struct *mm;
	struct mem_cgroup *memcg;	/* the mm's memcg, compared, never dereferenced */
	struct memacct_stats *st;
	struct memacct_dedup *dd;	/* pages seen across processes, or NULL */
	struct vm_area_struct *vma;	/* the VMA being walked */
	bool cow_vma;			/* writable private: writes may copy */
	bool shmem_holes;		/* count shmem swap behind empty entries */
	unsigned long resume;		/* where to go on after a lock drop */
	u64 locked_at;			/* when the mmap lock was taken */
	u64 vsz;			/* VMA bytes in the range walked */
	/* a shmem VMA whose swap was counted whole, so holes add nothing */
	unsigned long shmem_whole_start, shmem_whole_end;
};

int memacct_scan_mm(struct mm_struct *mm, struct mem_cgroup *memcg,
		    struct memacct_stats *st, struct memacct_dedup *dd,
		    unsigned long start, unsigned long end);

void memacct_walk_stats(u64 *scans, u64 *lock_drops, u64 *max_hold_ns);

/* account.c: what one page-table entry contributes, smaps' rules plus ours. */
void memacct_account_pte(struct memacct_scan *s, pte_t pte);
void memacct_account_pmd(struct memacct_scan *s, pmd_t pmd);
void memacct_account_shmem_swap(struct memacct_scan *s,
				unsigned long start, unsigned long end);
unsigned long memacct_shmem_vma_swap(struct vm_area_struct *vma);

#endif /* MEMACCT_WALK_H */
