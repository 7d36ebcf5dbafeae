// SPDX-License-Identifier: GPL-2.0
/* Where the numbers come from: memacct's debugfs files, cgroupfs, /proc. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memacct.h"

const char *memacct_dir = "/sys/kernel/debug/memacct";
const char *cgroup_root = "/sys/fs/cgroup";

char *read_fd(int fd)
{
	size_t len = 0, cap = 8192;
	char *buf = malloc(cap), *nbuf;
	ssize_t r;

	if (!buf)
		return NULL;
	for (;;) {
		if (len + 1 >= cap) {
			nbuf = realloc(buf, cap *= 2);
			if (!nbuf) {
				free(buf);
				errno = ENOMEM;
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

char *read_text(const char *path)
{
	int fd = open(path, O_RDONLY), e;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = read_fd(fd);
	e = errno;
	close(fd);
	errno = e;
	return buf;
}

int report_errno(const char *what, int err)
{
	fprintf(stderr, "memacct: %s: %s\n", what, strerror(err));
	if (err == EACCES || err == EPERM) {
		fprintf(stderr, "memacct: memacct's files are readable by root only: run it as root\n");
		return EXIT_PERM;
	}
	return err == ENOENT || err == ESRCH ? EXIT_NOTFOUND : EXIT_ERROR;
}

int report_io(const char *what, int err)
{
	fprintf(stderr, "memacct: %s: %s\n", what, strerror(err));
	return EXIT_ERROR;
}

static bool debugfs_mounted(void)
{
	char *mounts = read_text("/proc/mounts");
	bool found = mounts && strstr(mounts, " debugfs ");

	free(mounts);
	return found;
}

int source_check(void)
{
	char path[4096], *text;
	struct kv kv = { 0 };
	long long format;

	snprintf(path, sizeof(path), "%s/version", memacct_dir);
	text = read_text(path);
	if (!text) {
		int e = errno;

		if (e == EACCES || e == EPERM)
			return report_errno(path, e);
		if (!getenv("MEMACCT_DIR") && !debugfs_mounted()) {
			fprintf(stderr, "memacct: debugfs is not mounted; mount it with:\n"
				"  mount -t debugfs none /sys/kernel/debug\n");
			return EXIT_NOMODULE;
		}
		if (e == ENOENT) {
			fprintf(stderr, "memacct: the memacct module is not loaded (no %s); load it with:\n"
				"  insmod module/memacct.ko    (from the source tree)\n"
				"  modprobe memacct            (after make install)\n",
				memacct_dir);
			return EXIT_NOMODULE;
		}
		return report_errno(path, e);
	}
	if (kv_parse(&kv, text) || !kv_num(&kv, "format", &format) ||
	    format != MEMACCT_FORMAT) {
		fprintf(stderr, "memacct: the module speaks output format %s, this reader format %d: use the reader built with the module\n",
			kv_str(&kv, "format") ? kv_str(&kv, "format") : "(none)",
			MEMACCT_FORMAT);
		free(text);
		kv_free(&kv);
		return EXIT_FORMAT;
	}
	free(text);
	kv_free(&kv);
	return EXIT_OK;
}

void cgroup_normalise(char *out, size_t len, const char *in)
{
	size_t n = 0;

	/* Accept "/sys/fs/cgroup/a/b" as well as "a/b" and "/a/b". */
	if (!strncmp(in, cgroup_root, strlen(cgroup_root)) &&
	    (in[strlen(cgroup_root)] == '/' || !in[strlen(cgroup_root)]))
		in += strlen(cgroup_root);
	while (*in && n + 2 < len) {
		while (*in == '/')
			in++;
		if (!*in)
			break;
		out[n++] = '/';
		while (*in && *in != '/' && n + 1 < len)
			out[n++] = *in++;
	}
	if (!n)
		out[n++] = '/';
	out[n] = '\0';
}

/* Names memacct uses itself: such cgroups are mirrored with an '@'. */
static bool reserved(const char *name, size_t len)
{
	static const char *const names[] = {
		"stat", "tasks", "task", "version", "summary",
		"internals", "maps", "files",
	};
	size_t i;

	if (name[0] == '@')
		return true;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && !strncmp(name, names[i], len))
			return true;
	return false;
}

int mirror_path(char *out, size_t len, const char *cgroup, const char *file)
{
	size_t n = snprintf(out, len, "%s", memacct_dir);
	const char *p = cgroup;

	while (*p) {
		const char *c, *e;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		c = p;
		e = strchr(c, '/');
		if (!e)
			e = c + strlen(c);
		n += snprintf(out + n, n < len ? len - n : 0, "/%s%.*s",
			      reserved(c, e - c) ? "@" : "", (int)(e - c), c);
		p = e;
	}
	n += snprintf(out + n, n < len ? len - n : 0, "/%s", file);
	return n < len ? 0 : -1;
}

char *read_cgroup_file(const char *cgroup, const char *file, int *status)
{
	char path[8192], *text;

	*status = EXIT_OK;
	if (mirror_path(path, sizeof(path), cgroup, file)) {
		fprintf(stderr, "memacct: cgroup path too long\n");
		*status = EXIT_USAGE;
		return NULL;
	}
	text = read_text(path);
	if (text)
		return text;
	if (errno == ENOENT) {
		fprintf(stderr, "memacct: no memory cgroup %s (is the memory controller enabled in its parent's cgroup.subtree_control?)\n",
			cgroup);
		*status = EXIT_NOTFOUND;
	} else {
		*status = report_errno(path, errno);
	}
	return NULL;
}

int read_cgroup_stat_raw(const char *cgroup, struct kv *kv)
{
	int status;
	char *text = read_cgroup_file(cgroup, "stat", &status);

	if (!text)
		return status;
	if (kv_parse(kv, text)) {
		free(text);
		return report_errno("parse", ENOMEM);
	}
	free(text);
	return EXIT_OK;
}

char *read_cgroup_tasks(const char *cgroup, int *status)
{
	return read_cgroup_file(cgroup, "tasks", status);
}

char *read_cgroupfs(const char *cgroup, const char *file)
{
	char path[8192];

	snprintf(path, sizeof(path), "%s%s/%s", cgroup_root,
		 strcmp(cgroup, "/") ? cgroup : "", file);
	return read_text(path);
}
