// SPDX-License-Identifier: GPL-2.0
/* memacct: the memory cgroup tree, each cgroup's memory.current broken down. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups.h"
#include "prom.h"

static const struct {
	const char *head;
	const char *key;
} columns[] = {
	{ "CURRENT", "memory_current" },
	{ "ANON", "charged_anon" },
	{ "FILE-MAP", "charged_file_mapped" },
	{ "CACHE", "charged_file_unmapped" },
	{ "SHMEM", "charged_shmem" },
	{ "KERNEL", "charged_kernel_pages" },
	{ "UNEXPL", "unexplained" },
	{ "COW-PEND", "cow_pending" },
	{ "PAID-OUT", "charged_mapped_outside_only" },
	{ "PAID-IN", "mapped_charged_elsewhere" },
};

#define NCOLS (int)(sizeof(columns) / sizeof(columns[0]))

static void human_tree(const struct opts *o, const struct cgs *cgs,
		       const int *order)
{
	char name[4096], buf[64];
	int i, c;

	printf("%-32s", "CGROUP");
	for (c = 0; c < NCOLS; c++)
		printf(" %10s", columns[c].head);
	printf("\n");
	for (i = 0; order[i] >= 0; i++) {
		const struct cg *g = &cgs->cg[order[i]];
		const char *base = strrchr(g->path, '/');

		snprintf(name, sizeof(name), "%*s%s", 2 * g->depth, "",
			 g->parent < 0 ? "/" : base + 1);
		printf("%-32s", name);
		for (c = 0; c < NCOLS; c++)
			printf(" %10s", human(buf, sizeof(buf),
					      cg_val(g, columns[c].key), o->bytes));
		printf("\n");
	}
	printf("\nCURRENT = memory.current. ANON, FILE-MAP, CACHE (page cache no process maps), SHMEM,\n"
	       "KERNEL (page tables, stacks) are the pages charged to the cgroup; UNEXPL is the rest\n"
	       "(slab, percpu, sockets, per-CPU charge batching: see memacct explain). COW-PEND: what\n"
	       "writes to zero-page, forked or private file memory would allocate. PAID-OUT: charged\n"
	       "here, mapped only by others; PAID-IN: mapped here, charged to other cgroups.\n");
}

int cmd_tree(const struct opts *o)
{
	struct cgs cgs;
	int *order, i, ret;

	ret = cgs_load(&cgs, true);
	if (ret) {
		cgs_free(&cgs);
		return ret;
	}
	order = cgs_tree_order(&cgs, "memory_current");
	if (!order) {
		cgs_free(&cgs);
		return report_errno("tree", ENOMEM);
	}
	if (o->fmt == FMT_JSON) {
		printf("{\"format\": %d, \"cgroups\": [", MEMACCT_FORMAT);
		for (i = 0; order[i] >= 0; i++) {
			printf("%s\n  ", i ? "," : "");
			json_cgroup(stdout, &cgs.cg[order[i]], &cgs);
		}
		printf("\n]}\n");
	} else if (o->fmt == FMT_PROM) {
		const struct cg **in_order = calloc(cgs.n + 1, sizeof(*in_order));

		if (!in_order) {
			free(order);
			cgs_free(&cgs);
			return report_errno("tree", ENOMEM);
		}
		for (i = 0; order[i] >= 0; i++)
			in_order[i] = &cgs.cg[order[i]];
		prom_write(stdout, in_order, i);
		free(in_order);
	} else {
		human_tree(o, &cgs, order);
	}
	free(order);
	cgs_free(&cgs);
	return EXIT_OK;
}
