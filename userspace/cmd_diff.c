// SPDX-License-Identifier: GPL-2.0
/*
 * memacct diff A [B]: what moved between two snapshots, per cgroup and per
 * process, largest first, in plain words. With one file (a recording), its
 * first snapshot against its last; with two, the last of each.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "snapshot.h"

#define DIFF_TOP_PROCESSES 10

struct moved {
	const char *path;	/* cgroup path, or NULL for a process */
	const struct kv *a, *b;	/* NULL where it was not there */
	const struct snap_process *p;
	struct reading r[DIFF_MAX_READINGS];
	int nr;
	long long size;
};

static const char *status_of(const struct moved *m)
{
	return !m->a ? "new" : !m->b ? "gone" : "changed";
}

static int by_size(const void *x, const void *y)
{
	const struct moved *a = x, *b = y;

	return a->size < b->size ? 1 : a->size > b->size ? -1 : 0;
}

static int add(struct moved *m, int *n, const struct kv *a,
	       const struct kv *b, bool process)
{
	long long mc;
	int i;

	m[*n].a = a;
	m[*n].b = b;
	m[*n].nr = diff_readings(a, b, process, m[*n].r);
	if (!m[*n].nr && a && b)
		return 0;
	/* Cgroups by their bill's move, then anything else by its largest. */
	mc = diff_delta(a, b, "memory_current");
	m[*n].size = mc < 0 ? -mc : mc;
	for (i = 0; !m[*n].size && i < m[*n].nr; i++)
		if (m[*n].r[i].size > m[*n].size)
			m[*n].size = m[*n].r[i].size;
	(*n)++;
	return 1;
}

/* Cgroups or processes of @x, @y that moved, in @m (room for both). */
static int cgroups_moved(const struct snap *x, const struct snap *y,
			 struct moved *m)
{
	int i, n = 0;

	for (i = 0; i < x->ncg; i++) {
		const struct snap_cgroup *c = snap_find_cgroup(y, x->cg[i].path);

		m[n].path = x->cg[i].path;
		add(m, &n, &x->cg[i].counters, c ? &c->counters : NULL, false);
	}
	for (i = 0; i < y->ncg; i++) {
		if (snap_find_cgroup(x, y->cg[i].path))
			continue;
		m[n].path = y->cg[i].path;
		add(m, &n, NULL, &y->cg[i].counters, false);
	}
	qsort(m, n, sizeof(*m), by_size);
	return n;
}

static int processes_moved(const struct snap *x, const struct snap *y,
			   struct moved *m)
{
	int i, n = 0;

	for (i = 0; i < x->nproc; i++) {
		const struct snap_process *p = snap_find_process(y, x->proc[i].pid);

		/* A pid reused by another program is another process. */
		if (p && strcmp(p->comm, x->proc[i].comm))
			p = NULL;
		m[n].p = &x->proc[i];
		m[n].path = NULL;
		add(m, &n, &x->proc[i].counters, p ? &p->counters : NULL, true);
	}
	for (i = 0; i < y->nproc; i++) {
		const struct snap_process *p = snap_find_process(x, y->proc[i].pid);

		if (p && !strcmp(p->comm, y->proc[i].comm))
			continue;
		m[n].p = &y->proc[i];
		m[n].path = NULL;
		add(m, &n, NULL, &y->proc[i].counters, true);
	}
	qsort(m, n, sizeof(*m), by_size);
	return n;
}

static void json_side(FILE *f, const struct snap *s, const char *file)
{
	fprintf(f, "{\"file\": ");
	json_string(f, file);
	fprintf(f, ", \"time_ns\": %lld, \"kernel\": ", s->time_ns);
	json_string(f, s->kernel);
	fprintf(f, ", \"scope\": ");
	json_string(f, s->scope);
	fprintf(f, "}");
}

static void json_moved(FILE *f, const struct moved *m)
{
	int i;

	if (m->path) {
		fprintf(f, "{\"path\": ");
		json_string(f, m->path);
	} else {
		fprintf(f, "{\"pid\": %ld, \"comm\": ", m->p->pid);
		json_string(f, m->p->comm);
		fprintf(f, ", \"cgroup\": ");
		json_string(f, m->p->cgroup);
	}
	fprintf(f, ", \"status\": \"%s\", \"readings\": [", status_of(m));
	for (i = 0; i < m->nr; i++) {
		fprintf(f, "%s", i ? ", " : "");
		reading_json(f, &m->r[i]);
	}
	fprintf(f, "]}");
}

