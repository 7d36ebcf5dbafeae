// SPDX-License-Identifier: GPL-2.0
/*
 * The HTML report: one file, inline CSS and SVG, no script, no external
 * resource, so that it opens anywhere and shows the same thing everywhere.
 * Every number it prints sits in an element with data-counter (or
 * data-step) and data-bytes, so that a test can read the DOM back.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff.h"
#include "report.h"

#define W_LABEL 360
#define W_BAR 440
#define ROW_H 24
#define TL_W 760
#define TL_H 260

/* The categories of memory.current, in the order they are stacked. */
static const struct {
	const char *key, *name, *color;
} bill[] = {
	{ "charged_anon", "anonymous", "#4e79a7" },
	{ "charged_file_mapped", "page cache, mapped", "#59a14f" },
	{ "charged_file_unmapped", "page cache no process maps", "#8cd17d" },
	{ "charged_shmem", "shmem, tmpfs", "#b07aa1" },
	{ "charged_swapcache", "swap cache", "#9c755f" },
	{ "charged_kernel_pages", "kernel pages", "#f28e2b" },
	{ "charged_other", "charged, no category", "#bab0ac" },
	{ "unexplained", "unexplained (slab, percpu, sockets, batches)", "#e15759" },
};
#define NR_BILL (sizeof(bill) / sizeof(bill[0]))

static void html(FILE *f, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '<' ? "&lt;" : *s == '>' ? "&gt;" :
				*s == '&' ? "&amp;" : *s == '"' ? "&quot;" : NULL;

		if (e)
			fputs(e, f);
		else
			fputc(*s, f);
	}
}

static long long pos(long long v)
{
	return v > 0 ? v : 0;
}

/* a + b for counters >= 0, saturated (made-up snapshots only). */
static long long sat_add(long long a, long long b)
{
	return a > LLONG_MAX - b ? LLONG_MAX : a + b;
}

/* a - b, saturated (made-up snapshots only). */
static long long sat_sub(long long a, long long b)
{
	if (b < 0 && a > LLONG_MAX + b)
		return LLONG_MAX;
	if (b > 0 && a < LLONG_MIN + 1 + b)
		return LLONG_MIN + 1;
	return a - b;
}

/* @v of @top as pixels of @px, in floating point: no overflow, clamped. */
static long long px_of(long long v, long long top, int px)
{
	double r = top > 0 ? (double)v / (double)top : 0;

	return (long long)((r < 0 ? 0 : r > 1 ? 1 : r) * px);
}

/* Whether a process's cgroup is @path or below it. */
static bool within(const char *cg, const char *path)
{
	size_t n = strlen(path);

	if (!strcmp(path, "/"))
		return true;
	return !strncmp(cg, path, n) && (!cg[n] || cg[n] == '/');
}

struct wstep {
	const char *what, *key;
	long long bytes;	/* the change, or the value of a total */
	bool total;
};

static int waterfall(const struct snap *s, const struct kv *c, const char *path,
		     struct wstep *w)
{
	long long sum_rss = 0, at;
	int i, n = 0;

	for (i = 0; i < s->nproc; i++)
		if (within(s->proc[i].cgroup, path))
			sum_rss = sat_add(sum_rss, pos(kv_get(&s->proc[i].counters, "rss")));
#define STEP(wh, k, b, t) (w[n++] = (struct wstep){ (wh), (k), (b), (t) })
	STEP("the processes' RSS, summed (what ps and top add up)", "sum_rss", sum_rss, true);
	STEP("pages mapped by several of them, counted once", "shared_within",
	     sat_sub(kv_get(c, "rss"), sum_rss), false);
	STEP("pages mapped, each once (rss)", "rss", kv_get(c, "rss"), true);
	STEP("mapped here, charged to other cgroups", "mapped_charged_elsewhere",
	     sat_sub(0, kv_get(c, "mapped_charged_elsewhere")), false);
	STEP("charged here, mapped only by processes elsewhere",
	     "charged_mapped_outside_only", kv_get(c, "charged_mapped_outside_only"), false);
	STEP("page cache no process maps", "charged_file_unmapped",
	     kv_get(c, "charged_file_unmapped"), false);
	STEP("swap cache", "charged_swapcache", kv_get(c, "charged_swapcache"), false);
	STEP("kernel pages: page tables, kernel stacks, vmalloc",
	     "charged_kernel_pages", kv_get(c, "charged_kernel_pages"), false);
	STEP("charged, in no category (being freed)", "charged_other",
	     kv_get(c, "charged_other"), false);
	STEP("unexplained: slab, percpu, sockets, per-CPU charge batches",
	     "unexplained", kv_get(c, "unexplained"), false);
	for (at = 0, i = 0; i < n; i++)
		at = w[i].total ? w[i].bytes : sat_sub(at, -w[i].bytes);
	/* Unmapped anonymous or shmem pages charged here, and reads' skew. */
	STEP("the rest: other pages no process maps, moves between reads",
	     "rest", sat_sub(kv_get(c, "memory_current"), at), false);
	STEP("memory.current", "memory_current", kv_get(c, "memory_current"), true);
#undef STEP
	return n;
}

