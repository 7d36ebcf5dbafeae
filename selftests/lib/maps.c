// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktap.h"
#include "kv.h"
#include "maps.h"

static struct vma_row *vma_add(struct vma_set *set)
{
	if (set->n == set->cap) {
		int cap = set->cap ? set->cap * 2 : 64;
		struct vma_row *v = realloc(set->v, cap * sizeof(*v));

		if (!v)
			ktap_bail("out of memory for %d mappings", cap);
		set->v = v;
		set->cap = cap;
	}
	memset(&set->v[set->n], 0, sizeof(set->v[0]));
	return &set->v[set->n++];
}

static void vma_put(struct vma_row *r, const char *key, unsigned long long val)
{
	if (r->n == VMA_KEYS_MAX)
		ktap_bail("more than %d counters for one mapping", VMA_KEYS_MAX);
	snprintf(r->key[r->n], sizeof(r->key[0]), "%s", key);
	r->val[r->n++] = val;
}

void vma_set_free(struct vma_set *set)
{
	free(set->v);
	memset(set, 0, sizeof(*set));
}

/* "start-end perms offset dev inode [path]": a mapping's first line. */
static int smaps_head(const char *line, struct vma_row *r)
{
	int name = 0;

	if (sscanf(line, "%llx-%llx %7s %*x %*x:%*x %*u %n", &r->start,
		   &r->end, r->perms, &name) < 3 || !name)
		return 0;
	snprintf(r->path, sizeof(r->path), "%s", line + name);
	r->path[strcspn(r->path, "\n")] = '\0';
	return 1;
}

int smaps_vmas_read(pid_t pid, struct vma_set *set)
{
	struct vma_row *r = NULL;
	char path[64], *text, *line, *save;

	set->n = 0;
	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	text = read_file(path);
	if (!text)
		return -errno;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct vma_row head = { 0 };
		unsigned long long v;
		char key[32], unit[8];
		int n;

		if (smaps_head(line, &head)) {
			r = vma_add(set);
			*r = head;
			continue;
		}
		if (!r)
			continue;
		n = sscanf(line, "%31[^:]: %llu %7s", key, &v, unit);
		if (n >= 2)
			vma_put(r, key, n == 3 && !strcmp(unit, "kB") ?
				v << 10 : v);
	}
	free(text);
	return 0;
}

/* Undo seq_escape()'s octal escapes, in place. */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

#define MAPS_COLS_MAX 64

/* Split @line at spaces into at most MAPS_COLS_MAX fields. */
static int split(char *line, char **f)
{
	char *save;
	int n = 0;

	for (char *t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == MAPS_COLS_MAX)
			ktap_bail("more than %d columns", n);
		f[n++] = t;
	}
	return n;
}

/*
 * Each row of the table in @text, whose header's first column is @first
 * and last "path", to @row: fields split, as many as the header's.
 */
static void table_rows(const char *path, char *text, const char *first,
		       void (*row)(void *arg, char **cols, char **f, int n),
		       void *arg)
{
	char *line, *save, *cols[MAPS_COLS_MAX], *f[MAPS_COLS_MAX];
	int ncols;

	line = strtok_r(text, "\n", &save);
	ncols = line ? split(line, cols) : 0;
	if (ncols < 8 || strcmp(cols[0], first) || strcmp(cols[ncols - 1], "path"))
		ktap_bail("%s: unexpected header", path);
	while ((line = strtok_r(NULL, "\n", &save))) {
		int nf = split(line, f);

		if (nf != ncols)
			ktap_bail("%s: a row of %d fields for %d columns", path,
				  nf, ncols);
		row(arg, cols, f, nf);
	}
}

/* A path or name column: "-" is none; escapes undone. */
static void name_col(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", strcmp(s, "-") ? s : "");
	unescape(dst);
}

struct maps_arg {
	struct vma_set *set;
	pid_t pid;
};

static void maps_row(void *arg, char **cols, char **f, int n)
{
	struct maps_arg *a = arg;
	struct vma_row *r;
	int i;

	if (atoi(f[0]) != a->pid)
		return;
	r = vma_add(a->set);
	r->start = strtoull(f[1], NULL, 10);
	r->end = strtoull(f[2], NULL, 10);
	snprintf(r->perms, sizeof(r->perms), "%s", f[3]);
	name_col(r->path, sizeof(r->path), f[n - 1]);
	for (i = 4; i < n - 1; i++)
		if (strcmp(cols[i], "perms") && strcmp(cols[i], "dev"))
			vma_put(r, cols[i], strtoull(f[i], NULL, 10));
}

int memacct_maps_read(const char *path, pid_t pid, struct vma_set *set)
{
	struct maps_arg a = { set, pid };
	char *text;

	set->n = 0;
	text = read_file(path);
	if (!text)
		return -errno;
	table_rows(path, text, "pid", maps_row, &a);
	free(text);
	return 0;
}

/* dev inode COUNTERS... payer path */
static void files_row(void *arg, char **cols, char **f, int n)
{
	struct vma_row *r = vma_add(arg);
	int i;

	name_col(r->path, sizeof(r->path), f[n - 1]);
	name_col(r->payer, sizeof(r->payer), f[n - 2]);
	for (i = 1; i < n - 2; i++)
		vma_put(r, cols[i], strtoull(f[i], NULL, 10));
}

int memacct_files_read(const char *path, struct vma_set *set)
{
	char *text;

	set->n = 0;
	text = read_file(path);
	if (!text)
		return -errno;
	table_rows(path, text, "dev", files_row, set);
	free(text);
	return 0;
}

const struct vma_row *vma_find(const struct vma_set *set,
			       unsigned long long start)
{
	int i;

	for (i = 0; i < set->n; i++)
		if (set->v[i].start == start)
			return &set->v[i];
	return NULL;
}

int vma_has(const struct vma_row *r, const char *key, unsigned long long *val)
{
	int i;

	for (i = 0; i < r->n; i++) {
		if (!strcmp(r->key[i], key)) {
			*val = r->val[i];
			return 1;
		}
	}
	return 0;
}

unsigned long long vma_get(const struct vma_row *r, const char *key)
{
	unsigned long long v;

	if (!vma_has(r, key, &v))
		ktap_bail("mapping %llx: no %s", r->start, key);
	return v;
}

int vma_sets_same(const struct vma_set *a, const struct vma_set *b)
{
	int i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		const struct vma_row *x = &a->v[i], *y = &b->v[i];

		if (x->start != y->start || x->end != y->end || x->n != y->n ||
		    strcmp(x->path, y->path) ||
		    memcmp(x->val, y->val, x->n * sizeof(x->val[0])))
			return 0;
	}
	return 1;
}
