// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "files_check.h"
#include "kpage.h"
#include "ktap.h"

/* What /proc/PID/maps calls the mappings of object row @r. */
static const char *maps_name(const struct vma_row *r)
{
	return strcmp(r->path, "[anon]") ? r->path : "";
}

/* The sum of @key over the rows named as @r is. */
static unsigned long long by_name(const struct vma_set *set,
				  const struct vma_row *r, const char *key,
				  int *rows)
{
	unsigned long long sum = 0;
	int i;

	*rows = 0;
	for (i = 0; i < set->n; i++)
		if (!strcmp(set->v[i].path, r->path)) {
			sum += vma_get(&set->v[i], key);
			(*rows)++;
		}
	return sum;
}

/* The rows named as @r against the oracle's @mv for that name. */
static int compare(const struct vma_set *set, const struct vma_row *r,
		   const struct mapped_view *mv, const char *what)
{
	const struct {
		const char *key;
		unsigned long long want;
	} cmp[] = {
		{ "rss_anon", mv->rss_anon },
		{ "rss_file", mv->rss_file },
		{ "rss_shmem", mv->rss_shmem },
		{ "private", mv->private },
		{ "shared_external", mv->shared_external },
		{ "charged_here", mv->charged_here },
		{ "charged_elsewhere", mv->charged_elsewhere },
		{ "processes", mv->processes },
	};
	int j, rows, bad = 0;

	for (j = 0; j < (int)(sizeof(cmp) / sizeof(cmp[0])); j++) {
		unsigned long long got = by_name(set, r, cmp[j].key, &rows);

		/* Processes add up for one object of the name only. */
		if (rows > 1 && !strcmp(cmp[j].key, "processes"))
			continue;
		if (got != cmp[j].want) {
			ktap_diag("%s: %s: %s %llu, oracle %llu", what, r->path,
				  cmp[j].key, got, cmp[j].want);
			bad++;
		}
	}
	return bad;
}

int files_against_oracle(const struct vma_set *set, const pid_t *pids, int n,
			 const uint64_t *inos, int ninos, const char *what)
{
	int i, j, bad = 0;

	for (i = 0; i < set->n; i++) {
		const struct vma_row *r = &set->v[i];
		struct mapped_view mv;

		/* Once per name. */
		for (j = 0; j < i && strcmp(set->v[j].path, r->path); j++)
			;
		if (j < i)
			continue;
		oracle_mapped_in(pids, n, inos, ninos, maps_name(r), &mv);
		bad += compare(set, r, &mv, what);
	}
	return bad;
}

int files_against_stat(const struct vma_set *set, const struct kv *st,
		       const char *what)
{
	static const char *const same[][2] = {
		{ "rss", "rss" }, { "rss_anon", "rss_anon" },
		{ "rss_file", "rss_file" }, { "rss_shmem", "rss_shmem" },
		{ "private", "private" },
		{ "shared_external", "shared_external" },
		{ "swap", "swap" }, { "zero", "zero" },
		{ "cow_pending", "cow_pending" }, { "lazyfree", "lazyfree" },
		{ "locked", "locked" },
		{ "charged_elsewhere", "mapped_charged_elsewhere" },
	};
	unsigned long long sum, pss = 0, want;
	int i, k, bad = 0;

	for (k = 0; k < (int)(sizeof(same) / sizeof(same[0])); k++) {
		sum = 0;
		for (i = 0; i < set->n; i++)
			sum += vma_get(&set->v[i], same[k][0]);
		want = kv_get(st, same[k][1]);
		if (sum != want) {
			ktap_diag("%s: the objects' %s add up to %llu, stat's %s is %llu",
				  what, same[k][0], sum, same[k][1], want);
			bad++;
		}
	}
	/* Each object's pss is truncated on its own: less than a byte each. */
	for (i = 0; i < set->n; i++)
		pss += vma_get(&set->v[i], "pss");
	want = kv_get(st, "pss");
	if (pss > want || pss + set->n < want) {
		ktap_diag("%s: the objects' pss add up to %llu, stat's is %llu (%d objects)",
			  what, pss, want, set->n);
		bad++;
	}
	return bad;
}
