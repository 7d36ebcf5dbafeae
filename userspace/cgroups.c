// SPDX-License-Identifier: GPL-2.0
/* The memory cgroup hierarchy, from memacct's summary and stat files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups.h"
#include "groups.h"

/* One summary line: the escaped path, then numbers named by the header. */
static int parse_line(struct cg *c, char *line, char **cols, int ncols)
{
	char *save = NULL, *tok = strtok_r(line, " ", &save);
	char text[1024];
	int i, n = 0;

	if (!tok)
		return -1;
	unescape(tok);
	c->path = strdup(tok);
	text[0] = '\0';
	for (i = 1; i < ncols && (tok = strtok_r(NULL, " ", &save)); i++)
		n += snprintf(text + n, n < (int)sizeof(text) ? sizeof(text) - n : 0,
			      "%s %s\n", cols[i], tok);
	return c->path && i == ncols ? kv_parse(&c->sum, text) : -1;
}

static int find_parent(const struct cgs *cgs, int i)
{
	const char *p = cgs->cg[i].path, *slash = strrchr(p, '/');
	size_t len = slash ? (size_t)(slash - p) : 0;
	int j;

	if (!strcmp(p, "/"))
		return -1;
	for (j = i - 1; j >= 0; j--) {
		const char *q = cgs->cg[j].path;

		if ((!len && !strcmp(q, "/")) ||
		    (len && strlen(q) == len && !strncmp(q, p, len)))
			return j;
	}
	return -1;
}

int cgs_load(struct cgs *cgs, bool stats)
{
	char path[4096], *text, *line, *save = NULL, *cols[64];
	int ncols = 0, i, ret = EXIT_OK;

	memset(cgs, 0, sizeof(*cgs));
	snprintf(path, sizeof(path), "%s/summary", memacct_dir);
	text = read_text(path);
	if (!text)
		return report_errno(path, errno);
	line = strtok_r(text, "\n", &save);
	for (char *s2 = NULL, *t = line ? strtok_r(line, " ", &s2) : NULL;
	     t && ncols < 64; t = strtok_r(NULL, " ", &s2))
		cols[ncols++] = t;
	while ((line = strtok_r(NULL, "\n", &save))) {
		struct cg *c;
		struct cg *ncg = realloc(cgs->cg, (cgs->n + 1) * sizeof(*ncg));

		if (!ncg) {
			ret = report_errno("summary", ENOMEM);
			break;
		}
		cgs->cg = ncg;
		c = &cgs->cg[cgs->n];
		memset(c, 0, sizeof(*c));
		if (parse_line(c, line, cols, ncols)) {
			fprintf(stderr, "memacct: malformed summary line\n");
			free(c->path);
			ret = EXIT_FORMAT;
			break;
		}
		c->parent = find_parent(cgs, cgs->n);
		c->depth = c->parent < 0 ? 0 : cgs->cg[c->parent].depth + 1;
		cgs->n++;
	}
	free(text);
	for (i = 0; stats && !ret && i < cgs->n; i++) {
		/* "-": a path too long to mirror; it has no stat to read. */
		if (!strcmp(cgs->cg[i].path, "-") ||
		    (!mirror_path(path, sizeof(path), cgs->cg[i].path, "stat") &&
		     access(path, F_OK) && errno == ENOENT))
			continue;
		ret = read_cgroup_stat_raw(cgs->cg[i].path, &cgs->cg[i].stat);
		/* Removed since the summary was read: leave it out quietly. */
		if (ret == EXIT_NOTFOUND)
			ret = EXIT_OK;
		else if (!ret)
			ret = stat_complete(&cgs->cg[i].stat, &cgs->cg[i].sum);
	}
	return ret;
}

/*
 * A stat's LRU view (the module's default) reaches no kernel page: page
 * tables, kernel stacks and vmalloc are on no list (docs/counters.md).
 * The summary counts them exactly, in one pass over memory for every
 * cgroup: take @stat's from @sum, its summary line, and out of
 * unexplained, so that the reader accounts for every charged page as
 * the scan view does; the view then says "lru+summary". A scan view, or
 * one completed already, is left as it is.
 */
