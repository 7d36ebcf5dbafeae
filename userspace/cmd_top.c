// SPDX-License-Identifier: GPL-2.0
/*
 * memacct top: cgroups (from the summary: one pass over memory per refresh)
 * or processes (-p, from the tasks file), sorted by a counter, refreshed
 * every -d seconds. Plain ANSI: clears the screen on a terminal, prints one
 * block after another otherwise.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "tasks.h"

#define TOP_ROWS 30

static int top_cgroups(const struct opts *o, const char *key)
{
	static const char *const cols[] = {
		"memory_current", "charged_anon", "charged_file_mapped",
		"charged_file_unmapped", "charged_kernel_pages", "unexplained",
	};
	struct cgs cgs;
	int *idx, i, c, ret;
	char buf[64];

	ret = cgs_load(&cgs, false);
	if (ret) {
		cgs_free(&cgs);
		return ret;
	}
	idx = malloc(cgs.n * sizeof(*idx));
	if (!idx) {
		cgs_free(&cgs);
		return report_errno("top", ENOMEM);
	}
	for (i = 0; i < cgs.n; i++)
		idx[i] = i;
	/* Selection sort: a few hundred cgroups at most on a screen. */
	for (i = 0; i < cgs.n; i++)
		for (c = i + 1; c < cgs.n; c++)
			if (cg_val(&cgs.cg[idx[c]], key) > cg_val(&cgs.cg[idx[i]], key)) {
				int tmp = idx[i];

				idx[i] = idx[c];
				idx[c] = tmp;
			}
	printf("%-40s", "CGROUP");
	for (c = 0; c < 6; c++)
		printf(" %14.14s", cols[c] + (strncmp(cols[c], "charged_", 8) ? 0 : 8));
	printf("\n");
	for (i = 0; i < cgs.n && i < TOP_ROWS; i++) {
		printf("%-40s", cgs.cg[idx[i]].path);
		for (c = 0; c < 6; c++)
			printf(" %14s", human(buf, sizeof(buf),
					      cg_val(&cgs.cg[idx[i]], cols[c]), o->bytes));
		printf("\n");
	}
	free(idx);
	cgs_free(&cgs);
	return EXIT_OK;
}

static int top_processes(const struct opts *o, const char *key)
{
	static const char *const cols[] = {
		"rss", "uss", "pss", "swap", "zero", "cow_pending",
	};
	struct task_rows t;
	char buf[64], *text;
	int i, c, ret;

	text = read_cgroup_tasks("/", &ret);
	if (!text)
		return ret;
	if (tasks_parse(&t, text)) {
		free(text);
		fprintf(stderr, "memacct: malformed tasks file\n");
		return EXIT_FORMAT;
	}
	free(text);
	tasks_sort(&t, key);
	printf("%8s %-16s", "PID", "COMM");
	for (c = 0; c < 6; c++)
		printf(" %12s", cols[c]);
	printf("  CGROUP\n");
	for (i = 0; i < t.n && i < TOP_ROWS; i++) {
		printf("%8ld %-16s", t.row[i].pid, t.row[i].comm);
		for (c = 0; c < 6; c++)
			printf(" %12s", human(buf, sizeof(buf),
					      kv_get(&t.row[i].counters, cols[c]),
					      o->bytes));
		printf("  %s\n", t.row[i].cgroup);
	}
	tasks_free(&t);
	return EXIT_OK;
}

int cmd_top(const struct opts *o)
{
	const char *key = o->sort ? o->sort :
			  o->processes ? "rss" : "memory_current";
	bool tty = isatty(STDOUT_FILENO);
	struct timespec ts;
	int n, ret;

	if (o->fmt != FMT_HUMAN) {
		fprintf(stderr, "memacct: top prints for people only; use the tree or cgroup with --json\n");
		return EXIT_USAGE;
	}
	ts.tv_sec = (time_t)o->delay;
	ts.tv_nsec = (long)((o->delay - (double)ts.tv_sec) * 1e9);
	for (n = 1;; n++) {
		time_t now = time(NULL);
		char when[64];

		strftime(when, sizeof(when), "%H:%M:%S", localtime(&now));
		printf("%smemacct top: %s by %s, %s\n", tty ? "\033[H\033[2J" : "",
		       o->processes ? "processes" : "cgroups", key, when);
		ret = o->processes ? top_processes(o, key) : top_cgroups(o, key);
		fflush(stdout);
		if (ret || (o->iterations && n >= o->iterations))
			return ret;
		if (!tty)
			printf("\n");
		nanosleep(&ts, NULL);
	}
}
