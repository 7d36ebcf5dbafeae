// SPDX-License-Identifier: GPL-2.0
/*
 * The tasks file: a header naming the columns, one row per process with
 * the same counters as the task query, names escaped so rows split on
 * whitespace, and reads of any size.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ktap.h"
#include "kv.h"
#include "proc.h"

#define TASKS_FILE "/sys/kernel/debug/memacct/tasks"
#define MAX_FIELDS 64

static int split(char *line, char **f)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(line, " ", &save); t && n < MAX_FIELDS;
	     t = strtok_r(NULL, " ", &save))
		f[n++] = t;
	return n;
}

/* The row of @pid in @text (copied into @row), or false. */
static bool find_row(const char *text, pid_t pid, char *row, size_t len)
{
	char prefix[16];
	const char *p = text;

	snprintf(prefix, sizeof(prefix), "%d ", pid);
	while (p && *p) {
		const char *nl = strchr(p, '\n');

		if (!strncmp(p, prefix, strlen(prefix))) {
			snprintf(row, len, "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
			return true;
		}
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

static char *read_chunks(const char *path, size_t chunk)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0 || !buf)
		ktap_bail("%s: %s", path, strerror(errno));
	while ((r = read(fd, buf + len, chunk)) > 0) {
		len += r;
		if (len + chunk + 1 > cap)
			buf = realloc(buf, cap *= 2);
		if (!buf)
			ktap_bail("oom");
	}
	if (r < 0)
		ktap_bail("read %s: %s", path, strerror(errno));
	close(fd);
	buf[len] = '\0';
	return buf;
}

static void scenario_named(void)
{
	prctl(PR_SET_NAME, "a b\\c");
	scenario_stop();
}

int main(int argc, char **argv)
{
	char *text, *small, *line, *save = NULL, *f[MAX_FIELDS], *g[MAX_FIELDS];
	char row[4096], row2[4096], header[4096];
	int nf, rows = 0, badrows = 0, i, bad = 0;
	struct scenario sc;
	struct kv kv;
	pid_t pid;

	if (argc == 3 && !strcmp(argv[1], "--scenario")) {
		scenario_named();
		return 0;
	}

	ktap_plan(8);
	scenario_start(&sc, "named", 1);
	pid = sc.pid[0];
	lru_drain_all();
	text = read_chunks(TASKS_FILE, 1 << 16);
	small = read_chunks(TASKS_FILE, 100);

	line = strtok_r(text, "\n", &save);
	snprintf(header, sizeof(header), "%s", line ? line : "");
	nf = split(header, f);
	ktap_result(nf > 3 && !strcmp(f[0], "pid") && !strcmp(f[1], "comm") &&
		    !strcmp(f[2], "cgroup"),
		    "header: pid comm cgroup and %d counters", nf - 3);

	/* The header names the task query's keys, in its order. */
	if (memacct_task_read(pid, &kv))
		ktap_bail("task query: %s", strerror(errno));
	for (i = 3; i < nf && i < kv.n; i++)
		bad += strcmp(f[i], kv.e[i].key) != 0;
	ktap_result(!bad && kv.n == nf, "header columns are the task file's keys");

	for (line = strtok_r(NULL, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char copy[4096];

		snprintf(copy, sizeof(copy), "%s", line);
		rows++;
		badrows += split(copy, g) != nf;
	}
	ktap_result(rows > 2 && !badrows, "%d rows, all with %d fields", rows, nf);

	/* Re-read: the first read split the text in place. */
	free(text);
	text = read_chunks(TASKS_FILE, 1 << 16);
	ktap_result(find_row(text, 1, row, sizeof(row)), "init (pid 1) has a row");
	ktap_result(!find_row(text, 2, row, sizeof(row)),
		    "kernel threads (kthreadd) have none");

	if (!find_row(text, pid, row, sizeof(row)))
		ktap_bail("no row for the scenario %d", pid);
	snprintf(row2, sizeof(row2), "%s", row);
	split(row2, g);
	ktap_result(!strcmp(g[1], "a\\040b\\134c"),
		    "comm \"a b\\c\" printed as %s", g[1]);

	/* A stopped process: the same numbers through both files. */
	for (i = 3, bad = 0; i < nf; i++)
		bad += strtoull(g[i], NULL, 10) != kv.e[i].val;
	ktap_result(!bad, "its row equals its task query (%d differences)", bad);

	ktap_result(find_row(small, pid, row2, sizeof(row2)) && !strcmp(row, row2),
		    "reading in 100-byte pieces gives the same row");
	scenario_end(&sc);
	free(text);
	free(small);
	return ktap_finish();
}
