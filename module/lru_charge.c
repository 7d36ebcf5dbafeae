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
 * Each lru_lock is held for at most LRU_BATCH folios. Before it is dropped
 * the next folio is pinned; after it is taken again, the walk goes on from
 * that folio only if it is still on the same list, which its flags tell
 * under the lock. If it is not (the lists changed under the walk), nothing
 * is known about what was passed: the read says so and its caller counts
 * the charges from physical memory instead.
 */
#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/mm_inline.h>
#include <linux/nodemask.h>
#include <linux/sched/signal.h>

#include "cgstat.h"
#include "compat.h"

/* Folios looked at under one hold of an lru_lock. */
#define LRU_BATCH 32

struct lru_walk {
	struct mem_cgroup *root;
	struct memacct_dedup *dd;
	struct memacct_cgstat *cs;
	struct mem_cgroup *memcg;	/* whose lruvec is walked */
	struct lruvec *lruvec;
	int nid;
	u64 folios;
};

/* Folios the LRU view looked at since load (the internals file). */
static atomic64_t lru_folios;

u64 memacct_lru_folios(void)
{
	return atomic64_read(&lru_folios);
}

static void count_folio(struct lru_walk *w, struct folio *folio)
{
	struct mem_cgroup *memcg;

	w->folios++;
	/* Mapped here: the walk counted it already. */
	if (memacct_dedup_counted(w->dd, folio_pfn(folio)))
		return;
	memcg = memacct_folio_memcg(folio);
	if (memcg && mem_cgroup_is_descendant(memcg, w->root))
		memacct_charge_add(w->cs, w->dd, folio, folio_nr_pages(folio),
				   memcg, false);
}

/* Under the lru_lock: is @folio still linked on @head? */
static bool still_on(struct lru_walk *w, struct folio *folio,
		     struct list_head *head)
{
	return folio_test_lru(folio) && folio_nid(folio) == w->nid &&
	       memacct_folio_memcg(folio) == w->memcg &&
	       memacct_folio_lru_list(w->lruvec, folio) == head;
}

/*
 * Count the folios on @head. Return: 0, -EAGAIN when the lists changed
 * under the walk, -EINTR on a fatal signal.
 */
static int walk_list(struct lru_walk *w, struct list_head *head)
{
	spinlock_t *lock = &w->lruvec->lru_lock;
	struct folio *pinned = NULL, *next;
	struct list_head *pos;
	int n, ret = 0;

	spin_lock_irq(lock);
	rcu_read_lock();
	pos = head->next;
	for (;;) {
		for (n = 0; n < LRU_BATCH && !memacct_is_lru_head(w->lruvec, pos);
		     n++, pos = pos->next)
			count_folio(w, list_entry(pos, struct folio, lru));
		if (memacct_is_lru_head(w->lruvec, pos)) {
			/* Another list's head: flags and list disagreed. */
			if (pos != head)
				ret = -EAGAIN;
			break;
		}
		next = list_entry(pos, struct folio, lru);
		if (!folio_try_get(next)) {
			/* Being freed: count it now, pin the one after. */
			count_folio(w, next);
			pos = pos->next;
			continue;
		}
		rcu_read_unlock();
		spin_unlock_irq(lock);
		/* Never under the lock: the last put takes it. */
		if (pinned)
			folio_put(pinned);
		pinned = next;
		cond_resched();
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
		spin_lock_irq(lock);
		rcu_read_lock();
		if (!still_on(w, pinned, head)) {
			ret = -EAGAIN;
			break;
		}
		pos = &pinned->lru;
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
		}
	}
	return 0;
}

int memacct_lru_charge(struct mem_cgroup *root, struct memacct_dedup *dd,
		       struct memacct_cgstat *cs)
{
	struct lru_walk w = { .root = root, .dd = dd, .cs = cs };
	struct cgroup_subsys_state *css;
	int ret = 0;

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