static bool view_is(const struct kv *stat, const char *view)
{
	const char *v = kv_str(stat, "charged_view");

	return v && !strcmp(v, view);
}

int stat_complete(struct kv *stat, const struct kv *sum)
{
	long long kernel, was = kv_get(stat, "charged_kernel_pages");

	if (!view_is(stat, "lru") ||
	    !kv_num(sum, "charged_kernel_pages", &kernel))
		return EXIT_OK;
	if (kv_set(stat, "charged_view", "lru+summary") ||
	    kv_set_num(stat, "charged_kernel_pages", kernel) ||
	    kv_set_num(stat, "unexplained",
		       kv_get(stat, "unexplained") + was - kernel))
		return report_errno("stat", ENOMEM);
	return EXIT_OK;
}

int read_cgroup_stat(const char *cgroup, struct kv *kv)
{
	char path[4096];
	struct cgs cgs;
	int ret, i;

	ret = read_cgroup_stat_raw(cgroup, kv);
	if (ret || !view_is(kv, "lru"))
		return ret;
	cgroup_normalise(path, sizeof(path), cgroup);
	if (cgs_load(&cgs, false) == EXIT_OK) {
		for (i = 0; i < cgs.n; i++) {
			if (!strcmp(cgs.cg[i].path, path)) {
				ret = stat_complete(kv, &cgs.cg[i].sum);
				break;
			}
		}
	}
	cgs_free(&cgs);
	/* Made or removed in between, or another cgroup namespace's path. */
	if (!ret && view_is(kv, "lru"))
		fprintf(stderr, "memacct: %s has no summary line: its kernel pages are in unexplained\n",
			path);
	return ret;
}

void cgs_free(struct cgs *cgs)
{
	int i;

	for (i = 0; i < cgs->n; i++) {
		free(cgs->cg[i].path);
		kv_free(&cgs->cg[i].stat);
		kv_free(&cgs->cg[i].sum);
	}
	free(cgs->cg);
	memset(cgs, 0, sizeof(*cgs));
}

long long cg_val(const struct cg *c, const char *key)
{
	long long v;

	if (kv_num(&c->stat, key, &v))
		return v;
	return kv_get(&c->sum, key);
}

static const struct cgs *sort_cgs;
static const char *sort_key;

static int by_key(const void *a, const void *b)
{
	long long x = cg_val(&sort_cgs->cg[*(const int *)a], sort_key);
	long long y = cg_val(&sort_cgs->cg[*(const int *)b], sort_key);

	return x < y ? 1 : x > y ? -1 : *(const int *)a - *(const int *)b;
}

static void order_from(const struct cgs *cgs, int parent, int *out, int *n)
{
	int *kids = malloc(cgs->n * sizeof(*kids)), nk = 0, i;

	if (!kids)
		return;
	for (i = 0; i < cgs->n; i++)
		if (cgs->cg[i].parent == parent)
			kids[nk++] = i;
	qsort(kids, nk, sizeof(*kids), by_key);
	for (i = 0; i < nk; i++) {
		out[(*n)++] = kids[i];
		order_from(cgs, kids[i], out, n);
	}
	free(kids);
}

int *cgs_tree_order(const struct cgs *cgs, const char *key)
{
	int *out = malloc((cgs->n + 1) * sizeof(*out)), n = 0;

	if (!out)
		return NULL;
	sort_cgs = cgs;
	sort_key = key;
	order_from(cgs, -1, out, &n);
	out[n] = -1;
	return out;
}

void json_cgroup(FILE *f, const struct cg *c, const struct cgs *cgs)
{
	fprintf(f, "{\"path\": ");
	json_string(f, c->path);
	fprintf(f, ", \"parent\": ");
	if (c->parent < 0)
		fprintf(f, "null");
	else
		json_string(f, cgs->cg[c->parent].path);
	fprintf(f, ", \"counters\": ");
	json_numbers(f, c->stat.n ? &c->stat : &c->sum, NULL);
	fprintf(f, "}");
}
