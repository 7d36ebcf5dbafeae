// SPDX-License-Identifier: GPL-2.0
/*
 * Readings of a change: which counters moved and what a move means. Moves
 * that are one event seen from two counters (a zero-page mapping written
 * becomes an anonymous page) are read together first; every other counter
 * that moved is read alone. Derived counters (rss, pss, cow_pending and
 * its zero-page part) are left out: they repeat what the others say.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "groups.h"

struct category {
	const char *key, *name;
	const char *up, *down;	/* what a rise, a fall means */
	bool cgroup, process;	/* read for a cgroup's stat, a process's row */
};

static const struct category categories[] = {
	{ "memory_current", "memory.current",
	  "the cgroup's bill grew", "the cgroup's bill shrank", true, false },
	{ "rss_anon", "anonymous",
	  "anonymous memory written (heap, stacks, malloc)",
	  "anonymous memory freed or unmapped", true, true },
	{ "rss_file", "file pages mapped",
	  "files or libraries mapped and touched", "file pages unmapped", true, true },
	{ "rss_shmem", "shmem mapped",
	  "shmem, tmpfs or memfd pages mapped", "shmem pages unmapped", true, true },
	{ "zero", "zero-page mappings",
	  "memory read but never written: it costs nothing until written",
	  "zero-page mappings unmapped or written", true, true },
	{ "swap", "swap",
	  "pages swapped out", "swap freed or read back in", true, true },
	/* cow_pending_zero is part of zero: read with it, not again. */
	{ "cow_pending_anon", "copy-on-write pending (anonymous)",
	  "pages shared since fork() that a write would copy",
	  "pages shared since fork() written (copied) or unmapped", true, true },
	{ "cow_pending_file", "copy-on-write pending (file)",
	  "file pages in writable private mappings that a write would copy",
	  "file pages in writable private mappings written (copied) or unmapped",
	  true, true },
	{ "lazyfree", "lazily freed",
	  "memory returned with MADV_FREE: still resident and in RSS until reclaim takes it",
	  "lazily freed memory reclaimed, or written again", true, true },
	{ "locked", "mlocked", "pages locked in memory", "pages unlocked", true, true },
	{ "shared_external", "shared with other cgroups",
	  "pages also mapped by processes elsewhere",
	  "pages no longer mapped by processes elsewhere", true, false },
	{ "mapped_charged_elsewhere", "mapped here, charged elsewhere",
	  "files or libraries another cgroup read first",
	  "pages charged elsewhere no longer mapped here", true, false },
	{ "charged_anon", "anonymous charged",
	  "anonymous memory charged to the cgroup",
	  "anonymous memory uncharged (freed, or swapped)", true, false },
	{ "charged_file_mapped", "page cache mapped",
	  "page cache its processes map", "mapped page cache dropped or unmapped",
	  true, false },
	{ "charged_file_unmapped", "page cache no process maps",
	  "files written or read", "page cache reclaimed, files deleted or now mapped",
	  true, false },
	{ "charged_shmem", "shmem charged", "shmem or tmpfs written",
	  "shmem or tmpfs freed", true, false },
	{ "charged_swapcache", "swap cache", "pages in the swap cache",
	  "pages left the swap cache", true, false },
	{ "charged_kernel_pages", "kernel pages",
	  "page tables, kernel stacks, vmalloc", "kernel pages freed", true, false },
	{ "charged_mapped_outside_only", "charged here, mapped only elsewhere",
	  "the cgroup pays for pages only others use",
	  "pages only others used are no longer charged here", true, false },
	{ "unexplained", "unexplained",
	  "slab, percpu, sockets or per-CPU charge batches (explain says which)",
	  "slab, percpu, sockets or per-CPU charge batches (explain says which)",
	  true, false },
	{ "uss", "private", "pages the process alone maps",
	  "pages the process alone mapped", false, true },
	{ "charged_other", "charged to other cgroups",
	  "pages charged to other cgroups mapped", "pages charged to other cgroups unmapped",
	  false, true },
	{ "pagetables", "page tables", "page tables grew", "page tables shrank",
	  false, true },
};

