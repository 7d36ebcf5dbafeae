// SPDX-License-Identifier: GPL-2.0
/*
 * The `make run` demo workload: a process that reads memory it never
 * wrote (zero page), writes some, forks a child that shares it
 * copy-on-write and writes part of it, and maps a file. Then both wait.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "proc.h"

#define MIB (1UL << 20)

int main(void)
{
	char *read_only = map_aligned(32 * MIB), *written = map_aligned(16 * MIB);
	char buf[4096];
	pid_t child;
	char *file;
	int fd, i;

	madvise(read_only, 32 * MIB, MADV_NOHUGEPAGE);
	madvise(written, 16 * MIB, MADV_NOHUGEPAGE);
	touch_read(read_only, 32 * MIB);
	touch_write(written, 16 * MIB, 1);

	fd = open("/data/demo.file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	memset(buf, 'd', sizeof(buf));
	for (i = 0; i < 2048; i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			return 1;
	file = mmap(NULL, 8 * MIB, PROT_READ, MAP_PRIVATE, fd, 0);
	if (file == MAP_FAILED)
		return 1;
	touch_read(file, 8 * MIB);

	printf("parent %d: read 32 MiB (zero page), wrote 16 MiB, mapped an 8 MiB file\n",
	       getpid());
	fflush(stdout);
	child = fork();
	if (!child) {
		/* Goes with its parent, however the parent is stopped. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		touch_write(written, 4 * MIB, 2);
		printf("child %d: shares the 16 MiB copy-on-write, wrote 4 MiB of it\n",
		       getpid());
		fflush(stdout);
		pause();
		return 0;
	}
	pause();
	kill(child, SIGTERM);
	return 0;
}
