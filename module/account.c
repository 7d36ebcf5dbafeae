// SPDX-License-Identifier: GPL-2.0
/*
 * What one page-table entry contributes to the counters.
 *
 * Resident, proportional and private/shared sums follow smaps_account() in
 * fs/proc/task_mmu.c of the running kernel (see compat.h for where the two
 * kernels differ), so they equal /proc/PID/smaps_rollup exactly.
 * cow_pending follows the reuse decision of do_wp_page() and
 * do_huge_pmd_wp_page() in mm/memory.c and mm/huge_memory.c.
 *
 * Callers hold the page table lock of the entry and rcu_read_lock(), which
 * keep the page mapped and its memcg alive while it is looked at.
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/page_idle.h>
#include <linux/pagemap.h>
#include <linux/xarray.h>

#include "cgstat.h"
#include "compat.h"
#include "dedup.h"
#include "walk.h"

static void add_pss(struct memacct_stats *st, struct folio *folio, u64 size,
		    u64 pss, bool dirty, bool private, bool locked)
{
	if (folio_test_anon(folio))
		st->pss_anon += pss;
	else if (folio_test_swapbacked(folio))
		st->pss_shmem += pss;
	else
		st->pss_file += pss;

	if (locked)
		st->pss_locked += pss;
	if (dirty) {
		st->pss_dirty += pss;
		if (private)
			st->private_dirty += size;
		else
			st->shared_dirty += size;
	} else {
		if (private)
			st->private_clean += size;
		else
			st->shared_clean += size;
	}
}

/*
 * smaps_account(): @nr pages of @page's folio, mapped by one entry of
 * s->vma, whose young and dirty bits are @young and @dirty.
 */
static void add_resident(struct memacct_scan *s, struct page *page,
			 unsigned int nr, bool present, bool migration,
			 bool dirty, bool young)
{
	bool locked = s->vma->vm_flags & VM_LOCKED;
	struct folio *folio = page_folio(page);
	struct memacct_stats *st = s->st;
	u64 size = (u64)nr << PAGE_SHIFT;
	bool whole, private;
	unsigned int i;

	if (folio_test_anon(folio)) {
		st->rss_anon += size;
		if (memacct_lazyfree(folio, dirty))
			st->lazyfree += size;
	} else if (folio_test_swapbacked(folio)) {
		st->rss_shmem += size;
	} else {
		st->rss_file += size;
	}
	if (folio_test_ksm(folio))
		st->ksm += size;
	if (young || folio_test_young(folio) || folio_test_referenced(folio))
		st->referenced += size;

	dirty = dirty || folio_test_dirty(folio);

	/* A refcount of 1 means mapped exactly once: skip the mapcounts. */
	if (MEMACCT_NONPRESENT_PRIVATE) {
		whole = folio_ref_count(folio) == 1 || migration;
		private = true;
	} else {
		whole = folio_ref_count(folio) == 1 || !present;
		private = present;
	}
	if (whole) {
		add_pss(st, folio, size, size << MEMACCT_PSS_SHIFT, dirty,
			private, locked);
		return;
	}

	for (i = 0; i < nr; i++) {
		int mapcount = memacct_page_mapcount(folio, page + i);
		u64 pss = PAGE_SIZE << MEMACCT_PSS_SHIFT;

		if (mapcount >= 2)
			pss = div_u64(pss, mapcount);
		add_pss(st, folio, PAGE_SIZE, pss, dirty, mapcount < 2, locked);
	}
}

static void add_charge(struct memacct_scan *s, struct folio *folio, u64 size)
{
	struct mem_cgroup *memcg = memacct_folio_memcg(folio);

	if (!memcg)
		return;
	if (memcg == s->memcg)
		s->st->charged_own += size;
	else
		s->st->charged_other += size;
}

