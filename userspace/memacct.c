// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: read the memacct module's files and print them for people.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MEMACCT_DIR "/sys/kernel/debug/memacct"

static int usage(FILE *f)
{
	fprintf(f,
		"usage: memacct tasks          every process, one row each\n"
		"       memacct task PID       one process, every counter\n");
	return f == stdout ? 0 : 2;
}

static int cat_fd(int fd)
{
	char buf[65536];
	ssize_t r;

	while ((r = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, r, stdout);
	return r < 0 ? -errno : 0;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "memacct: %s: %s\n", what, strerror(err));
	if (err == ENOENT)
		fprintf(stderr, "memacct: is the module loaded (insmod memacct.ko) and debugfs mounted?\n");
	return 1;
}

static int cmd_tasks(void)
{
	int fd = open(MEMACCT_DIR "/tasks", O_RDONLY);
	int ret;

	if (fd < 0)
		return fail(MEMACCT_DIR "/tasks", errno);
	ret = cat_fd(fd);
	close(fd);
	return ret ? fail("read tasks", -ret) : 0;
}

static int cmd_task(const char *pid)
{
	int fd = open(MEMACCT_DIR "/task", O_RDWR);
	int ret;

	if (fd < 0)
		return fail(MEMACCT_DIR "/task", errno);
	if (write(fd, pid, strlen(pid)) < 0) {
		ret = errno;
		close(fd);
		return fail(pid, ret);
	}
	ret = cat_fd(fd);
	close(fd);
	return ret ? fail(pid, -ret) : 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "tasks"))
		return cmd_tasks();
	if (argc == 3 && !strcmp(argv[1], "task"))
		return cmd_task(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "--help"))
		return usage(stdout);
	return usage(stderr);
}
