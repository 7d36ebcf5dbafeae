// SPDX-License-Identifier: GPL-2.0
/*
 * memacct files CGROUP: what the cgroup's processes map, by backing object
 * (a library, a binary, a data file, a shmem or memfd object, or a kind of
 * anonymous memory), each page counted once, largest first: what it costs
 * the cgroup, and which cgroup is charged for it, as librank does for
 * processes but exact, and across cgroups. From the cgroup's files file.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

static const struct {
	const char *col, *title;
} shown[] = {
	{ "rss", "RSS" }, { "pss", "PSS" }, { "private", "PRIVATE" },
	{ "shared_external", "SHARED_OUT" }, { "swap", "SWAP" },
	{ "zero", "ZERO" }, { "lazyfree", "LAZYFREE" },
	{ "charged_here", "CHG_HERE" }, { "charged_elsewhere", "CHG_ELSE" },
};
#define NR_SHOWN (sizeof(shown) / sizeof(shown[0]))

/* Counts of an object, not sums of pages: not in the total. */
static bool not_summed(const char *col)
{
	return !strcmp(col, "processes") || !strcmp(col, "cgroups") ||
	       !strcmp(col, "payer_charged");
}

static void json_counters(const struct files *f, const long long *v,
			  bool total)
{
	int i;

	for (i = 0; i < f->ncols; i++) {
		if (total && not_summed(f->col[i]))
			continue;
		printf(", ");
		json_string(stdout, f->col[i]);
		printf(": %lld", v[i]);
	}
}

static void print_json(const struct files *f, const long long *total,
		       const char *cgroup)
{
	int i;

	printf("{\"cgroup\": ");
	json_string(stdout, cgroup);
	printf(", \"objects\": [");
	for (i = 0; i < f->n; i++) {
		const struct object *o = &f->o[i];

		printf("%s\n  {\"path\": ", i ? "," : "");
		json_string(stdout, o->path);
		printf(", \"dev\": ");
		json_string(stdout, o->dev);
		printf(", \"inode\": %llu, \"payer\": ", o->inode);
		if (*o->payer)
			json_string(stdout, o->payer);
		else
			printf("null");
		json_counters(f, o->v, false);
		printf("}");
	}
	printf("],\n \"total\": {\"objects\": %d", f->n);
	json_counters(f, total, true);
	printf("}}\n");
}

static void print_values(const struct opts *op, const struct files *f,
			 const long long *v)
{
	char buf[32];
	size_t i;

	for (i = 0; i < NR_SHOWN; i++)
		printf(" %10s", human(buf, sizeof(buf),
				      v[files_col(f, shown[i].col)], op->bytes));
}

static void print_human(const struct opts *op, const struct files *f,
			const long long *total, const char *cgroup)
{
	int procs = files_col(f, "processes"), paid = files_col(f, "payer_charged");
	char buf[32];
	size_t c;
	int i;

	printf("cgroup %s: %d backing objects; each page once\n", cgroup, f->n);
	for (c = 0; c < NR_SHOWN; c++)
		printf(" %10s", shown[c].title);
	printf(" PROCS  BACKING\n");
	for (i = 0; i < f->n; i++) {
		const struct object *o = &f->o[i];

		print_values(op, f, o->v);
		printf(" %5lld  %s", o->v[procs], o->path);
		if (*o->payer)
			printf("  (%s charged to %s)",
			       human(buf, sizeof(buf), o->v[paid], op->bytes),
			       o->payer);
		printf("\n");
	}
	print_values(op, f, total);
	printf("        total\n");
	printf("SHARED_OUT: also mapped outside the cgroup. CHG_ELSE: charged to other cgroups (the one charged most in brackets).\n");
}

int cmd_files(const struct opts *op, const char *arg)
{
	long long total[FILES_COLS_MAX] = { 0 };
	struct files f;
	char cgroup[4096];
	int ret, i, j;

	cgroup_normalise(cgroup, sizeof(cgroup), arg);
	ret = read_cgroup_files(cgroup, &f);
	if (ret)
		return ret;
	for (i = 0; i < f.n; i++)
		for (j = 0; j < f.ncols; j++)
			total[j] += f.o[i].v[j];
	if (op->fmt == FMT_JSON)
		print_json(&f, total, cgroup);
	else
		print_human(op, &f, total, cgroup);
	files_free(&f);
	return EXIT_OK;
}
