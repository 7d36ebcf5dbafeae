// SPDX-License-Identifier: GPL-2.0
/*
 * faultread FILE [QUERY]: open and read a memacct file with the Nth
 * fault-injectable allocation from the open on failing
 * (/proc/thread-self/fail-nth), for N = 1, 2, ... until a read gets
 * through with no failure injected. Every read
 * must either fail with ENOMEM or return an answer shaped like the one read
 * without injection (same lines, same keys): never a partial one passed
 * off as complete. QUERY is written first (for the task file).
 * Prints one TAP line; exit status 1 on a bad result.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *read_all(int fd, int *err)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	ssize_t r;

	*err = 0;
	while (buf && (r = read(fd, buf + len, cap - len - 1)) != 0) {
		if (r < 0) {
			*err = errno;
			break;
		}
		len += r;
		if (len + 1 >= cap) {
			char *n = realloc(buf, cap *= 2);

			if (!n)
				break;
			buf = n;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* The shape of an answer: its first words, one per line. */
static void shape(const char *text, char *out, size_t len)
{
	size_t n = 0;

	while (*text && n + 2 < len) {
		while (*text && *text != ' ' && *text != '\n' && n + 2 < len)
			out[n++] = *text++;
		out[n++] = '\n';
		while (*text && *text != '\n')
			text++;
		if (*text)
			text++;
	}
	out[n] = '\0';
}

static int set_fail_nth(int n)
{
	char buf[16];
	int fd = open("/proc/thread-self/fail-nth", O_RDWR), r;

	if (fd < 0)
		return -1;
	r = snprintf(buf, sizeof(buf), "%d", n);
	r = write(fd, buf, r) == r ? 0 : -1;
	close(fd);
	return r;
}

static int get_fail_nth(void)
{
	char buf[16] = "";
	int fd = open("/proc/thread-self/fail-nth", O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	if (fd >= 0)
		close(fd);
	return atoi(buf);
}

static int open_file(const char *path, const char *query)
{
	int fd = open(path, query ? O_RDWR : O_RDONLY);

	if (fd >= 0 && query && write(fd, query, strlen(query)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	static char ref[1 << 16], got[1 << 16];
	int n, enomem = 0, whole = 0, partial = 0, other = 0, fd, err;
	const char *path = argv[1], *query = argc > 2 ? argv[2] : NULL;
	char *text;

	if (argc < 2)
		return 2;
	fd = open_file(path, query);
	text = fd >= 0 ? read_all(fd, &err) : NULL;
	if (!text || err) {
		printf("not ok - %s: cannot read it at all\n", path);
		return 1;
	}
	shape(text, ref, sizeof(ref));
	free(text);
	close(fd);

	for (n = 1; n < 100000; n++) {
		int injected;

		/* From the open on: some files gather their answer there. */
		if (set_fail_nth(n)) {
			printf("ok - %s # SKIP no fault injection (fail-nth)\n", path);
			return 0;
		}
		fd = open_file(path, query);
		if (fd < 0) {
			err = errno;
			injected = get_fail_nth() == 0;
			set_fail_nth(0);
			if (injected && err == ENOMEM) {
				enomem++;
				continue;
			}
			other++;
			printf("# %s, failure %d: open: %s\n", path, n,
			       strerror(err));
			break;
		}
		text = read_all(fd, &err);
		injected = get_fail_nth() == 0;
		set_fail_nth(0);
		close(fd);
		if (!injected) {
			free(text);
			break;
		}
		if (err == ENOMEM) {
			enomem++;
		} else if (err) {
			other++;
			printf("# %s, failure %d: %s\n", path, n, strerror(err));
		} else {
			shape(text, got, sizeof(got));
			if (strcmp(got, ref)) {
				partial++;
				printf("# %s, failure %d: an answer of another shape\n",
				       path, n);
			} else {
				whole++;
			}
		}
		free(text);
	}
	printf("%s - %s: %d allocations failed in turn: %d ENOMEM, %d whole answers, %d partial, %d other errors\n",
	       partial || other || !n ? "not ok" : "ok", path, n - 1, enomem,
	       whole, partial, other);
	return partial || other ? 1 : 0;
}
