/* SPDX-License-Identifier: GPL-2.0 */
/* The memory cgroups, as the summary lists them, with their stats. */
#ifndef MEMACCT_CGROUPS_H
#define MEMACCT_CGROUPS_H

#include "memacct.h"

struct cg {
	char *path;		/* unescaped, "/" for the root */
	int parent;		/* index, -1 for the root */
	int depth;
	struct kv stat;		/* <cgroup>/stat, if loaded */
	struct kv sum;		/* its summary line */
};

struct cgs {
	int n;
	struct cg *cg;		/* in summary order: parents first */
};

/* Every memory cgroup from the summary; with @stats, each one's stat
 * too (a page-table walk per cgroup). Returns an EXIT_* status. */
int cgs_load(struct cgs *cgs, bool stats);
void cgs_free(struct cgs *cgs);
/* An LRU-view @stat's kernel pages from its summary line @sum. */
int stat_complete(struct kv *stat, const struct kv *sum);
/* Indexes of the cgroups in tree order, children by @key, largest first. */
int *cgs_tree_order(const struct cgs *cgs, const char *key);
/* The value of @key for @c: from its stat if loaded, else its summary. */
long long cg_val(const struct cg *c, const char *key);

void json_cgroup(FILE *f, const struct cg *c, const struct cgs *cgs);

#endif
