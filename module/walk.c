// SPDX-License-Identifier: GPL-2.0
/*
 * One pass over an mm's VMAs and page tables.
 *
 * walk_page_range() and pte_offset_map_lock() are not available to modules
 * on every supported kernel, so the tables are walked here the way
 * __pte_offset_map_lock() does it: the PMD is read locklessly under RCU, the
 * PTE table it points to is locked, and the PMD is read again to make sure
 * the table was not freed or replaced meanwhile (6.12 frees PTE tables
 * under the mmap read lock, deferred by RCU). PMD-mapped THPs are read
 * under the PMD lock, which excludes split, zap and collapse.
 *
 * The mmap lock is taken for reading, killably, and dropped after any PMD
 * when a writer waits for it, the CPU is wanted elsewhere or it has been
 * held for a millisecond; the walk then resumes at the next address in
 * whatever VMA covers it.
 */
#include <linux/atomic.h>
#include <linux/hugetlb.h>
#include <linux/ktime.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/signal.h>

#include "cgstat.h"
#include "compat.h"
#include "dedup.h"
#include "objects.h"
#include "walk.h"

/* Returned by the walkers: drop the mmap lock, then go on at s->resume. */
#define MEMACCT_YIELD 1

/*
 * The longest the mmap lock is kept even when nobody seems to want it: a
 * writer may be about to, and a bounded hold costs one relock per period.
 */
#define MEMACCT_MAX_HOLD_NS (1 * NSEC_PER_MSEC)

/* How the walks went, since the module was loaded (the internals file). */
static atomic64_t walk_scans, walk_lock_drops, walk_max_hold_ns;

void memacct_walk_stats(u64 *scans, u64 *lock_drops, u64 *max_hold_ns)
{
	*scans = atomic64_read(&walk_scans);
	*lock_drops = atomic64_read(&walk_lock_drops);
	*max_hold_ns = atomic64_read(&walk_max_hold_ns);
}

/* The mmap lock is released: remember the longest hold. */
static void note_hold(u64 since)
{
	s64 held = ktime_get_ns() - since;
	s64 max = atomic64_read(&walk_max_hold_ns);

	while (held > max &&
	       !atomic64_try_cmpxchg(&walk_max_hold_ns, &max, held))
		;
}

/*
 * After every PMD's worth of work: never make a writer wait, and never
 * sleep with the lock held; the caller drops it, reschedules and comes
 * back at s->resume.
 */
static bool walk_should_yield(struct memacct_scan *s)
{
	return mmap_lock_is_contended(s->mm) || need_resched() ||
	       (s->i_mmap_held &&
		rwsem_is_contended(&s->i_mmap_held->i_mmap_rwsem)) ||
	       ktime_get_ns() - s->locked_at > MEMACCT_MAX_HOLD_NS ||
	       (s->dd && memacct_dedup_wants_room(s->dd)) ||
	       fatal_signal_pending(current);
}

/*
 * [addr, end) has no page table (or no entry) below this level: count the
 * shmem swap behind it, one PMD's worth of page cache at a time.
 */
static int walk_hole(struct memacct_scan *s, unsigned long addr,
		     unsigned long end)
{
	pgoff_t seen = 0, *piece = &seen;	/* one lookup of smaps' */
	unsigned long next;

	if (s->shmem == MEMACCT_SHMEM_NONE)
		return 0;
	if (s->shmem == MEMACCT_SHMEM_RANGE)
		piece = &s->shmem_seen_end;		/* one for the whole VMA */
	do {
		next = pmd_addr_end(addr, end);
		memacct_account_shmem_swap(s, addr, next, piece);
		if (walk_should_yield(s)) {
			s->resume = next;
			return MEMACCT_YIELD;
		}
	} while (addr = next, addr != end);
	return 0;
}

