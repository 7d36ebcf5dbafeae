// SPDX-License-Identifier: GPL-2.0
/*
 * memacct maps PID: one process's mappings, as pmap -X lists them but with
 * memacct's exact counters, grouped by what backs them (a file, the heap,
 * the stack, a special mapping, anonymous memory), largest resident first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "maps.h"

/* Counters shown on screen (all of them are in --json). */
static const struct {
	const char *col, *title;
} shown[] = {
	{ "vsz", "SIZE" }, { "rss", "RSS" }, { "pss", "PSS" },
	{ "uss", "USS" }, { "anon", "ANON" }, { "swap", "SWAP" },
	{ "zero", "ZERO" }, { "cow_pending", "COW_PEND" },
	{ "lazyfree", "LAZYFREE" }, { "charged_other", "CHG_ELSE" },
};
#define NR_SHOWN (sizeof(shown) / sizeof(shown[0]))

/* One backing object: its mappings' sums. */
struct group {
	const char *backing;
	int first, n;		/* mappings [first, first + n) once sorted */
	long long sum[COLS_MAX];
};

static int by_backing(const void *a, const void *b)
{
	const struct mapping *x = a, *y = b;
	int c = strcmp(x->backing, y->backing);

	if (c)
		return c;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int rss_col;

static int by_rss(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->sum[rss_col] != y->sum[rss_col])
		return x->sum[rss_col] < y->sum[rss_col] ? 1 : -1;
	return strcmp(x->backing, y->backing);
}

/* Sort @mp's mappings by backing and group them, largest rss first. */
static struct group *make_groups(struct maps *mp, int *ngroups)
{
	struct group *g = calloc(mp->n, sizeof(*g));
	int i, j, n = 0;

	if (!g)
		return NULL;
	qsort(mp->m, mp->n, sizeof(mp->m[0]), by_backing);
	for (i = 0; i < mp->n; i++) {
		if (!n || strcmp(g[n - 1].backing, mp->m[i].backing)) {
			g[n].backing = mp->m[i].backing;
			g[n++].first = i;
		}
		g[n - 1].n++;
		for (j = 0; j < mp->ncols; j++)
			g[n - 1].sum[j] += mp->m[i].v[j];
	}
	rss_col = maps_col(mp, "rss");
	qsort(g, n, sizeof(g[0]), by_rss);
	*ngroups = n;
	return g;
}

static void json_counters(const struct maps *mp, const long long *v)
{
	int i;

	for (i = 0; i < mp->ncols; i++) {
		printf(", ");
		json_string(stdout, mp->col[i]);
		printf(": %lld", v[i]);
	}
}

static void print_json(const struct maps *mp, const struct group *g, int ng,
		       const long long *total, pid_t pid, const char *comm)
{
	int i, j;

	printf("{\"pid\": %d, \"comm\": ", (int)pid);
	json_string(stdout, comm);
	printf(", \"mappings\": [");
	for (i = 0, j = 0; i < ng; i++) {
		int k;

		for (k = g[i].first; k < g[i].first + g[i].n; k++, j++) {
			const struct mapping *m = &mp->m[k];

			printf("%s\n  {\"start\": %llu, \"end\": %llu, \"perms\": ",
			       j ? "," : "", m->start, m->end);
			json_string(stdout, m->perms);
			printf(", \"offset\": %llu, \"dev\": ", m->offset);
			json_string(stdout, m->dev);
			printf(", \"inode\": %llu, \"kernel_page_size\": %llu, \"path\": ",
			       m->inode, m->page_size);
			json_string(stdout, m->path);
			json_counters(mp, m->v);
			printf("}");
		}
	}
	printf("],\n \"backing\": [");
	for (i = 0; i < ng; i++) {
		printf("%s\n  {\"path\": ", i ? "," : "");
		json_string(stdout, g[i].backing);
		printf(", \"mappings\": %d", g[i].n);
		json_counters(mp, g[i].sum);
		printf("}");
	}
	printf("],\n \"total\": {\"mappings\": %d", mp->n);
	json_counters(mp, total);
	printf("}}\n");
}

static void print_values(const struct opts *o, const struct maps *mp,
			 const long long *v)
{
	char buf[32];
	size_t i;

	for (i = 0; i < NR_SHOWN; i++)
		printf(" %10s", human(buf, sizeof(buf),
				      v[maps_col(mp, shown[i].col)], o->bytes));
}

static void print_human(const struct opts *o, const struct maps *mp,
			const struct group *g, int ng, const long long *total,
			pid_t pid, const char *comm)
{
	size_t c;
	int i, k;

	printf("process %d (%s): %d mappings of %d backing objects\n",
	       (int)pid, comm, mp->n, ng);
	for (c = 0; c < NR_SHOWN; c++)
		printf(" %10s", shown[c].title);
	printf("  BACKING\n");
	for (i = 0; i < ng; i++) {
		print_values(o, mp, g[i].sum);
		printf("  %s (%d)\n", g[i].backing, g[i].n);
		for (k = g[i].first; k < g[i].first + g[i].n; k++) {
			const struct mapping *m = &mp->m[k];

			print_values(o, mp, m->v);
			printf("    %012llx-%012llx %s %08llx\n", m->start,
			       m->end, m->perms, m->offset);
		}
	}
	print_values(o, mp, total);
	printf("  total\n");
	printf("PSS and Locked are summed per mapping, each truncated to the byte; the task's are summed first.\n");
}

static void read_comm(pid_t pid, char *comm, size_t len)
{
	char path[64], *text;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	text = read_text(path);
	snprintf(comm, len, "%s", text ? text : "?");
	comm[strcspn(comm, "\n")] = '\0';
	free(text);
}

int cmd_maps(const struct opts *o, const char *arg)
{
	struct maps mp = { 0 };
	long long total[COLS_MAX] = { 0 };
	struct group *g;
	char comm[64], *end;
	long pid = strtol(arg, &end, 10);
	int ret, ng, i, j;

	if (*end || pid <= 0 || pid > 0x7fffffff) {
		fprintf(stderr, "memacct: not a process id: %s\n", arg);
		return EXIT_USAGE;
	}
	ret = read_maps((pid_t)pid, &mp);
	for (i = 0; !ret && i < (int)NR_SHOWN; i++)
		if (maps_col(&mp, shown[i].col) < 0) {
			fprintf(stderr, "memacct: the maps file has no %s column\n",
				shown[i].col);
			ret = EXIT_FORMAT;
		}
	if (ret) {
		maps_free(&mp);
		return ret;
	}
	read_comm((pid_t)pid, comm, sizeof(comm));
	g = make_groups(&mp, &ng);
	if (!g) {
		maps_free(&mp);
		return report_errno("maps", ENOMEM);
	}
	for (i = 0; i < mp.n; i++)
		for (j = 0; j < mp.ncols; j++)
			total[j] += mp.m[i].v[j];
	if (o->fmt == FMT_JSON)
		print_json(&mp, g, ng, total, (pid_t)pid, comm);
	else
		print_human(o, &mp, g, ng, total, (pid_t)pid, comm);
	free(g);
	maps_free(&mp);
	return EXIT_OK;
}
