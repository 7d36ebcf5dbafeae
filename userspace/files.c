// SPDX-License-Identifier: GPL-2.0
/* Rows of a memacct files file (see files.h). */
#include <stdlib.h>
#include <string.h>

#include "files.h"

/* The columns the reader relies on. */
static const char *const needed[] = {
	"rss", "pss", "private", "shared_external", "swap", "zero",
	"lazyfree", "charged_here", "charged_elsewhere", "payer_charged",
	"processes",
};

int files_col(const struct files *f, const char *name)
{
	int i;

	for (i = 0; i < f->ncols; i++)
		if (!strcmp(f->col[i], name))
			return i;
	return -1;
}

/* Split @line at spaces into at most @max fields: their number, or -1. */
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
	char *c[FILES_COLS_MAX + 4];
	int n = split(line, c, FILES_COLS_MAX + 4), i;
	size_t k;

	if (n < 5 || strcmp(c[0], "dev") || strcmp(c[1], "inode") ||
	    strcmp(c[n - 2], "payer") || strcmp(c[n - 1], "path"))
		return -1;
	for (i = 2; i < n - 2; i++)
		f->col[f->ncols++] = c[i];
	for (k = 0; k < sizeof(needed) / sizeof(needed[0]); k++)
		if (files_col(f, needed[k]) < 0)
			return -1;
	return 0;
}

static int parse_row(struct files *f, char *line)
{
	char *c[FILES_COLS_MAX + 4], *end;
	int n = split(line, c, FILES_COLS_MAX + 4), i;
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

int files_parse(struct files *f, char *text)
{
	char *line = text, *next;

	memset(f, 0, sizeof(*f));
	f->text = text;
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

void files_free(struct files *f)
{
	free(f->o);
	free(f->text);
	memset(f, 0, sizeof(*f));
}

int read_cgroup_files(const char *cgroup, struct files *f)
{
	int ret;
	char *text = read_cgroup_file(cgroup, "files", &ret);

	if (!text)
		return ret;
	if (files_parse(f, text)) {
		files_free(f);
		fprintf(stderr, "memacct: the files file is not in the format this reader knows\n");
		return EXIT_FORMAT;
	}
	return EXIT_OK;
}