/* The PTE table under @pmdp, locked and checked as __pte_offset_map_lock. */
static void walk_pte_table(struct memacct_scan *s, pmd_t *pmdp,
			   unsigned long addr, unsigned long end)
{
	DECLARE_BITMAP(none, PTRS_PER_PTE);
	bool holes = s->shmem == MEMACCT_SHMEM_HOLES;
	unsigned long start = addr;
	unsigned int i = 0, n;
	spinlock_t *ptl;	/* the PMD's or the PTE table's lock */
	pmd_t pmdval;
	pte_t *pte;

again:
	rcu_read_lock();
	pmdval = memacct_pmdp_get_lockless(pmdp);
	if (pmd_none(pmdval)) {
		rcu_read_unlock();
		if (holes)
			memacct_account_shmem_swap(s, addr, end, NULL);
		return;
	}
	if (memacct_pmd_is_huge(pmdval)) {
		ptl = pmd_lock(s->mm, pmdp);
		pmdval = *pmdp;
		if (!memacct_pmd_is_huge(pmdval)) {
			/* Split or zapped meanwhile: look again. */
			spin_unlock(ptl);
			rcu_read_unlock();
			goto again;
		}
		memacct_account_pmd(s, pmdval);
		spin_unlock(ptl);
		rcu_read_unlock();
		return;
	}
	/* Never clear a bad PMD as the core mm would: just leave it. */
	if (unlikely(!pmd_present(pmdval) || pmd_bad(pmdval))) {
		rcu_read_unlock();
		return;
	}

	pte = pte_offset_kernel(&pmdval, addr);
	ptl = pte_lockptr(s->mm, &pmdval);
	spin_lock(ptl);
	if (unlikely(!pmd_same(pmdval, memacct_pmdp_get_lockless(pmdp)))) {
		spin_unlock(ptl);
		rcu_read_unlock();
		goto again;
	}
	n = (end - addr) >> PAGE_SHIFT;
	if (holes)
		bitmap_zero(none, n);
	memacct_account_ptes(s, pte, n, holes ? none : NULL);
	spin_unlock(ptl);
	rcu_read_unlock();

	/*
	 * Page cache lookups outside the PTE lock, one per empty entry as
	 * smaps makes them (a large swap entry counts whole in each).
	 */
	if (holes) {
		for_each_set_bit(i, none, n)
			memacct_account_shmem_swap(s, start + i * PAGE_SIZE,
						   start + (i + 1) * PAGE_SIZE,
						   NULL);
	}
}

/*
 * A hugetlb entry (@entry, a PMD or PUD that maps @page, @present or under
 * migration): smaps puts hugetlb pages in fields of their own, never in Rss
 * or Pss, shared or private as smaps_hugetlb_range() decides. The caller
 * holds the entry's lock, as huge_pte_lock() takes it, which keeps the
 * page mapped.
 */
static void add_hugetlb(struct memacct_scan *s, void *entry,
			struct page *page, bool present, u64 size)
{
	if (memacct_hugetlb_shared(page, present, entry))
		s->st->shared_hugetlb += size;
	else
		s->st->private_hugetlb += size;
}

static void walk_hugetlb_pmd(struct memacct_scan *s, pmd_t *pmdp)
{
	struct memacct_leaf_page lp;
	spinlock_t *ptl;	/* huge_pte_lock()'s: the PMD table's */
	pmd_t pmdval;

	/*
	 * Cheap test first: most PMDs of a sparse mapping are empty. A
	 * cgroup read counts no hugetlb page (they are in no per-cgroup
	 * counter): no lock to take for it.
	 */
	if (s->dd || pmd_none(memacct_pmdp_get_lockless(pmdp)))
		return;
	ptl = pmd_lock(s->mm, pmdp);
	pmdval = READ_ONCE(*pmdp);
	if (pmd_present(pmdval)) {
		if (pmd_leaf(pmdval))
			add_hugetlb(s, pmdp, pmd_page(pmdval), true, PMD_SIZE);
	} else if (memacct_pmd_leaf(pmdval, &lp) == MEMACCT_LEAF_PAGE) {
		add_hugetlb(s, pmdp, lp.page, false, PMD_SIZE);
	}
	spin_unlock(ptl);
}

/*
 * A 1 GiB hugetlb entry, present or not: a migration or hwpoison entry is
 * in the format of a PTE's (huge_ptep_get() reads it as one), which
 * neither pud_leaf() nor pud_bad() tells apart. DAX PUDs are not counted.
 */
