// SPDX-License-Identifier: GPL-2.0
/*
 * The charged view from the cgroup's own LRU lists, at a cost that grows
 * with the cgroup rather than with the host (docs/counters.md, "Charged
 * view: lru").
 *
 * A page charged to the subtree is counted once if its processes map it
 * (the walk counts the folio and marks it, dedup.c) or it is linked on one
 * of the subtree's LRU lists (here, skipping the folios marked). Pages in
 * neither are not seen: kernel pages (no list links them to their memcg),
 * unevictable pages nobody here maps (no list since 5.18), and folios in
 * flight (a per-CPU batch, isolated by reclaim or migration).
 *
 * Each lru_lock is held for at most LRU_BATCH folios (and those met being
 * freed, which cannot be pinned). Before it is dropped the next folio is
 * pinned; after it is taken again, the walk goes on from that folio if it
 * is still on one of the lruvec's lists, and stops at the first list head
 * it meets. Every folio counted is marked in the table of pages seen, so a
 * folio met twice (moved within its list, or the walk started again) is
 * counted once. If the pinned folio left the lists, or the walk reached
 * another list's head, the list is walked again from its head, up to
 * LRU_RESTARTS times; after that the read counts the charges from
 * physical memory instead.
 */
#include <linux/cgroup.h>
#include <linux/debugfs.h>
#include <linux/memcontrol.h>
#include <linux/mm_inline.h>
#include <linux/nodemask.h>
#include <linux/sched/signal.h>

#include "cgstat.h"
#include "compat.h"
#include "dedup.h"

/*
 * Folios looked at under one hold of an lru_lock (a flag test and a table
 * lookup each); the multi-gen LRU's scan_folios() looks at up to
 * MAX_LRU_BATCH (4096 on 64-bit) under it, with more work per folio.
 */
#define LRU_BATCH 128
/* Walks of one list again from its head, before giving up. */
#define LRU_RESTARTS 4

struct lru_walk {
	struct mem_cgroup *root;
	struct memacct_dedup *dd;
	struct memacct_cgstat *cs;
	struct mem_cgroup *memcg;	/* whose lruvec is walked */
	struct lruvec *lruvec;
	int nid;
	u64 folios;
};

/* Since load, for the internals file: folios looked at, lists restarted. */
static atomic64_t lru_folios, lru_restarts;

u64 memacct_lru_folios(void)
{
	return atomic64_read(&lru_folios);
}

u64 memacct_lru_restarts(void)
{
	return atomic64_read(&lru_restarts);
}

/*
 * Fault injection, where the kernel has it (the debug kernels):
 * /sys/kernel/debug/fail_memacct_lru makes the pinned folio look gone
 * when the lock is taken again, which drives the restarts and the
 * fallback to the scan view that list churn reaches only by chance.
 */
static struct memacct_fault fail_relink = MEMACCT_FAULT_INIT;
static struct dentry *fail_dir;

void memacct_lru_fault_init(void)
{
	fail_dir = memacct_fault_dir("fail_memacct_lru", &fail_relink);
}

/* debugfs_remove_recursive() takes the error pointer of a failed init. */
void memacct_lru_fault_exit(void)
{
	debugfs_remove_recursive(fail_dir);
}

/*
 * A folio on a list: counted unless marked. The walk marked every folio
 * that a present PTE of the subtree maps (and each page of a large one),
 * and a folio behind a migration or device entry is on no list: one not
 * marked is not mapped here, so mapped it is mapped outside only, with
 * no lookup of its pages.
 */
static void count_folio(struct lru_walk *w, struct folio *folio)
{
	struct mem_cgroup *memcg;

	w->folios++;
	/* Counted already: mapped here, or met before on a list. */
	if (!memacct_dedup_mark(w->dd, folio_pfn(folio)))
		return;
	memcg = memacct_folio_memcg(folio);
	if (memcg && mem_cgroup_is_descendant(memcg, w->root))
		memacct_charge_add(w->cs, folio, folio_nr_pages(folio), memcg,
				   false, true);
}

/*
 * Under the lru_lock: is @folio linked on one of this lruvec's lists?
 * PG_lru is set and cleared under it, with the folio linked; unevictable
 * folios are on no list (their lru field holds the mlock count).
 */