/*
 * A page (or @nr pages of a folio) mapped by one entry. A cgroup read only
 * needs each page once, which the dedup counts give (with the processes'
 * pss): the per-process split and charges are skipped then, and the slot
 * of the (last) page is returned; NULL otherwise, or if it had no room.
 */
static struct memacct_dedup_slot *
add_mapped(struct memacct_scan *s, struct page *page, unsigned int nr,
	   bool present, bool migration, bool dirty, bool young,
	   struct memacct_dedup_slot *hint)
{
	if (s->dd)
		return memacct_dedup_map(s->dd, page, nr, present, dirty,
					 s->vma->vm_flags & VM_LOCKED, hint);
	add_resident(s, page, nr, present, migration, dirty, young);
	add_charge(s, page_folio(page), (u64)nr << PAGE_SHIFT);
	return NULL;
}

/*
 * Would a write fault through a read-only PTE copy this anonymous page?
 * do_wp_page() reuses it when it is exclusive, or when it is not KSM and
 * its only reference is the mapping (plus the swap cache's, which the
 * fault drops); large folios have rules of their own (compat.h). The
 * fault first drains this CPU's LRU batch when the folio is off the LRU;
 * the batch's reference is assumed to be there and dropped.
 */
static bool anon_pte_write_copies(struct page *page, struct folio *folio)
{
	bool decided, reused;
	int ref;

	if (PageAnonExclusive(page))
		return false;
	if (folio_test_ksm(folio))
		return true;
	if (folio_test_large(folio)) {
		reused = memacct_large_anon_reused(folio, &decided);
		if (decided)
			return !reused;
	}
	ref = folio_ref_count(folio);
	if (ref > 3)
		return true;
	if (!folio_test_lru(folio))
		ref--;
	return ref > 1 + folio_test_swapcache(folio);
}

/* do_huge_pmd_wp_page(): reuse when exclusive or only mapped here. */
static bool anon_pmd_write_copies(struct page *page, struct folio *folio)
{
	if (PageAnonExclusive(page))
		return false;
	return folio_ref_count(folio) >
	       1 + folio_test_swapcache(folio) * folio_nr_pages(folio);
}

/* What a write through a read-only entry mapping @page would do. */
static enum memacct_cow_class cow_class(struct page *page, bool pmd_mapped)
{
	struct folio *folio = page_folio(page);
	bool copies;

	if (!folio_test_anon(folio))
		return MEMACCT_COW_FILE;
	copies = pmd_mapped ? anon_pmd_write_copies(page, folio) :
			      anon_pte_write_copies(page, folio);
	return copies ? MEMACCT_COW_ANON : MEMACCT_COW_REUSE;
}

static void add_cow(struct memacct_stats *st, enum memacct_cow_class cow,
		    u64 size)
{
	if (cow == MEMACCT_COW_ANON)
		st->cow_pending_anon += size;
	else if (cow == MEMACCT_COW_FILE)
		st->cow_pending_file += size;
}

static void add_zero(struct memacct_scan *s, u64 size)
{
	s->st->zero += size;
	if (s->cow_vma)
		s->st->cow_pending_zero += size;
}

/*
 * A present PTE mapping @page, in full. A cgroup read keeps the page's
 * copy-on-write class in its slot, so that the fast path below can take
 * the page's other mappings. @hint: as for memacct_dedup_map().
 */
static void account_present_pte(struct memacct_scan *s, pte_t pte,
				struct page *page,
				struct memacct_dedup_slot *hint)
{
	bool writes_copy = s->cow_vma && !pte_write(pte);
	enum memacct_cow_class cow = MEMACCT_COW_UNKNOWN;
	struct memacct_dedup_slot *slot;

	slot = add_mapped(s, page, 1, true, false, pte_dirty(pte),
			  pte_young(pte), hint);
	/* Kept only for a page that another PTE may map. */
	if (slot && slot->total < 2)
		slot = NULL;
	if (slot || writes_copy)
		cow = cow_class(page, false);
	if (slot)
		slot->cow = cow;
	if (writes_copy)
		add_cow(s->st, cow, PAGE_SIZE);
}