static void walk_hugetlb_pud(struct memacct_scan *s, pud_t *pud)
{
	struct memacct_leaf_page lp;
	spinlock_t *ptl;	/* huge_pte_lock()'s: the PUD table's */
	pud_t pudval;

	if (s->dd)
		return;		/* as in walk_hugetlb_pmd() */
	ptl = pud_lock(s->mm, pud);
	pudval = READ_ONCE(*pud);
	if (pud_present(pudval)) {
		if (pud_leaf(pudval))
			add_hugetlb(s, pud, pud_page(pudval), true, PUD_SIZE);
	} else if (!pud_none(pudval) &&
		   memacct_pte_leaf(__pte(pud_val(pudval)), &lp) ==
		   MEMACCT_LEAF_PAGE) {
		add_hugetlb(s, pud, lp.page, false, PUD_SIZE);
	}
	spin_unlock(ptl);
}

/*
 * A shared hugetlb mapping that covers a whole PUD-aligned GiB may share
 * its PMD table with other processes (want_pmd_share()). Truncation or
 * another process can unshare and free that table without our mmap lock,
 * but only with the file's i_mmap_rwsem held for writing
 * (huge_pmd_unshare()): such tables are read under i_mmap_lock_read().
 */
static bool hugetlb_pmd_shareable(struct vm_area_struct *vma,
				  unsigned long addr)
{
	unsigned long base = addr & PUD_MASK;

	return (vma->vm_flags & VM_MAYSHARE) &&
	       range_in_vma(vma, base, base + PUD_SIZE);
}

static int walk_pmd_range(struct memacct_scan *s, pud_t pudval,
			  unsigned long addr, unsigned long end)
{
	bool hugetlb = is_vm_hugetlb_page(s->vma);
	unsigned long next;
	pmd_t *pmd;

	pmd = pmd_offset(&pudval, addr);
	do {
		next = pmd_addr_end(addr, end);
		if (hugetlb)
			walk_hugetlb_pmd(s, pmd);
		else
			walk_pte_table(s, pmd, addr, next);
		if (s->shmem == MEMACCT_SHMEM_RANGE)
			memacct_account_shmem_swap(s, addr, next,
						   &s->shmem_seen_end);

		/* After every PMD, the last of a VMA too: VMAs may be tiny. */
		if (walk_should_yield(s)) {
			s->resume = next;
			return MEMACCT_YIELD;
		}
	} while (pmd++, addr = next, addr != end);
	return 0;
}

/*
 * A PMD table that may be shared: i_mmap_rwsem keeps it from being
 * unshared and freed (lock order: mmap_lock, then i_mmap_rwsem); the PUD is
 * read again under it, since it may have been cleared before. Never wait
 * for it with the mmap lock held: when a writer has it (truncation, a
 * mapping being made), drop the mmap lock, wait, and come back here.
 */
static int walk_shared_pmd_table(struct memacct_scan *s, pud_t *pud,
				 unsigned long addr, unsigned long end)
{
	struct address_space *mapping = s->vma->vm_file->f_mapping;
	pud_t pudval;
	int ret = 0;

	if (!i_mmap_trylock_read(mapping)) {
		s->wait_file = get_file(s->vma->vm_file);
		s->resume = addr;
		return MEMACCT_YIELD;
	}
	s->i_mmap_held = mapping;
	pudval = READ_ONCE(*pud);
	if (pud_present(pudval) && !pud_leaf(pudval) && !pud_bad(pudval))
		ret = walk_pmd_range(s, pudval, addr, end);
	s->i_mmap_held = NULL;
	i_mmap_unlock_read(mapping);
	return ret;
}

static int walk_pud_range(struct memacct_scan *s, p4d_t *p4d,
			  unsigned long addr, unsigned long end)
{
	unsigned long next;
	pud_t *pud, pudval;
	int ret;

	pud = pud_offset(p4d, addr);
	do {
		next = pud_addr_end(addr, end);
		pudval = READ_ONCE(*pud);
		if (pud_none(pudval)) {
			ret = walk_hole(s, addr, next);
			if (ret)
				return ret;
			continue;
		}
		/* 1 GiB hugetlb pages: every entry, present or not. */
		if (is_vm_hugetlb_page(s->vma) &&
		    huge_page_size(hstate_vma(s->vma)) == PUD_SIZE) {
			walk_hugetlb_pud(s, pud);
			continue;
		}
		if (pud_leaf(pudval))
			continue;	/* DAX */
		if (pud_bad(pudval))
			continue;
		if (is_vm_hugetlb_page(s->vma) &&
		    hugetlb_pmd_shareable(s->vma, addr))
			ret = walk_shared_pmd_table(s, pud, addr, next);
		else
			ret = walk_pmd_range(s, pudval, addr, next);
		if (ret)
			return ret;
	} while (pud++, addr = next, addr != end);
	return 0;
}