static const struct pair {
	const char *down, *up, *why;
	bool cgroup, process;
} pairs[] = {
	{ "zero", "rss_anon",
	  "memory read before was written now (first write after a read)", true, true },
	{ "zero", "uss",
	  "memory read before was written now (first write after a read)", false, true },
	{ "cow_pending_anon", "rss_anon",
	  "pages shared since fork() copied by writes", true, false },
	{ "cow_pending_anon", "uss",
	  "pages shared since fork() copied by writes", false, true },
	{ "rss_anon", "swap", "anonymous pages swapped out", true, true },
	{ "swap", "rss_anon", "swapped-out pages read back in", true, true },
	{ "charged_file_mapped", "charged_file_unmapped",
	  "mapped files unmapped (or their processes exited): the page cache keeps them, and the cgroup still pays",
	  true, false },
	{ "charged_file_unmapped", "charged_file_mapped",
	  "page cache already charged is mapped now", true, false },
	{ "charged_anon", "charged_swapcache",
	  "anonymous pages on their way to swap", true, false },
};

static const struct category *category_of(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (!strcmp(categories[i].key, key))
			return &categories[i];
	return NULL;
}

long long diff_delta(const struct kv *a, const struct kv *b, const char *key)
{
	long long x = a ? kv_get(a, key) : 0, y = b ? kv_get(b, key) : 0;

	/* Counters are bytes: only a made-up snapshot overflows; saturate. */
	if (x < 0 && y > LLONG_MAX + x)
		return LLONG_MAX;
	if (x > 0 && y < LLONG_MIN + 1 + x)
		return LLONG_MIN + 1;
	return y - x;
}

static long long mag(long long v)
{
	return v < 0 ? (v == LLONG_MIN ? LLONG_MAX : -v) : v;
}

static int by_size(const void *x, const void *y)
{
	const struct reading *a = x, *b = y;

	return a->size < b->size ? 1 : a->size > b->size ? -1 : 0;
}

int diff_readings(const struct kv *a, const struct kv *b, bool process,
		  struct reading *out)
{
	bool used[sizeof(categories) / sizeof(categories[0])] = { false };
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const struct pair *p = &pairs[i];
		const struct category *d = category_of(p->down), *u = category_of(p->up);
		long long dd = diff_delta(a, b, p->down), du = diff_delta(a, b, p->up);
		struct reading *r = &out[n];

		/* One event moves both by about as much: no pair otherwise. */
		if ((process ? !p->process : !p->cgroup) || dd >= 0 || du <= 0 ||
		    used[d - categories] || used[u - categories] ||
		    mag(dd) / 2 > du || du / 2 > mag(dd))
			continue;
		used[d - categories] = used[u - categories] = true;
		r->nk = 2;
		r->key[0] = d->key;
		r->name[0] = d->name;
		r->delta[0] = dd;
		r->key[1] = u->key;
		r->name[1] = u->name;
		r->delta[1] = du;
		r->size = mag(dd) > du ? mag(dd) : du;
		r->why = p->why;
		n++;
	}
	for (i = 0; i < sizeof(categories) / sizeof(categories[0]); i++) {
		const struct category *c = &categories[i];
		long long dv = diff_delta(a, b, c->key);
		struct reading *r = &out[n];

		if (used[i] || !dv || (process ? !c->process : !c->cgroup) ||
		    n == DIFF_MAX_READINGS)
			continue;
		r->nk = 1;
		r->key[0] = c->key;
		r->name[0] = c->name;
		r->delta[0] = dv;
		r->size = mag(dv);
		r->why = dv > 0 ? c->up : c->down;
		n++;
	}
	qsort(out, n, sizeof(*out), by_size);
	return n;
}

const char *signed_human(char *buf, size_t len, long long v, bool exact)
{
	char h[48];

	human(h, sizeof(h), mag(v), exact);
	snprintf(buf, len, "%s%s", v < 0 ? "-" : "+", h);
	return buf;
}

void reading_print(FILE *f, const struct opts *o, const struct reading *r)
{
	char buf[64];
	int k;

	for (k = 0; k < r->nk; k++)
		fprintf(f, "%s%s %s", k ? ", " : "", r->name[k],
			signed_human(buf, sizeof(buf), r->delta[k], o->bytes));
	fprintf(f, ": %s", r->why);
}

void reading_json(FILE *f, const struct reading *r)
{
	int k;

	fprintf(f, "{\"bytes\": %lld, \"counters\": {", r->size);
	for (k = 0; k < r->nk; k++) {
		fprintf(f, "%s", k ? ", " : "");
		json_string(f, r->key[k]);
		fprintf(f, ": %lld", r->delta[k]);
	}
	fprintf(f, "}, \"text\": ");
	json_string(f, r->why);
	fprintf(f, "}");
}
