// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktap.h"
#include "kv.h"

#define TASK_FILE "/sys/kernel/debug/memacct/task"
#define MEMACCT_DIR "/sys/kernel/debug/memacct"

static char *read_fd(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t r;

	if (!buf)
		return NULL;
	for (;;) {
		if (len + 1 >= cap) {
			char *nbuf = realloc(buf, cap *= 2);

			if (!nbuf) {
				free(buf);
				return NULL;
			}
			buf = nbuf;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			int e = errno;

			free(buf);
			errno = e;
			return NULL;
		}
		if (!r)
			break;
		len += r;
	}
	buf[len] = '\0';
	return buf;
}

char *read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	char *buf;
	int e;

	if (fd < 0)
		return NULL;
	buf = read_fd(fd);
	e = errno;
	close(fd);
	errno = e;
	return buf;
}

int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t r;
	int e;

	if (fd < 0)
		return -errno;
	r = write(fd, s, strlen(s));
	e = errno;
	close(fd);
	return r < 0 ? -e : 0;
}

static void kv_add(struct kv *kv, const char *key, const char *str,
		   unsigned long long val)
{
	if (kv->n >= KV_MAX)
		ktap_bail("too many keys");
	snprintf(kv->e[kv->n].key, sizeof(kv->e[kv->n].key), "%s", key);
	snprintf(kv->e[kv->n].str, sizeof(kv->e[kv->n].str), "%s", str);
	kv->e[kv->n].val = val;
	kv->n++;
}

void kv_parse(const char *text, struct kv *kv)
{
	const char *line = text;

	kv->n = 0;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char buf[512], key[64], str[256];
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (sscanf(buf, "%63s %255s", key, str) == 2)
			kv_add(kv, key, str, strtoull(str, NULL, 10));
		line = nl ? nl + 1 : NULL;
	}
}

int memacct_task_read(pid_t pid, struct kv *kv)
{
	char q[32];

	snprintf(q, sizeof(q), "%d\n", pid);
	return memacct_query(q, kv);
}

int memacct_range_read(pid_t pid, const void *start, const void *end,
		       struct kv *kv)
{
	char q[80];

	snprintf(q, sizeof(q), "%d %p %p\n", pid, start, end);
	return memacct_query(q, kv);
}

/*
 * The tasks file of @pid's memory cgroup: the v2 cgroup /proc/PID/cgroup
 * names, or the nearest ancestor that is mirrored (has a memcg). The root's
 * tasks file lists every process, so the walk always ends somewhere.
 */
static char *memcg_tasks_read(pid_t pid)
{
	char path[4200], cg[4096] = "", *text, *slash;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	text = read_file(path);
	if (!text)
		return NULL;
	if (!strncmp(text, "0::/", 4))
		snprintf(cg, sizeof(cg), "%.*s", (int)strcspn(text + 3, "\n"),
			 text + 3);
	free(text);
	for (;;) {
		slash = strrchr(cg, '/');
		snprintf(path, sizeof(path), "%s%s/tasks", MEMACCT_DIR, cg);
		text = read_file(path);
		if (text || errno != ENOENT || !slash)
			return text;
		*slash = '\0';
	}
}

/*
 * Under kernel lockdown debugfs refuses to open the task file for writing:
 * a whole-process query is then answered from the process's row in its
 * cgroup's read-only tasks file (its header names the columns), as the
 * reader does. Range queries have no read-only form and stay -EPERM.
 */
static int tasks_row_read(const char *query, struct kv *kv)
{
	char *buf, *hdr, *row, *text, *h, *v, *hs = NULL, *vs = NULL;
	char key[32];
	size_t n = 0;
	int pid;
	char end;

	if (sscanf(query, "%d%c", &pid, &end) != 2 || end != '\n')
		return -EPERM;
	buf = memcg_tasks_read(pid);
	if (!buf)
		return errno == ENOENT ? -ESRCH : -errno;
	/* Header and row, each value followed by a newline, fit in twice it. */
	text = malloc(2 * strlen(buf) + 64);
	snprintf(key, sizeof(key), "\n%d ", pid);
	row = strstr(buf, key);
	hdr = strtok_r(buf, "\n", &hs);
	if (!row || !hdr || !text) {
		free(buf);
		free(text);
		return row ? -ENOMEM : -ESRCH;
	}
	row = strtok_r(row + 1, "\n", &vs);
	/* Pair each column name with the row's value: "key value" lines. */
	for (h = strtok_r(hdr, " ", &hs), v = strtok_r(row, " ", &vs); h && v;
	     h = strtok_r(NULL, " ", &hs), v = strtok_r(NULL, " ", &vs))
		n += sprintf(text + n, "%s %s\n", h, v);
	kv_parse(text, kv);
	free(text);
	free(buf);
	return 0;
}

int memacct_query(const char *query, struct kv *kv)
{
	char *buf;
	int fd, e;

	fd = open(TASK_FILE, O_RDWR);
	if (fd < 0 && errno == EPERM)
		return tasks_row_read(query, kv);
	if (fd < 0)
		return -errno;
	if (write(fd, query, strlen(query)) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	buf = read_fd(fd);
	e = errno;
	close(fd);
	if (!buf)
		return -e;
	kv_parse(buf, kv);
	free(buf);
	return 0;
}

/* "Name:   123 kB" lines; values in bytes when the unit is kB. */
static int proc_kb_read(const char *path, struct kv *kv)
{
	char *buf = read_file(path), *line, *save = NULL;

	if (!buf)
		return -errno;
	kv->n = 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char key[64], unit[16] = "";
		unsigned long long v;
		char *colon = strchr(line, ':');

		if (!colon || colon - line >= (long)sizeof(key))
			continue;
		memcpy(key, line, colon - line);
		key[colon - line] = '\0';
		if (sscanf(colon + 1, "%llu %15s", &v, unit) < 1)
			continue;
		kv_add(kv, key, colon + 1, strcmp(unit, "kB") ? v : v * 1024);
	}
	free(buf);
	return 0;
}

int smaps_rollup_read(pid_t pid, struct kv *kv)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	return proc_kb_read(path, kv);
}

int proc_status_read(pid_t pid, struct kv *kv)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	return proc_kb_read(path, kv);
}

bool kv_find(const struct kv *kv, const char *key, unsigned long long *val)
{
	int i;

	for (i = 0; i < kv->n; i++) {
		if (!strcmp(kv->e[i].key, key)) {
			*val = kv->e[i].val;
			return true;
		}
	}
	return false;
}

const char *kv_str(const struct kv *kv, const char *key)
{
	int i;

	for (i = 0; i < kv->n; i++)
		if (!strcmp(kv->e[i].key, key))
			return kv->e[i].str;
	return "";
}

unsigned long long kv_get(const struct kv *kv, const char *key)
{
	unsigned long long v;

	if (!kv_find(kv, key, &v))
		ktap_bail("key %s missing", key);
	return v;
}