static int walk_p4d_range(struct memacct_scan *s, pgd_t *pgd,
			  unsigned long addr, unsigned long end)
{
	unsigned long next;
	p4d_t *p4d;
	int ret;

	p4d = p4d_offset(pgd, addr);
	do {
		next = p4d_addr_end(addr, end);
		if (p4d_none(*p4d) || p4d_bad(*p4d)) {
			ret = walk_hole(s, addr, next);
			if (ret)
				return ret;
			continue;
		}
		ret = walk_pud_range(s, p4d, addr, next);
		if (ret)
			return ret;
	} while (p4d++, addr = next, addr != end);
	return 0;
}

static int walk_range(struct memacct_scan *s, unsigned long addr,
		      unsigned long end)
{
	unsigned long next;
	pgd_t *pgd;
	int ret;

	pgd = pgd_offset(s->mm, addr);
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(*pgd) || pgd_bad(*pgd)) {
			ret = walk_hole(s, addr, next);
			if (ret)
				return ret;
			continue;
		}
		ret = walk_p4d_range(s, pgd, addr, next);
		if (ret)
			return ret;
	} while (pgd++, addr = next, addr != end);
	return 0;
}

/*
 * How smap_gather_stats() counts a shmem VMA's swap: all of the object's
 * when the VMA maps it whole and is shared or read-only; else what the
 * page cache holds in swap for the range, behind the holes only when the
 * VMA is private and writable. The object's own count is read locklessly;
 * page cache lookups are made a PMD at a time during the walk, with the
 * mmap lock bounded as for the page tables. Needs s->cow_vma.
 */
static void shmem_swap_mode(struct memacct_scan *s, struct vm_area_struct *vma,
			    unsigned long start, unsigned long end, bool resumed)
{
	struct memacct_shmem_whole *w = &s->shmem_whole;
	unsigned long swapped, lin;
	bool whole;

	s->shmem = MEMACCT_SHMEM_NONE;
	if (!resumed)
		s->shmem_seen_end = 0;
	if (!vma->vm_file || !memacct_shmem_mapping(vma->vm_file->f_mapping))
		return;
	swapped = memacct_shmem_swapped(vma, &whole);
	if (!swapped)
		return;
	/*
	 * Already counted whole, before a lock drop, for a mapping of the
	 * same object at the same offsets that covered this range (it may
	 * have been split, merged or had its flags changed since).
	 */
	lin = vma->vm_pgoff - (vma->vm_start >> PAGE_SHIFT);
	if (w->file == vma->vm_file && w->lin == lin && w->start <= start &&
	    end <= w->end)
		return;
	if (s->cow_vma) {
		s->shmem = MEMACCT_SHMEM_HOLES;
	} else if (whole && start == vma->vm_start && end == vma->vm_end) {
		s->st->swap += swapped;
		*w = (struct memacct_shmem_whole){ vma->vm_file, start, end,
						   lin };
	} else {
		s->shmem = MEMACCT_SHMEM_RANGE;
	}
}

/*
 * Prepare the per-VMA state, as smap_gather_stats() does, then walk
 * [start, end) of @vma. @resumed: the walk of this same VMA was
 * interrupted by a lock drop and goes on at @start.
 */