static void svg_waterfall(FILE *f, const struct opts *o, const struct wstep *w,
			  int n)
{
	long long at = 0, top = 1;
	char buf[64];
	int i;

	for (i = 0; i < n; i++) {
		at = w[i].total ? w[i].bytes : sat_sub(at, -w[i].bytes);
		top = at > top ? at : top;
	}
	fprintf(f, "<svg role=\"img\" aria-label=\"waterfall\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		W_LABEL + W_BAR + 100, n * ROW_H + 8, W_LABEL + W_BAR + 100, n * ROW_H + 8);
	for (at = 0, i = 0; i < n; i++) {
		long long from = w[i].total ? 0 : at;
		long long to = w[i].total ? w[i].bytes : sat_sub(at, -w[i].bytes);
		long long lo = from < to ? from : to, hi = from < to ? to : from;
		const char *color = w[i].total ? "#4e79a7" : w[i].bytes < 0 ? "#59a14f" : "#f28e2b";
		int y = i * ROW_H + 4;

		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", W_LABEL - 8, y + 16);
		html(f, w[i].what);
		fprintf(f, "</text>\n<rect x=\"%lld\" y=\"%d\" width=\"%lld\" height=\"%d\" fill=\"%s\"/>\n",
			W_LABEL + px_of(lo, top, W_BAR), y + 2,
			px_of(hi, top, W_BAR) - px_of(lo, top, W_BAR) + 1, ROW_H - 6, color);
		fprintf(f, "<text x=\"%lld\" y=\"%d\">%s%s</text>\n",
			W_LABEL + px_of(hi, top, W_BAR) + 6, y + 16,
			!w[i].total && w[i].bytes >= 0 ? "+" : "",
			human(buf, sizeof(buf), w[i].bytes, o->bytes));
		at = to;
	}
	fprintf(f, "</svg>\n");
}

static void table_waterfall(FILE *f, const struct opts *o, const struct wstep *w,
			    int n)
{
	char buf[64];
	int i;

	fprintf(f, "<table id=\"waterfall-steps\"><tr><th>step</th><th>bytes</th></tr>\n");
	for (i = 0; i < n; i++) {
		fprintf(f, "<tr%s><td>", w[i].total ? " class=\"total\"" : "");
		html(f, w[i].what);
		fprintf(f, "</td><td class=\"n\" data-step=\"%s\" data-bytes=\"%lld\">%s%s</td></tr>\n",
			w[i].key, w[i].bytes, !w[i].total && w[i].bytes >= 0 ? "+" : "",
			human(buf, sizeof(buf), w[i].bytes, o->bytes));
	}
	fprintf(f, "</table>\n");
}

static void svg_bill(FILE *f, const struct opts *o, const struct kv *c)
{
	long long total = 0, at = 0;
	char buf[64];
	size_t i;

	for (i = 0; i < NR_BILL; i++)
		total = sat_add(total, pos(kv_get(c, bill[i].key)));
	if (!total)
		total = 1;
	fprintf(f, "<svg role=\"img\" aria-label=\"memory.current by category\" width=\"%d\" height=\"%zu\" viewBox=\"0 0 %d %zu\">\n",
		TL_W, 48 + NR_BILL * 20, TL_W, 48 + NR_BILL * 20);
	for (i = 0; i < NR_BILL; i++) {
		long long v = pos(kv_get(c, bill[i].key));

		fprintf(f, "<rect x=\"%lld\" y=\"4\" width=\"%lld\" height=\"32\" fill=\"%s\"/>\n",
			px_of(at, total, TL_W), px_of(v, total, TL_W), bill[i].color);
		at = sat_add(at, v);
		fprintf(f, "<rect x=\"0\" y=\"%zu\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"18\" y=\"%zu\">",
			46 + i * 20, bill[i].color, 57 + i * 20);
		html(f, bill[i].name);
		fprintf(f, ": %s</text>\n", human(buf, sizeof(buf), kv_get(c, bill[i].key), o->bytes));
	}
	fprintf(f, "</svg>\n");
}

static void table_counters(FILE *f, const struct opts *o, const struct kv *c)
{
	char buf[64];
	int i;

	fprintf(f, "<details><summary>every counter of the cgroup's stat</summary>\n"
		"<table id=\"cgroup-counters\"><tr><th>counter</th><th>value</th></tr>\n");
	for (i = 0; i < c->n; i++) {
		long long v;

		if (!kv_num(c, c->e[i].key, &v))
			continue;
		fprintf(f, "<tr><td>");
		html(f, c->e[i].key);
		fprintf(f, "</td><td class=\"n\" data-counter=\"");
		html(f, c->e[i].key);
		if (!strcmp(c->e[i].key, "nr_processes"))
			snprintf(buf, sizeof(buf), "%lld", v);
		else
			human(buf, sizeof(buf), v, o->bytes);
		fprintf(f, "\" data-bytes=\"%lld\">%s</td></tr>\n", v, buf);
	}
	fprintf(f, "</table></details>\n");
}

static const struct snap_process *sort_base;

static int by_rss(const void *a, const void *b)
{
	long long x = kv_get(&sort_base[*(const int *)a].counters, "rss");
	long long y = kv_get(&sort_base[*(const int *)b].counters, "rss");

	return x < y ? 1 : x > y ? -1 : 0;
}

static void table_processes(FILE *f, const struct opts *o, const struct snap *s,
			    const char *path)
{
	static const char *const keys[] = {
		"rss", "uss", "pss", "swap", "zero", "cow_pending", "lazyfree",
		"charged_own", "charged_other",
	};
	int *idx = malloc((s->nproc + 1) * sizeof(*idx)), n = 0, i;
	char buf[64];
	size_t k;

	if (!idx)
		return;
	for (i = 0; i < s->nproc; i++)
		if (within(s->proc[i].cgroup, path))
			idx[n++] = i;
	sort_base = s->proc;
	qsort(idx, n, sizeof(*idx), by_rss);
	fprintf(f, "<table id=\"processes\"><tr><th>pid</th><th>command</th><th>cgroup</th>");
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		fprintf(f, "<th>%s</th>", keys[k]);
	fprintf(f, "</tr>\n");
	for (i = 0; i < n; i++) {
		const struct snap_process *p = &s->proc[idx[i]];

		fprintf(f, "<tr data-pid=\"%ld\"><td class=\"n\">%ld</td><td>", p->pid, p->pid);
		html(f, p->comm);
		fprintf(f, "</td><td>");
		html(f, p->cgroup);
		fprintf(f, "</td>");
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			fprintf(f, "<td class=\"n\" data-counter=\"%s\" data-bytes=\"%lld\">%s</td>",
				keys[k], kv_get(&p->counters, keys[k]),
				human(buf, sizeof(buf), kv_get(&p->counters, keys[k]), o->bytes));
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table>\n");
	free(idx);
}

/* The categories stacked over time, and the zero-page mappings as a line. */
static void svg_timeline(FILE *f, const struct opts *o, const struct snap *s,
			 int n, const char *path)
{
	long long t0 = s[0].time_ns, t1 = s[0].time_ns, top = 1;
	double span;
	const int left = 70, w = TL_W - left - 10, h = TL_H - 40;
	char buf[64];
	size_t c;
	int i;

	/* Snapshots joined out of order are drawn where their time puts them. */
	for (i = 0; i < n; i++) {
		t0 = s[i].time_ns < t0 ? s[i].time_ns : t0;
		t1 = s[i].time_ns > t1 ? s[i].time_ns : t1;
	}
	span = (double)t1 - (double)t0 > 0 ? (double)t1 - (double)t0 : 1;
	for (i = 0; i < n; i++) {
		const struct snap_cgroup *cg = snap_find_cgroup(&s[i], path);
		long long sum = 0;

		for (c = 0; cg && c < NR_BILL; c++)
			sum = sat_add(sum, pos(kv_get(&cg->counters, bill[c].key)));
		if (cg && kv_get(&cg->counters, "zero") > sum)
			sum = kv_get(&cg->counters, "zero");
		top = sum > top ? sum : top;
	}
	fprintf(f, "<svg role=\"img\" aria-label=\"memory.current over time\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		TL_W, TL_H, TL_W, TL_H);
#define X(i) (left + (long long)(((double)s[i].time_ns - (double)t0) / span * w))
#define Y(v) (10 + h - px_of((v), top, h))
	for (c = 0; c < NR_BILL; c++) {
		fprintf(f, "<polygon fill=\"%s\" points=\"", bill[c].color);
		for (i = 0; i < n; i++) {
			const struct snap_cgroup *cg = snap_find_cgroup(&s[i], path);
			long long below = 0;
			size_t d;

			for (d = 0; cg && d <= c; d++)
				below = sat_add(below, pos(kv_get(&cg->counters, bill[d].key)));
			fprintf(f, "%lld,%lld ", X(i), Y(below));
		}
		for (i = n - 1; i >= 0; i--) {
			const struct snap_cgroup *cg = snap_find_cgroup(&s[i], path);
			long long below = 0;
			size_t d;

			for (d = 0; cg && d < c; d++)
				below = sat_add(below, pos(kv_get(&cg->counters, bill[d].key)));
			fprintf(f, "%lld,%lld ", X(i), Y(below));
		}
		fprintf(f, "\"/>\n");
	}
	fprintf(f, "<polyline fill=\"none\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"6 4\" points=\"");
	for (i = 0; i < n; i++) {
		const struct snap_cgroup *cg = snap_find_cgroup(&s[i], path);

		fprintf(f, "%lld,%lld ", X(i), Y(cg ? kv_get(&cg->counters, "zero") : 0));
	}
	fprintf(f, "\"/>\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
		left, 10 + h, left + w, 10 + h);
	fprintf(f, "<text x=\"%d\" y=\"18\" text-anchor=\"end\">%s</text>\n", left - 4,
		human(buf, sizeof(buf), top, o->bytes));
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", left - 4, 14 + h);
	fprintf(f, "<text x=\"%d\" y=\"%d\">0 s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.1f s</text>\n",
		left, TL_H - 8, left + w, TL_H - 8, span / 1e9);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">dashed: zero-page mappings (read, never written; charged to nobody)</text>\n",
		left + w / 2, TL_H - 8);
#undef X
#undef Y
	fprintf(f, "</svg>\n");
}

static void list_readings(FILE *f, const struct opts *o, const struct snap *a,
			  const struct snap *b, const char *path)
{
	const struct snap_cgroup *x = snap_find_cgroup(a, path), *y = snap_find_cgroup(b, path);
	struct reading r[DIFF_MAX_READINGS];
	char *text = NULL;
	size_t len = 0;
	int n, i;

	n = diff_readings(x ? &x->counters : NULL, y ? &y->counters : NULL, false, r);
	fprintf(f, "<ul id=\"readings\">\n");
	for (i = 0; i < n; i++) {
		FILE *m = open_memstream(&text, &len);

		if (!m)
			break;
		reading_print(m, o, &r[i]);
		fclose(m);
		fprintf(f, "<li data-bytes=\"%lld\">", r[i].size);
		html(f, text);
		fprintf(f, "</li>\n");
		free(text);
		text = NULL;
	}
	if (!n)
		fprintf(f, "<li>nothing moved</li>\n");
	fprintf(f, "</ul>\n");
}

void report_write(FILE *f, const struct opts *o, const struct snap *s, int n,
		  const char *path)
{
	const struct snap *last = &s[n - 1];
	const struct snap_cgroup *cg = snap_find_cgroup(last, path);
	struct kv none = { 0 };
	const struct kv *c = cg ? &cg->counters : &none;
	struct wstep w[16];
	int nw = waterfall(last, c, path, w);
	char when[32];
	time_t t = last->time_ns / 1000000000LL;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>memacct: ");
	html(f, path);
	fprintf(f, "</title>\n<style>\n"
		"body{font:14px/1.4 sans-serif;margin:2em;color:#222;max-width:62em}\n"
		"svg text{font:12px sans-serif;fill:#222}\n"
		"table{border-collapse:collapse;margin:1em 0}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left}\n"
		"td.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:bold}\n"
		"</style></head><body>\n<h1>memacct: ");
	html(f, path);
	fprintf(f, "</h1>\n<p id=\"meta\" data-snapshots=\"%d\">kernel ", n);
	html(f, last->kernel);
	fprintf(f, ", node ");
	html(f, last->node);
	fprintf(f, ", %s; %d snapshot%s%s</p>\n", when, n, n == 1 ? "" : "s",
		cg ? "" : " (the cgroup is not in the last one)");
	fprintf(f, "<h2>From the sum of RSS to memory.current</h2>\n");
	svg_waterfall(f, o, w, nw);
	table_waterfall(f, o, w, nw);
	fprintf(f, "<h2>What memory.current is made of</h2>\n");
	svg_bill(f, o, c);
	table_counters(f, o, c);
	if (n > 1) {
		fprintf(f, "<h2>Over time</h2>\n");
		svg_timeline(f, o, s, n, path);
		fprintf(f, "<h3>What moved, first snapshot to last</h3>\n");
		list_readings(f, o, &s[0], last, path);
	}
	fprintf(f, "<h2>Processes (last snapshot), by RSS</h2>\n");
	table_processes(f, o, last, path);
	fprintf(f, "<p>Every counter is defined in memacct's docs/counters.md.</p>\n</body></html>\n");
}
