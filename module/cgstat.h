/* SPDX-License-Identifier: GPL-2.0 */
/* Per-cgroup counters: the mapped view, the charged view, the page counter. */
#ifndef MEMACCT_CGSTAT_H
#define MEMACCT_CGSTAT_H

#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/types.h>

struct mem_cgroup;
struct memacct_dedup;

struct memacct_cgstat {
	u64 nr_processes;
	/* mapped by the subtree's processes, each page once */
	u64 rss_anon, rss_file, rss_shmem;
	u64 private, shared_external;
	u64 mapped_charged_elsewhere;
	u64 lazyfree, locked;
	/* the processes' proportional share, from all their mappings */
	u64 pss;
	/* sums over the subtree's processes */
	u64 swap, zero;
	u64 cow_pending_zero, cow_pending_file, cow_pending_anon;
	/* charged to the subtree, from the kernel's page ownership */
	u64 charged_anon, charged_file_mapped, charged_file_unmapped;
	u64 charged_shmem, charged_swapcache, charged_kernel_pages;
	u64 charged_other, charged_mapped_outside_only;
	u64 charged_root_uncounted;
	u64 memory_current;
};

/*
 * What a write through a read-only PTE of a writable private mapping would
 * do to a page (account.c). do_wp_page() decides from the page and its
 * folio alone, whichever PTE maps it (a PMD has a rule of its own), so a
 * cgroup read decides it once per page, at its first PTE.
 */
enum memacct_cow_class {
	MEMACCT_COW_UNKNOWN,	/* not decided (yet): take the slow path */
	MEMACCT_COW_REUSE,	/* anonymous, reused: nothing allocated */
	MEMACCT_COW_ANON,	/* anonymous, copied */
	MEMACCT_COW_FILE,	/* page cache, always copied */
};

/*
 * A charged folio of @nr pages, owned by @memcg, into @cs. @not_here: the
 * subtree's processes do not map it, so that, mapped, it is mapped only
 * outside (charged_mapped_outside_only). Inline: the walk and the LRU pass
 * call it for every folio they count.
 */
static inline void memacct_charge_add(struct memacct_cgstat *cs,
				      struct folio *folio, unsigned long nr,
				      struct mem_cgroup *memcg, bool kmem,
				      bool not_here)
{
	u64 size = (u64)nr << PAGE_SHIFT;
	bool mapped;

	/* The root memcg is charged but its counter never is. */
	if (!parent_mem_cgroup(memcg)) {
		cs->charged_root_uncounted += size;
		return;
	}
	if (kmem) {
		cs->charged_kernel_pages += size;
		return;
	}
	mapped = folio_mapped(folio);
	if (mapped && not_here)
		cs->charged_mapped_outside_only += size;
	if (folio_test_swapcache(folio))
		cs->charged_swapcache += size;
	else if (folio_test_anon(folio))
		cs->charged_anon += size;
	else if (folio_test_swapbacked(folio))
		cs->charged_shmem += size;
	else if (folio->mapping)
		*(mapped ? &cs->charged_file_mapped :
			   &cs->charged_file_unmapped) += size;
	else
		cs->charged_other += size;
}

/* Where the physical-memory pass puts each charged page. */
struct memacct_charge_sink {
	/* The counters for pages charged to @memcg, or NULL to skip them.
	 * Called under rcu_read_lock(), for every charged page.
	 */
	struct memacct_cgstat *(*stat_of)(struct memacct_charge_sink *sink,
					  struct mem_cgroup *memcg);
	/* Pages the counted processes map (charged_mapped_outside_only). */
	struct memacct_dedup *dd;
};

/* The LRU view's pass (lru_charge.c). 0, -EAGAIN (lists changed), -EINTR. */
int memacct_lru_charge(struct mem_cgroup *root, struct memacct_dedup *dd,
		       struct memacct_cgstat *cs);
/* Reads of the LRU view counted from memory instead (the internals file). */
u64 memacct_lru_fallbacks(void);
u64 memacct_lru_folios(void);
u64 memacct_lru_restarts(void);
/* /sys/kernel/debug/fail_memacct_lru, on kernels with fault injection. */
void memacct_lru_fault_init(void);
void memacct_lru_fault_exit(void);

/* One pass over physical memory. Return: 0 or -EINTR. */
int memacct_charge_scan(struct memacct_charge_sink *sink);
u64 memacct_charge_scans(void);

/* One cgroup read at a time (cgroup_stat.c): 0 or -EINTR. */
int memacct_cgread_lock(void);
void memacct_cgread_unlock(void);
/* The subtree's processes into @dd and @cs, under memacct_cgread_lock(). */
int memacct_cgroup_walk(struct mem_cgroup *memcg, struct memacct_dedup *dd,
			struct memacct_cgstat *cs);

/* Where the last cgroup read spent its time, ns of wall clock (internals). */
struct memacct_read_profile {
	u64 walk_ns;		/* the processes' page tables, growth included */
	u64 grow_ns;		/* of which: growing the table of pages seen */
	u64 finish_ns;		/* the table's totals (pss, private, shared) */
	u64 charged_ns;		/* the charged view: LRU lists or memory */
	u64 total_ns;		/* the whole read, before formatting */
};

void memacct_last_read_profile(struct memacct_read_profile *p);

#endif /* MEMACCT_CGSTAT_H */