static void print_json(const struct snap *x, const struct snap *y,
		       const char *fa, const char *fb, const struct moved *cg,
		       int ncg, const struct moved *pr, int npr)
{
	int i;

	printf("{\"from\": ");
	json_side(stdout, x, fa);
	printf(", \"to\": ");
	json_side(stdout, y, fb);
	printf(", \"seconds\": %.3f, \"cgroups\": [",
	       ((double)y->time_ns - (double)x->time_ns) / 1e9);
	for (i = 0; i < ncg; i++) {
		printf("%s", i ? ", " : "");
		json_moved(stdout, &cg[i]);
	}
	printf("], \"processes\": [");
	for (i = 0; i < npr; i++) {
		printf("%s", i ? ", " : "");
		json_moved(stdout, &pr[i]);
	}
	printf("]}\n");
}

static void print_human(const struct opts *o, const struct snap *x,
			const struct snap *y, const struct moved *cg, int ncg,
			const struct moved *pr, int npr)
{
	char b1[64], b2[64], b3[64];
	int i, j;

	printf("%.1f s between the snapshots (kernel ",
	       ((double)y->time_ns - (double)x->time_ns) / 1e9);
	print_safe(stdout, y->kernel);
	printf(", ");
	print_safe(stdout, y->node);
	printf(")\n");
	if (!ncg && !npr)
		printf("nothing moved\n");
	for (i = 0; i < ncg; i++) {
		const struct moved *m = &cg[i];

		printf("\n");
		print_safe(stdout, m->path);
		if (!m->a || !m->b)
			printf(" (%s)", !m->a ? "new" : "gone");
		printf(": memory.current %s -> %s (%s)\n",
		       human(b1, sizeof(b1), m->a ? kv_get(m->a, "memory_current") : 0, o->bytes),
		       human(b2, sizeof(b2), m->b ? kv_get(m->b, "memory_current") : 0, o->bytes),
		       signed_human(b3, sizeof(b3), diff_delta(m->a, m->b, "memory_current"), o->bytes));
		for (j = 0; j < m->nr; j++) {
			if (!strcmp(m->r[j].key[0], "memory_current"))
				continue;
			printf("  ");
			reading_print(stdout, o, &m->r[j]);
			putchar('\n');
		}
	}
	if (npr)
		printf("\nprocesses, largest move first\n");
	for (i = 0; i < npr && i < DIFF_TOP_PROCESSES; i++) {
		const struct moved *m = &pr[i];

		printf("  %ld ", m->p->pid);
		print_safe(stdout, m->p->comm);
		printf(" (");
		print_safe(stdout, m->p->cgroup);
		printf(")%s%s\n", m->a && m->b ? "" : ": ", m->a && m->b ? "" :
		       !m->a ? "started" : "exited");
		for (j = 0; m->a && m->b && j < m->nr; j++) {
			printf("    ");
			reading_print(stdout, o, &m->r[j]);
			putchar('\n');
		}
	}
	if (npr > DIFF_TOP_PROCESSES)
		printf("  and %d more (--json lists them all)\n",
		       npr - DIFF_TOP_PROCESSES);
}

int cmd_diff(const struct opts *o, const char *fa, const char *fb)
{
	struct snap *sa = NULL, *sb = NULL;
	struct moved *cg = NULL, *pr = NULL;
	const struct snap *x, *y;
	int na = 0, nb = 0, ncg, npr, ret;

	ret = snapshot_load(fa, &sa, &na);
	if (!ret && fb)
		ret = snapshot_load(fb, &sb, &nb);
	if (ret)
		goto out;
	if (!fb && na < 2) {
		fprintf(stderr, "memacct: %s holds one snapshot: diff needs two files, or a recording (watch -o)\n",
			fa);
		ret = EXIT_USAGE;
		goto out;
	}
	x = fb ? &sa[na - 1] : &sa[0];
	y = fb ? &sb[nb - 1] : &sa[na - 1];
	if (strcmp(x->kernel, y->kernel) || strcmp(x->node, y->node)) {
		fprintf(stderr, "memacct: the snapshots are of different kernels or machines (");
		print_safe(stderr, x->kernel);
		fprintf(stderr, " on ");
		print_safe(stderr, x->node);
		fprintf(stderr, ", ");
		print_safe(stderr, y->kernel);
		fprintf(stderr, " on ");
		print_safe(stderr, y->node);
		fprintf(stderr, "): their counters do not compare\n");
		ret = EXIT_USAGE;
		goto out;
	}
	cg = calloc(x->ncg + y->ncg + 1, sizeof(*cg));
	pr = calloc(x->nproc + y->nproc + 1, sizeof(*pr));
	if (!cg || !pr) {
		ret = report_errno("diff", ENOMEM);
		goto out;
	}
	ncg = cgroups_moved(x, y, cg);
	npr = processes_moved(x, y, pr);
	if (o->fmt == FMT_JSON)
		print_json(x, y, fa, fb ? fb : fa, cg, ncg, pr, npr);
	else
		print_human(o, x, y, cg, ncg, pr, npr);
out:
	free(cg);
	free(pr);
	snapshot_free(sa, na);
	snapshot_free(sb, nb);
	return ret;
}