static void account_pte(struct memacct_scan *s, pte_t pte,
			struct memacct_dedup_slot *hint)
{
	struct memacct_leaf_page lp;

	if (pte_present(pte)) {
		unsigned long pfn = pte_pfn(pte);

		/*
		 * vm_normal_page(): special entries have no page to count;
		 * any other present entry maps a struct page (GUP-fast takes
		 * it without looking further either).
		 */
		if (is_zero_pfn(pfn)) {
			add_zero(s, PAGE_SIZE);
			return;
		}
		if (pte_special(pte))
			return;
		account_present_pte(s, pte, pfn_to_page(pfn), hint);
		return;
	}

	switch (memacct_pte_leaf(pte, &lp)) {
	case MEMACCT_LEAF_SWAP:
		s->st->swap += PAGE_SIZE;
		break;
	case MEMACCT_LEAF_PAGE:
		/* Migration (or device) entry: the page it stands for. */
		add_mapped(s, lp.page, 1, lp.device_private, lp.migration,
			   false, false, NULL);
		break;
	case MEMACCT_LEAF_OTHER:
		break;
	}
}

/*
 * A cgroup read's present PTE whose page a present PTE mapped before in
 * this read: the first mapping counted the page and its charge and left
 * its copy-on-write class in the slot, so this one adds only what the
 * slot and the entry tell, and reads no struct page. Most PTEs of forked
 * processes are these. Return: false if the full path must count it, with
 * *@hint the slot looked up for it, if any.
 */
static bool account_seen_pte(struct memacct_scan *s, pte_t pte, bool locked,
			     struct memacct_dedup_slot **hint)
{
	struct memacct_dedup *dd = s->dd;
	struct memacct_dedup_slot *slot;

	*hint = NULL;
	if (!pte_present(pte) || pte_special(pte))
		return false;
	/* Only valid frames have slots: the zero page has none either. */
	slot = memacct_dedup_find(dd->slots, dd->nr_slots, pte_pfn(pte));
	if (!slot->seen || slot->cow == MEMACCT_COW_UNKNOWN) {
		*hint = slot;
		return false;
	}
	if (locked)
		memacct_dedup_lock(dd, slot);
	memacct_dedup_again(dd, slot, pte_dirty(pte));
	if (s->cow_vma && !pte_write(pte))
		add_cow(s->st, slot->cow, PAGE_SIZE);
	return true;
}

/**
 * memacct_account_ptes() - count the entries of one PTE table.
 * @s: the walk, with s->vma set.
 * @pte: the first entry, its table locked, under rcu_read_lock().
 * @n: the entries to count.
 * @none: if not NULL, a bit is set here for each empty entry.
 */
void memacct_account_ptes(struct memacct_scan *s, pte_t *pte, unsigned int n,
			  unsigned long *none)
{
	bool locked = s->vma->vm_flags & VM_LOCKED;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct memacct_dedup_slot *hint = NULL;
		pte_t ptent = ptep_get(pte + i);

		if (pte_none(ptent)) {
			if (none)
				__set_bit(i, none);
			continue;
		}
		if (s->dd && account_seen_pte(s, ptent, locked, &hint))
			continue;
		account_pte(s, ptent, hint);
	}
}