static int walk_vma(struct memacct_scan *s, struct vm_area_struct *vma,
		    unsigned long start, unsigned long end, bool resumed)
{
	vm_flags_t flags = vma->vm_flags;
	int ret;

	/* Raw PFN mappings have no pages to count (smaps skips them too). */
	if (flags & VM_PFNMAP)
		return 0;

	s->vma = vma;
	/* The files file: the VMA's object, or no room for it (yet). */
	if (s->dd && s->dd->objs &&
	    memacct_objects_enter(s->dd->objs, vma, s->st)) {
		if (!resumed)
			s->shmem_seen_end = 0;	/* a fresh walk when back */
		s->resume = start;
		return MEMACCT_YIELD;
	}
	s->cow_vma = (flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	shmem_swap_mode(s, vma, start, end, resumed);
	ret = walk_range(s, start, end);
	if (s->dd && s->dd->objs)
		memacct_objects_leave(s->dd->objs, s->st);
	return ret;
}

/* What identifies a VMA across a drop of the mmap lock. */
struct vma_id {
	unsigned long start, end, pgoff;
	struct file *file;	/* compared, never dereferenced */
	vm_flags_t flags;
};

static void vma_id_get(struct vma_id *id, struct vm_area_struct *vma)
{
	id->start = vma->vm_start;
	id->end = vma->vm_end;
	id->pgoff = vma->vm_pgoff;
	id->file = vma->vm_file;
	id->flags = vma->vm_flags;
}

static bool vma_id_same(const struct vma_id *id, struct vm_area_struct *vma)
{
	return id->start == vma->vm_start && id->end == vma->vm_end &&
	       id->pgoff == vma->vm_pgoff && id->file == vma->vm_file &&
	       id->flags == vma->vm_flags;
}

/**
 * memacct_vma_name() - what /proc/PID/maps names a mapping without a file by.
 * @vma: the mapping, its mmap lock held.
 *
 * As get_vma_name(): its special mapping's name, else the initial heap or
 * stack. Names of anonymous VMAs (CONFIG_ANON_VMA_NAME) are not read: no
 * Debian kernel has them.
 *
 * Return: a static string, or NULL for a plain anonymous mapping.
 */
const char *memacct_vma_name(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	const char *name = NULL;

	if (vma->vm_ops && vma->vm_ops->name)
		name = vma->vm_ops->name(vma);
	if (!name && vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
		name = "[heap]";
	if (!name && vma->vm_start <= mm->start_stack &&
	    vma->vm_end >= mm->start_stack)
		name = "[stack]";
	return name;
}

/* Called with the mmap lock held: the file reference outlives it. */
static void vma_describe(struct memacct_vma *v, struct vm_area_struct *vma)
{
	struct file *file = vma->vm_file;

	v->start = vma->vm_start;
	v->end = vma->vm_end;
	v->flags = vma->vm_flags;
	v->page_size = is_vm_hugetlb_page(vma) ?
		       huge_page_size(hstate_vma(vma)) : PAGE_SIZE;
	v->offset = file ? (u64)vma->vm_pgoff << PAGE_SHIFT : 0;
	v->file = file ? get_file(file) : NULL;
	v->dev = file ? memacct_file_user_inode(file)->i_sb->s_dev : 0;
	v->ino = file ? memacct_file_user_inode(file)->i_ino : 0;
	v->name[0] = '\0';
	if (!file)
		strscpy(v->name, memacct_vma_name(vma) ?: "", sizeof(v->name));
}

/*
 * The walk of [@start, @end) for memacct_scan_mm(), or, with @one, of the
 * first VMA that ends after @start only: it is described into @one as its
 * walk begins, and its walk ends early if it is changed or replaced while
 * the lock is dropped.
 */
static int scan(struct memacct_scan *s, unsigned long start,
		unsigned long end, struct memacct_vma *one)
{
	struct mm_struct *mm = s->mm;
	struct memacct_dedup *dd = s->dd;
	struct vm_area_struct *vma;
	unsigned long addr = start;
	bool resumed = false, walked = false;
	struct vma_id last;
	int ret;

	/*
	 * The first process's pages are all the cgroup's: room for its
	 * anonymous and shmem ones at once, which its counters count once
	 * each but for KSM pages and a segment attached twice; its file
	 * pages count once per mapping, and the table grows into them.
	 */
	ret = !dd ? 0 : dd->nr_used ? memacct_dedup_make_room(dd) :
		  memacct_dedup_reserve(dd, memacct_mm_anon_rss(mm));
	if (ret)
		return ret;
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	s->locked_at = ktime_get_ns();
	atomic64_inc(&walk_scans);
	if (one) {
		vma = find_vma(mm, start);
		if (!vma) {
			mmap_read_unlock(mm);
			return -ENOENT;
		}
		vma_describe(one, vma);
		addr = vma->vm_start;	/* all of it, as smaps shows it */
		end = vma->vm_end;
	} else {
		s->st->pagetables = mm_pgtables_bytes(mm);
		if (dd && dd->objs)
			memacct_objects_process(dd->objs, s->memcg);
	}

	while ((vma = find_vma(mm, addr)) && vma->vm_start < end) {
		unsigned long vma_end = vma->vm_end;

		/*
		 * After a lock drop the VMA may have been changed or replaced:
		 * it is the same one only if nothing that identifies it moved.
		 * Either way only what is there now is walked.
		 */
		resumed = resumed && vma_id_same(&last, vma);
		if (one && walked && !resumed)
			break;
		walked = true;
		addr = max(addr, vma->vm_start);
		ret = walk_vma(s, vma, addr, min(end, vma_end), resumed);
		/* VMAs with no page tables ask nothing of their own. */
		if (!ret && walk_should_yield(s)) {
			s->resume = min(end, vma_end);
			ret = MEMACCT_YIELD;
		}
		/* What was walked of the VMA, once, whatever it became. */
		s->vsz += (ret == MEMACCT_YIELD ? s->resume :
			   min(end, vma_end)) - addr;
		resumed = false;
		if (ret != MEMACCT_YIELD) {
			addr = vma_end;
			continue;
		}
		/* Let the writer in (or the CPU go), then go on where we were. */
		addr = s->resume;
		resumed = addr < vma_end;
		vma_id_get(&last, vma);
		note_hold(s->locked_at);
		mmap_read_unlock(mm);
		atomic64_inc(&walk_lock_drops);
		if (s->wait_file) {
			/* The i_mmap_rwsem a shared hugetlb table needs. */
			i_mmap_lock_read(s->wait_file->f_mapping);
			i_mmap_unlock_read(s->wait_file->f_mapping);
			fput(s->wait_file);
			s->wait_file = NULL;
		}
		cond_resched();
		/* The cgroup read's table grows only with no lock held. */
		ret = dd ? memacct_dedup_make_room(dd) : 0;
		if (ret)
			goto fail;
		ret = -EINTR;
		if (fatal_signal_pending(current) ||
		    mmap_read_lock_killable(mm))
			goto fail;
		s->locked_at = ktime_get_ns();
	}
	/* The whole mm: the kernel's own count, as status VmSize shows. */
	s->st->vsz = !start && end == ULONG_MAX ? mm->total_vm << PAGE_SHIFT :
		     s->vsz;
	note_hold(s->locked_at);
	mmap_read_unlock(mm);
	return 0;
fail:
	if (one && one->file) {
		fput(one->file);
		one->file = NULL;
	}
	return ret;
}

/**
 * memacct_scan_mm() - count every page mapped in [@start, @end) of @mm.
 * @mm: an mm the caller holds a reference on (mmget).
 * @memcg: the memcg whose charges count as charged_own (may be NULL).
 * @st: zeroed counters, filled on success.
 * @dd: if not NULL, also records each page mapped (cgroup reads).
 * @start: first address (0 for the whole mm).
 * @end: end address (ULONG_MAX for the whole mm).
 *
 * vsz counts the VMAs clipped to the range; pagetables is always the whole
 * mm's. Sleeps. Return: 0, -EINTR when a fatal signal interrupted the
 * walk, or -ENOMEM when @dd could not grow (the counters are then
 * incomplete and must not be shown).
 */
int memacct_scan_mm(struct mm_struct *mm, struct mem_cgroup *memcg,
		    struct memacct_stats *st, struct memacct_dedup *dd,
		    unsigned long start, unsigned long end)
{
	struct memacct_scan s = { .mm = mm, .memcg = memcg, .st = st, .dd = dd };

	return scan(&s, start, end, NULL);
}

/**
 * memacct_scan_vma() - describe and count the first VMA that ends after @addr.
 * @mm: an mm the caller holds a reference on (mmget).
 * @memcg: the memcg whose charges count as charged_own (may be NULL).
 * @addr: where to look.
 * @v: filled on success, its counters zeroed first; its file reference is
 *     the caller's to drop with fput().
 *
 * The counters are those of /proc/PID/smaps for that VMA; pagetables, an
 * mm's, is 0. Sleeps. Return: 0, -ENOENT when no VMA ends after @addr, or
 * -EINTR when a fatal signal interrupted the walk.
 */
int memacct_scan_vma(struct mm_struct *mm, struct mem_cgroup *memcg,
		     unsigned long addr, struct memacct_vma *v)
{
	struct memacct_scan s = { .mm = mm, .memcg = memcg, .st = &v->st };

	memset(&v->st, 0, sizeof(v->st));
	return scan(&s, addr, ULONG_MAX, v);
}