static bool still_linked(struct lru_walk *w, struct folio *folio)
{
	return folio_test_lru(folio) && !folio_test_unevictable(folio) &&
	       folio_nid(folio) == w->nid &&
	       memacct_folio_memcg(folio) == w->memcg;
}

/*
 * Count the folios on @head. Return: 0; -EAGAIN when the list kept
 * changing under the walk; -ENOMEM, -EINTR.
 */
static int walk_list(struct lru_walk *w, struct list_head *head)
{
	spinlock_t *lock = &w->lruvec->lru_lock;
	struct folio *pinned = NULL, *next;
	int n, restarts = 0, ret = 0;
	struct list_head *pos;
	bool strayed;

	/* Empty now: a folio added after this look is newer than the read. */
	if (READ_ONCE(head->next) == head)
		return 0;
	spin_lock_irq(lock);
	rcu_read_lock();
	pos = head->next;
	for (;;) {
		for (n = 0; n < LRU_BATCH && !memacct_is_lru_head(w->lruvec, pos);
		     n++, pos = pos->next)
			count_folio(w, list_entry(pos, struct folio, lru));
		/* A folio being freed cannot be pinned: count it, try the next. */
		while (!memacct_is_lru_head(w->lruvec, pos)) {
			next = list_entry(pos, struct folio, lru);
			if (folio_try_get(next))
				break;
			count_folio(w, next);
			pos = pos->next;
		}
		if (pos == head)
			break;
		/* Followed a folio onto another list: nothing is pinned. */
		strayed = memacct_is_lru_head(w->lruvec, pos);
		rcu_read_unlock();
		spin_unlock_irq(lock);
		/* Never under the lock: the last put takes it. */
		if (pinned)
			folio_put(pinned);
		pinned = strayed ? NULL : next;
		ret = memacct_dedup_make_room(w->dd);
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
		if (ret)
			goto out;
		cond_resched();
		spin_lock_irq(lock);
		rcu_read_lock();
		if (pinned && still_linked(w, pinned) &&
		    !memacct_should_fail(&fail_relink)) {
			pos = &pinned->lru;
			continue;
		}
		/*
		 * The list changed where the walk was: walk it again from its
		 * head, which costs no double count (every folio counted is
		 * marked), a few times at most.
		 */
		if (++restarts > LRU_RESTARTS) {
			ret = -EAGAIN;
			break;
		}
		atomic64_inc(&lru_restarts);
		pos = head->next;
	}
	rcu_read_unlock();
	spin_unlock_irq(lock);
out:
	if (pinned)
		folio_put(pinned);
	return ret;
}

static int walk_memcg(struct lru_walk *w)
{
	int i, ret;

	for_each_online_node(w->nid) {
		w->lruvec = memacct_memcg_lruvec(w->memcg, w->nid);
		for (i = 0; i < MEMACCT_NR_LRU_LISTS; i++) {
			/* Always empty: unevictable folios are on no list. */
			if (i == LRU_UNEVICTABLE)
				continue;
			ret = walk_list(w, memacct_lru_list(w->lruvec, i));
			if (ret)
				return ret;
			cond_resched();
		}
	}
	return 0;
}

int memacct_lru_charge(struct mem_cgroup *root, struct memacct_dedup *dd,
		       struct memacct_cgstat *cs)
{
	struct lru_walk w = { .root = root, .dd = dd, .cs = cs };
	struct cgroup_subsys_state *css;
	int ret;

	/* A table to mark the folios in, if no process made one. */
	ret = memacct_dedup_make_room(dd);
	if (ret)
		return ret;
	rcu_read_lock();
	css_for_each_descendant_pre(css, &root->css) {
		/* Offline memcgs still hold pages: any with a reference. */
		if (!css_tryget(css))
			continue;
		rcu_read_unlock();
		w.memcg = mem_cgroup_from_css(css);
		ret = walk_memcg(&w);
		rcu_read_lock();
		css_put(css);
		if (ret)
			break;
	}
	rcu_read_unlock();
	atomic64_add(w.folios, &lru_folios);
	return ret;
}
