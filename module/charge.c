// SPDX-License-Identifier: GPL-2.0
/*
 * The charged view: who owns each page of physical memory.
 *
 * Every page frame is looked at the way /proc/kpagecgroup does it: online
 * pages only (pfn_to_online_page), the owner decoded by the kernel's
 * folio_memcg_check() under RCU (memcgs and objcgs are freed after a grace
 * period). Absent and ZONE_DEVICE ranges are skipped a (sub)section at a
 * time, free blocks by their order, and a large folio's tail pages by its
 * size, read with a speculative reference held (as GUP-fast does). It is a
 * snapshot: exact for a quiescent cgroup, and never unsafe for a busy one.
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/page-flags.h>
#include <linux/sched/signal.h>

#include "cgstat.h"
#include "compat.h"
#include "dedup.h"

/* Page frames gone over between two chances to reschedule. */
#define CHARGE_BATCH 1024

/*
 * The memcg charged for a head page, or NULL (not charged, or a slab page:
 * slab objects are charged one by one, not the page). *@kmem is set for
 * kernel pages charged through an obj_cgroup. Under rcu_read_lock().
 */
static struct mem_cgroup *page_owner(struct folio *folio, bool *kmem)
{
	/*
	 * The kernel's own decoding (7.x points every charged folio at an
	 * obj_cgroup); the kmem bit is read apart, which can only misfile a
	 * page freed and reused in between: a snapshot, as kpageflags is.
	 */
	*kmem = READ_ONCE(folio->memcg_data) & MEMCG_DATA_KMEM;
	return memacct_folio_memcg(folio);
}

/*
 * How many page frames from @pfn (whose page is @page) hold nothing to
 * count beyond the first: a free buddy block. Read without locks, so the
 * order is checked before it is used.
 */
static unsigned long frames_to_skip(struct page *page, unsigned long pfn)
{
	unsigned long order;

	if (!PageBuddy(page))
		return 1;
	/* Racy by design, as in /proc/kpageflags: checked just below. */
	order = data_race(page_private(page));
	if (order >= BITS_PER_LONG || (1UL << order) > MAX_ORDER_NR_PAGES ||
	    !IS_ALIGNED(pfn, 1UL << order))
		return 1;
	return 1UL << order;
}

/*
 * @pfn has no online page: neither have the other frames of its section
 * when the section is offline or absent, nor those of its subsection
 * otherwise (memory is added and ZONE_DEVICE mapped by whole subsections).
 */
static unsigned long frames_offline(unsigned long pfn)
{
	unsigned long span = online_section_nr(pfn_to_section_nr(pfn)) ?
			     PAGES_PER_SUBSECTION : PAGES_PER_SECTION;

	return ALIGN(pfn + 1, span) - pfn;
}

/* Count @nr pages from the head page @folio at @pfn. Return: @nr, or 1. */
static unsigned long count_folio(struct memacct_charge_sink *sink,
				 struct folio *folio, unsigned long pfn,
				 unsigned long end, unsigned long nr)
{
	struct memacct_cgstat *cs;
	struct mem_cgroup *memcg;
	bool kmem, not_here;

	/* Past the node's end (spans may overlap): the frames count there. */
	if (nr > end - pfn)
		return 1;
	memcg = page_owner(folio, &kmem);
	cs = memcg ? sink->stat_of(sink, memcg) : NULL;
	if (!cs)
		return nr;
	/* Only a mapped folio can be mapped outside only: look it up then. */
	not_here = sink->dd && folio_mapped(folio) &&
		   !memacct_dedup_seen(sink->dd, pfn, nr);
	memacct_charge_add(cs, folio, nr, memcg, kmem, not_here);
	return nr;
}

/* Passes over memory since load (the internals file). */
static atomic64_t charge_scans;

u64 memacct_charge_scans(void)
{
	return atomic64_read(&charge_scans);
}

int memacct_charge_scan(struct memacct_charge_sink *sink)
{
	int nid;

	atomic64_inc(&charge_scans);
	for_each_online_node(nid) {
		unsigned long pfn = node_start_pfn(nid);
		unsigned long end = node_end_pfn(nid);
		unsigned long next_break = pfn;
		unsigned long step;

		rcu_read_lock();
		for (; pfn < end; pfn += step) {
			struct folio *folio;
			struct page *page;

			step = 1;
			if (pfn >= next_break) {
				next_break = pfn + CHARGE_BATCH;
				rcu_read_unlock();
				if (fatal_signal_pending(current))
					return -EINTR;
				cond_resched();
				rcu_read_lock();
			}
			page = pfn_to_online_page(pfn);
			if (!page) {
				step = frames_offline(pfn);
				continue;
			}
			/* Node spans may overlap: each page counts on its own. */
			if (page_to_nid(page) != nid)
				continue;
			step = frames_to_skip(page, pfn);
			if (step > 1)
				continue;
			folio = page_folio(page);
			/* A large folio is counted once, at its head. */
			if (&folio->page != page)
				continue;
			if (!folio_test_large(folio)) {
				count_folio(sink, folio, pfn, end, 1);
				continue;
			}
			/*
			 * Its size is trusted only with a reference held, and
			 * once it is known to be the same folio's head still.
			 */
			if (!folio_try_get(folio))
				continue;
			if (page_folio(page) == folio)
				step = count_folio(sink, folio, pfn, end,
						   folio_nr_pages(folio));
			folio_put(folio);
		}
		rcu_read_unlock();
	}
	return 0;
}
