// SPDX-License-Identifier: GPL-2.0
/*
 * A process's rows of a maps file. They come from the maps file of the
 * process's memory cgroup, which is read-only and so also serves under
 * kernel lockdown; if the process moved meanwhile, from the maps file of
 * every process.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maps.h"

/* The columns a row has before its counters, and the last one. */
static const char *const fixed_cols[] = {
	"pid", "start", "end", "perms", "offset", "dev", "inode",
	"kernel_page_size",
};
#define NR_FIXED (sizeof(fixed_cols) / sizeof(fixed_cols[0]))

int maps_col(const struct maps *mp, const char *name)
{
	int i;

	for (i = 0; i < mp->ncols; i++)
		if (!strcmp(mp->col[i], name))
			return i;
	return -1;
}

static int parse_header(struct maps *mp, char *line)
{
	char *save = NULL, *t;
	size_t i = 0;

	for (t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (i < NR_FIXED) {
			if (strcmp(t, fixed_cols[i++]))
				return -1;
			continue;
		}
		if (mp->ncols == COLS_MAX)
			return -1;
		mp->col[mp->ncols++] = t;
	}
	/* The path is last; every column memacct shows must be there. */
	if (i < NR_FIXED || !mp->ncols || strcmp(mp->col[--mp->ncols], "path"))
		return -1;
	return 0;
}

static const char *backing_of(const struct mapping *m)
{
	if (*m->path)
		return m->path;		/* a file, or [heap], [stack], [vdso] */
	return "[anon]";
}

/* @pid's row @line (any pid's if 0) into a new mapping: 0, 1 if another
 * process's, -1. */
static int parse_row(struct maps *mp, char *line, pid_t pid)
{
	char *f[NR_FIXED + COLS_MAX + 1], *save = NULL, *t, *end;
	int nf = 0, want = (int)NR_FIXED + mp->ncols + 1, i;
	struct mapping *m;
	long row_pid;

	for (t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (nf == want)
			return -1;
		f[nf++] = t;
	}
	if (nf != want)
		return -1;
	row_pid = strtol(f[0], &end, 10);
	if (*end)
		return -1;
	if (pid && row_pid != pid)
		return 1;
	if (mp->n == mp->cap) {
		int cap = mp->cap ? 2 * mp->cap : 64;
		struct mapping *nm = realloc(mp->m, cap * sizeof(*nm));

		if (!nm)
			return -1;
		mp->m = nm;
		mp->cap = cap;
	}
	m = &mp->m[mp->n];
	memset(m, 0, sizeof(*m));
	m->pid = row_pid;
	m->start = strtoull(f[1], NULL, 10);
	m->end = strtoull(f[2], NULL, 10);
	snprintf(m->perms, sizeof(m->perms), "%s", f[3]);
	m->offset = strtoull(f[4], NULL, 10);
	snprintf(m->dev, sizeof(m->dev), "%s", f[5]);
	m->inode = strtoull(f[6], NULL, 10);
	m->page_size = strtoull(f[7], NULL, 10);
	for (i = 0; i < mp->ncols; i++) {
		m->v[i] = strtoll(f[NR_FIXED + i], &end, 10);
		if (*end)
			return -1;
	}
	t = f[want - 1];
	if (!strcmp(t, "-"))
		*t = '\0';
	unescape(t);
	m->path = t;
	m->backing = backing_of(m);
	mp->n++;
	return 0;
}

/* @pid's rows of a maps file's text (kept in @mp): 0, or -1 if malformed. */
static int parse_maps(struct maps *mp, char *text, pid_t pid)
{
	char *line = text, *next;

	mp->text = text;
	next = strchr(line, '\n');
	if (!next)
		return -1;
	*next++ = '\0';
	if (parse_header(mp, line))
		return -1;
	for (line = next; *line; line = next) {
		next = strchr(line, '\n');
		if (!next)
			return -1;
		*next++ = '\0';
		if (parse_row(mp, line, pid) < 0)
			return -1;
	}
	return 0;
}

void maps_free(struct maps *mp)
{
	free(mp->m);
	free(mp->text);
	memset(mp, 0, sizeof(*mp));
}

/* The rows of @pid: from its cgroup's maps file, else everyone's. */
int read_maps(pid_t pid, struct maps *mp)
{
	char path[4096], *text;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (!tries) {
			text = read_memcg_file_of(pid, "maps");
		} else {
			snprintf(path, sizeof(path), "%s/maps", memacct_dir);
			text = read_text(path);
		}
		if (!text) {
			if (errno == ENOENT && !tries)
				continue;
			return report_errno("maps", errno);
		}
		maps_free(mp);
		if (parse_maps(mp, text, pid)) {
			fprintf(stderr, "memacct: the maps file is not in the format this reader knows\n");
			return EXIT_FORMAT;
		}
		if (mp->n)
			return EXIT_OK;
	}
	return no_process(pid);
}


int read_cgroup_maps(const char *cgroup, struct maps *mp)
{
	int ret;
	char *text = read_cgroup_file(cgroup, "maps", &ret);

	if (!text)
		return ret;
	maps_free(mp);
	if (parse_maps(mp, text, 0)) {
		fprintf(stderr, "memacct: the maps file is not in the format this reader knows\n");
		return EXIT_FORMAT;
	}
	return EXIT_OK;
}