/* A PMD that maps a THP (or the huge zero page), or a THP migration entry. */
void memacct_account_pmd(struct memacct_scan *s, pmd_t pmd)
{
	struct memacct_stats *st = s->st;
	struct memacct_leaf_page lp = { };
	bool present = pmd_present(pmd);
	struct folio *folio;
	struct page *page;

	if (present) {
		/* vm_normal_page_pmd(): no page behind these to count. */
		if (memacct_pmd_devmap(pmd) || !pfn_valid(pmd_pfn(pmd)))
			return;
		page = pmd_page(pmd);
		/* smaps never counts the huge zero folio. */
		if (memacct_huge_zero_pmd(s->vma, pmd, page)) {
			add_zero(s, HPAGE_PMD_SIZE);
			return;
		}
		if (memacct_pmd_special(pmd))
			return;
		if (!MEMACCT_COUNT_PROTNONE_THP && pmd_protnone(pmd))
			return;
	} else {
		if (memacct_pmd_leaf(pmd, &lp) != MEMACCT_LEAF_PAGE)
			return;
		/* Device-private PMDs too: smaps takes them as not present. */
		page = lp.page;
	}
	folio = page_folio(page);

	if (folio_test_anon(folio))
		st->anon_thp += HPAGE_PMD_SIZE;
	else if (folio_test_swapbacked(folio))
		st->shmem_thp += HPAGE_PMD_SIZE;
	else if (!folio_is_zone_device(folio))
		st->file_thp += HPAGE_PMD_SIZE;

	/*
	 * smaps takes pmd_dirty() and pmd_young() of migration entries too
	 * (6.12 reads the saved-dirty bit there, set in every one of them).
	 */
	add_mapped(s, page, HPAGE_PMD_NR, present, lp.migration,
		   pmd_dirty(pmd), pmd_young(pmd), NULL);
	if (present && s->cow_vma && !pmd_write(pmd))
		add_cow(st, cow_class(page, true), HPAGE_PMD_SIZE);
}

/*
 * shmem_partial_swap_usage(): swap entries in a shmem page cache range,
 * each counted whole (all its pages) if any index of it is in the range.
 * The callers keep the range to one PMD's worth, so the RCU section and
 * the mmap lock hold stay bounded without rescheduling in here. One range
 * of the kernel's may be looked up here in pieces: @seen, if not NULL, is
 * the end of what earlier pieces counted, so an entry across two pieces
 * is counted once, as the kernel's single lookup counts it.
 */
static unsigned long shmem_range_swap(struct address_space *mapping,
				      pgoff_t start, pgoff_t end, pgoff_t *seen)
{
	XA_STATE(xas, &mapping->i_pages, start);
	unsigned long swapped = 0, nr;
	pgoff_t base;
	void *entry;

	if (start >= end)
		return 0;
	rcu_read_lock();
	xas_for_each(&xas, entry, end - 1) {
		if (xas_retry(&xas, entry) || !xa_is_value(entry))
			continue;
		nr = memacct_xas_nr_pages(&xas);
		base = round_down(xas.xa_index, nr);
		if (seen) {
			if (base < *seen)
				continue;
			*seen = base + nr;
		}
		swapped += nr;
	}
	rcu_read_unlock();
	return swapped << PAGE_SHIFT;
}

/**
 * memacct_shmem_swapped() - the swap of the shmem object behind @vma.
 * @vma: a VMA of a shmem file.
 * @whole: set when @vma maps all of the object (shmem_swap_usage()'s
 *	   shortcut: its swap is then all of the object's).
 *
 * Return: the object's swap in bytes, read without a lookup.
 */
unsigned long memacct_shmem_swapped(struct vm_area_struct *vma, bool *whole)
{
	struct inode *inode = file_inode(vma->vm_file);

	*whole = !vma->vm_pgoff &&
		 vma->vm_end - vma->vm_start >= i_size_read(inode);
	return READ_ONCE(SHMEM_I(inode)->swapped) << PAGE_SHIFT;
}

/*
 * The shmem swap behind [start, end) of s->vma: one lookup of the kernel's
 * (@seen NULL), or a piece of one (@seen: see shmem_range_swap()).
 */
void memacct_account_shmem_swap(struct memacct_scan *s, unsigned long start,
				unsigned long end, pgoff_t *seen)
{
	struct vm_area_struct *vma = s->vma;

	s->st->swap += shmem_range_swap(vma->vm_file->f_mapping,
					linear_page_index(vma, start),
					linear_page_index(vma, end), seen);
}
