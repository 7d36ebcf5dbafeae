// SPDX-License-Identifier: GPL-2.0
/*
 * One process's counters. The fast path writes the pid into memacct/task.
 * Under kernel lockdown (Secure Boot hosts) debugfs refuses every open for
 * writing with EPERM, so the reader then finds the pid's row in its memory
 * cgroup's tasks file, which is read-only: that costs a scan of the
 * cgroup's processes, not of every process on the machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memacct.h"

/* Set once the task file refused us: every later query goes read-only. */
static bool task_file_refused;

static void say_readonly_once(void)
{
	char *mode = read_text("/sys/kernel/security/lockdown");
	char *l = mode ? strchr(mode, '[') : NULL;
	char *r = l ? strchr(l, ']') : NULL;

	if (r && strncmp(l, "[none]", 6)) {
		*r = '\0';
		fprintf(stderr, "memacct: kernel lockdown (%s) forbids writing to debugfs; reading the cgroup's tasks file instead of memacct/task\n",
			l + 1);
	} else {
		fprintf(stderr, "memacct: memacct/task cannot be opened for writing (EPERM); reading the cgroup's tasks file instead\n");
	}
	free(mode);
}

int no_process(pid_t pid)
{
	fprintf(stderr, "memacct: no process %d (or it has no memory: a kernel thread or a zombie)\n",
		(int)pid);
	return EXIT_NOTFOUND;
}

int proc_memcg_path(const char *text, char *out, size_t len)
{
	const char *line, *path = NULL, *pend = NULL, *p;

	for (line = text; line && *line; line = p ? p + 1 : NULL) {
		const char *c1 = strchr(line, ':'), *c2, *ctl;

		p = strchr(line, '\n');
		if (!c1 || (p && c1 > p))
			continue;
		c2 = strchr(c1 + 1, ':');
		if (!c2 || (p && c2 > p))
			continue;
		/* v1: "N:cpu,memory:/path"; v2: "0::/path". */
		for (ctl = c1 + 1; ctl < c2; ctl += strcspn(ctl, ",:") + 1)
			if (!strncmp(ctl, "memory", 6) &&
			    (ctl[6] == ',' || ctl[6] == ':'))
				break;
		if (ctl < c2) {
			path = c2 + 1;
			pend = p ? p : c2 + 1 + strlen(c2 + 1);
			break;
		}
		if (c2 == c1 + 1 && !strncmp(line, "0::", 3)) {
			path = c2 + 1;
			pend = p ? p : c2 + 1 + strlen(c2 + 1);
		}
	}
	if (!path || *path != '/' || (size_t)(pend - path) >= len)
		return -1;
	memcpy(out, path, pend - path);
	out[pend - path] = '\0';
	return 0;
}

int task_row_kv(const char *tasks, pid_t pid, struct kv *kv)
{
	const char *hend = strchr(tasks, '\n'), *row;
	char key[32], *hdr, *line, *text = NULL, *hs = NULL, *rs = NULL, *h, *v;
	size_t len = 0;
	FILE *f;
	int ret = -1;

	if (!hend || strncmp(tasks, "pid ", 4))
		return -1;
	snprintf(key, sizeof(key), "\n%d ", (int)pid);
	row = strstr(hend, key);
	if (!row)
		return 1;
	hdr = strndup(tasks, hend - tasks);
	line = strndup(row + 1, strcspn(row + 1, "\n"));
	f = open_memstream(&text, &len);
	if (!hdr || !line || !f)
		goto out;
	/* Column names and values pair up into "key value" lines. */
	h = strtok_r(hdr, " ", &hs);
	v = strtok_r(line, " ", &rs);
	while (h && v) {
		fprintf(f, "%s %s\n", h, v);
		h = strtok_r(NULL, " ", &hs);
		v = strtok_r(NULL, " ", &rs);
	}
	if (fclose(f) == 0 && !h && !v)
		ret = kv_parse(kv, text);
	f = NULL;
out:
	if (f)
		fclose(f);
	free(text);
	free(hdr);
	free(line);
	return ret;
}

/* The fast path: write the pid into the task file, read the answer. */
static int read_task_query(pid_t pid, struct kv *kv)
{
	char path[4096], q[32], *text;
	int fd, e;

	snprintf(path, sizeof(path), "%s/task", memacct_dir);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		if (errno == EPERM)
			return -EPERM;
		return report_errno(path, errno);
	}
	snprintf(q, sizeof(q), "%d\n", (int)pid);
	if (write(fd, q, strlen(q)) < 0) {
		e = errno;
		close(fd);
		if (e == ESRCH)
			return no_process(pid);
		return report_errno(q, e);
	}
	text = read_fd(fd);
	e = errno;
	close(fd);
	if (!text) {
		if (e == ESRCH) {
			fprintf(stderr, "memacct: process %d exited\n", (int)pid);
			return EXIT_NOTFOUND;
		}
		return report_errno(path, e);
	}
	e = kv_parse(kv, text);
	free(text);
	return e ? report_errno("parse", ENOMEM) : EXIT_OK;
}

char *read_memcg_file_of(pid_t pid, const char *file)
{
	char path[8192], cg[4096], *text, *slash;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	text = read_text(path);
	if (!text)
		return NULL;
	if (proc_memcg_path(text, cg, sizeof(cg))) {
		free(text);
		errno = ENOENT;
		return NULL;
	}
	free(text);
	for (;;) {
		if (mirror_path(path, sizeof(path), cg, file)) {
			errno = ENAMETOOLONG;
			return NULL;
		}
		text = read_text(path);
		if (text || errno != ENOENT || !strcmp(cg, "/"))
			return text;
		slash = strrchr(cg, '/');
		slash[slash == cg] = '\0';
	}
}

/*
 * The read-only route. A process that moves between cgroups between the two
 * reads is looked for once more, then in the tasks file of every process.
 */
int read_task_readonly(pid_t pid, struct kv *kv)
{
	char path[4096], *text;
	int tries, ret;

	for (tries = 0; tries < 3; tries++) {
		if (tries < 2) {
			text = read_memcg_file_of(pid, "tasks");
		} else {
			snprintf(path, sizeof(path), "%s/tasks", memacct_dir);
			text = read_text(path);
		}
		if (!text) {
			if (errno == ENOENT && tries < 2) {
				snprintf(path, sizeof(path), "/proc/%d", (int)pid);
				if (access(path, F_OK))
					return no_process(pid);
				continue;
			}
			return report_errno("tasks", errno);
		}
		ret = task_row_kv(text, pid, kv);
		free(text);
		if (ret < 0)
			return report_errno("parse tasks", EINVAL);
		if (!ret)
			return EXIT_OK;
	}
	return no_process(pid);
}

int read_task(pid_t pid, struct kv *kv)
{
	int ret;

	if (!task_file_refused) {
		ret = read_task_query(pid, kv);
		if (ret != -EPERM)
			return ret;
		task_file_refused = true;
		say_readonly_once();
	}
	return read_task_readonly(pid, kv);
}
