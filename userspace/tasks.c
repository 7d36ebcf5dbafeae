// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "groups.h"
#include "tasks.h"

#define MAX_COLS 64

static int split(char *line, char **f)
{
	char *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(line, " ", &save); t && n < MAX_COLS;
	     t = strtok_r(NULL, " ", &save))
		f[n++] = t;
	return n;
}

int tasks_parse(struct task_rows *t, const char *text)
{
	char *copy = strdup(text), *line, *save = NULL, *cols[MAX_COLS];
	int ncols, ret = 0;

	memset(t, 0, sizeof(*t));
	if (!copy)
		return -1;
	line = strtok_r(copy, "\n", &save);
	ncols = line ? split(line, cols) : 0;
	if (ncols < 3 || strcmp(cols[0], "pid")) {
		free(copy);
		return -1;
	}
	while (!ret && (line = strtok_r(NULL, "\n", &save))) {
		char *f[MAX_COLS], text_kv[4096];
		struct task_row *r, *nr;
		int nf = split(line, f), i, n = 0;

		nr = realloc(t->row, (t->n + 1) * sizeof(*nr));
		if (nf != ncols || !nr) {
			if (nr)
				t->row = nr;
			ret = -1;
			break;
		}
		t->row = nr;
		r = &t->row[t->n++];
		memset(r, 0, sizeof(*r));
		r->pid = strtol(f[0], NULL, 10);
		unescape(f[1]);
		unescape(f[2]);
		r->comm = strdup(f[1]);
		r->cgroup = strdup(f[2]);
		for (i = 3; i < nf; i++)
			n += snprintf(text_kv + n, n < (int)sizeof(text_kv) ?
				      sizeof(text_kv) - n : 0, "%s %s\n",
				      cols[i], f[i]);
		if (!r->comm || !r->cgroup || kv_parse(&r->counters, text_kv))
			ret = -1;
	}
	free(copy);
	return ret;
}

void tasks_free(struct task_rows *t)
{
	int i;

	for (i = 0; i < t->n; i++) {
		free(t->row[i].comm);
		free(t->row[i].cgroup);
		kv_free(&t->row[i].counters);
	}
	free(t->row);
	memset(t, 0, sizeof(*t));
}

static const char *row_key;

static int by_row_key(const void *a, const void *b)
{
	const struct task_row *x = a, *y = b;
	long long vx = kv_get(&x->counters, row_key);
	long long vy = kv_get(&y->counters, row_key);

	return vx < vy ? 1 : vx > vy ? -1 : (x->pid > y->pid) - (x->pid < y->pid);
}

void tasks_sort(struct task_rows *t, const char *key)
{
	row_key = key;
	qsort(t->row, t->n, sizeof(*t->row), by_row_key);
}

void json_task_row(FILE *f, const struct task_row *r)
{
	fprintf(f, "{\"pid\": %ld, \"comm\": ", r->pid);
	json_string(f, r->comm);
	fprintf(f, ", \"cgroup\": ");
	json_string(f, r->cgroup);
	fprintf(f, ", \"counters\": ");
	json_numbers(f, &r->counters, NULL);
	fprintf(f, "}");
}
