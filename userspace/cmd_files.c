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

#include "memacct.h"

#define COLS_MAX 48

struct object {
	char *dev, *payer, *path;	/* payer "" when nobody elsewhere */
	unsigned long long inode;
	long long v[COLS_MAX];		/* the counters, in header order */
};

struct files {
	int ncols;
	char *col[COLS_MAX];
	int n, cap;
	struct object *o;
};

static const struct {
	const char *col, *title;
} shown[] = {
	{ "rss", "RSS" }, { "pss", "PSS" }, { "private", "PRIVATE" },
	{ "shared_external", "SHARED_OUT" }, { "swap", "SWAP" },
	{ "zero", "ZERO" }, { "lazyfree", "LAZYFREE" },
	{ "charged_here", "CHG_HERE" }, { "charged_elsewhere", "CHG_ELSE" },
};
#define NR_SHOWN (sizeof(shown) / sizeof(shown[0]))

static int col_index(const struct files *f, const char *name)
{
	int i;

	for (i = 0; i < f->ncols; i++)
		if (!strcmp(f->col[i], name))
			return i;
	return -1;
}

/* Split @line at spaces into at most @max fields: their number. */
static int split(char *line, char **f, int max)
{
	char *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == max)
			return -1;
		f[n++] = t;
	}
	return n;
}

/* "dev inode COUNTERS... payer path" */
static int parse_header(struct files *f, char *line)
{
	char *c[COLS_MAX + 4];
	int n = split(line, c, COLS_MAX + 4), i;
	size_t k;

	if (n < 5 || strcmp(c[0], "dev") || strcmp(c[1], "inode") ||
	    strcmp(c[n - 2], "payer") || strcmp(c[n - 1], "path"))
		return -1;
	for (i = 2; i < n - 2; i++)
		f->col[f->ncols++] = c[i];
	for (k = 0; k < NR_SHOWN; k++)
		if (col_index(f, shown[k].col) < 0)
			return -1;
	return col_index(f, "processes") < 0 ||
	       col_index(f, "payer_charged") < 0 ? -1 : 0;
}

static int parse_row(struct files *f, char *line)
{
	char *c[COLS_MAX + 4], *end;
	int n = split(line, c, COLS_MAX + 4), i;
	struct object *o;

	if (n != f->ncols + 4)
		return -1;
	if (f->n == f->cap) {
		int cap = f->cap ? 2 * f->cap : 64;
		struct object *no = realloc(f->o, cap * sizeof(*no));

		if (!no)
			return -1;
		f->o = no;
		f->cap = cap;
	}
	o = &f->o[f->n];
	o->dev = c[0];
	o->inode = strtoull(c[1], &end, 10);
	for (i = 0; i < f->ncols; i++) {
		o->v[i] = strtoll(c[2 + i], &end, 10);
		if (*end)
			return -1;
	}
	o->payer = c[n - 2];
	if (!strcmp(o->payer, "-"))
		*o->payer = '\0';
	unescape(o->payer);
	o->path = c[n - 1];
	unescape(o->path);
	f->n++;
	return 0;
}

/* The rows of a files file's text, which they point into. */
static int parse_files(struct files *f, char *text)
{
	char *line = text, *next;

	next = strchr(line, '\n');
	if (!next)
		return -1;
	*next++ = '\0';
	if (parse_header(f, line))
		return -1;
	for (line = next; *line; line = next) {
		next = strchr(line, '\n');
		if (!next)
			return -1;
		*next++ = '\0';
		if (parse_row(f, line))
			return -1;
	}
	return 0;
}

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
				      v[col_index(f, shown[i].col)], op->bytes));
}

static void print_human(const struct opts *op, const struct files *f,
			const long long *total, const char *cgroup)
{
	int procs = col_index(f, "processes"), paid = col_index(f, "payer_charged");
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
	long long total[COLS_MAX] = { 0 };
	struct files f = { 0 };
	char cgroup[4096], *text;
	int ret, i, j;

	cgroup_normalise(cgroup, sizeof(cgroup), arg);
	text = read_cgroup_file(cgroup, "files", &ret);
	if (!text)
		return ret;
	if (parse_files(&f, text)) {
		fprintf(stderr, "memacct: the files file is not in the format this reader knows\n");
		free(f.o);
		free(text);
		return EXIT_FORMAT;
	}
	for (i = 0; i < f.n; i++)
		for (j = 0; j < f.ncols; j++)
			total[j] += f.o[i].v[j];
	if (op->fmt == FMT_JSON)
		print_json(&f, total, cgroup);
	else
		print_human(op, &f, total, cgroup);
	free(f.o);
	free(text);
	return EXIT_OK;
}
