/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MEMACCT_WALK_H
#define MEMACCT_WALK_H

#include <linux/mm_types.h>
#include <linux/pgtable.h>
#include "stats.h"

struct mem_cgroup;
struct memacct_dedup;

/*
 * A shmem VMA's swap, as smap_gather_stats() counts it: none to count; the
 * swap behind entries that map nothing (private writable: a COW page
 * replaces the object's page); or all of the object's swap in the range.
 */
enum memacct_shmem_swap {
	MEMACCT_SHMEM_NONE,
	MEMACCT_SHMEM_HOLES,
	MEMACCT_SHMEM_RANGE,
};

/* State of one walk of one mm; lives on the walker's stack. */
struct memacct_scan {
	struct mm_struct *mm;
	struct mem_cgroup *memcg;	/* the mm's memcg, held by the caller */
	struct memacct_stats *st;
	struct memacct_dedup *dd;	/* pages seen across processes, or NULL */
	struct vm_area_struct *vma;	/* the VMA being walked */
	bool cow_vma;			/* writable private: writes may copy */
	enum memacct_shmem_swap shmem;	/* how this VMA's shmem swap is counted */
	pgoff_t shmem_seen_end;		/* RANGE: end of the entries counted */
	/* The mapping whose object's swap was counted whole. */
	struct memacct_shmem_whole {
		struct file *file;	/* compared, never dereferenced */
		unsigned long start, end, lin;	/* lin: pgoff at address 0 */
	} shmem_whole;
	/* A contended i_mmap_rwsem to wait for once the mmap lock is dropped. */
	struct file *wait_file;
	struct address_space *i_mmap_held;	/* read-locked by the walk */
	unsigned long resume;		/* where to go on after a lock drop */
	u64 locked_at;			/* when the mmap lock was taken */
	u64 vsz;			/* VMA bytes in the range walked */
};

int memacct_scan_mm(struct mm_struct *mm, struct mem_cgroup *memcg,
		    struct memacct_stats *st, struct memacct_dedup *dd,
		    unsigned long start, unsigned long end);

/* Longest name of a mapping without a file: "[heap]", vm_ops' names. */
#define MEMACCT_VMA_NAME_MAX 32

/* One mapping as its walk began, and what it maps (the maps files). */
struct memacct_vma {
	unsigned long start, end;
	u64 offset;			/* bytes into the file */
	vm_flags_t flags;
	unsigned long page_size;	/* smaps' KernelPageSize */
	struct file *file;		/* referenced; NULL if none */
	dev_t dev;
	unsigned long ino;
	char name[MEMACCT_VMA_NAME_MAX];	/* when there is no file */
	struct memacct_stats st;
};

const char *memacct_vma_name(struct vm_area_struct *vma);
int memacct_scan_vma(struct mm_struct *mm, struct mem_cgroup *memcg,
		     unsigned long addr, struct memacct_vma *v);

void memacct_walk_stats(u64 *scans, u64 *lock_drops, u64 *max_hold_ns);

/* account.c: what one page-table entry contributes, smaps' rules plus ours. */
void memacct_account_ptes(struct memacct_scan *s, pte_t *pte, unsigned int n,
			  unsigned long *none);
void memacct_account_pmd(struct memacct_scan *s, pmd_t pmd);
void memacct_account_shmem_swap(struct memacct_scan *s, unsigned long start,
				unsigned long end, pgoff_t *seen);
unsigned long memacct_shmem_swapped(struct vm_area_struct *vma, bool *whole);

#endif /* MEMACCT_WALK_H */
