// SPDX-License-Identifier: GPL-2.0
/*
 * The "memory jumps on the second call" workload: allocate 120,000,000
 * bytes, read every page (zero page: nothing charged), then on SIGUSR1
 * write every page (now it is charged). Prints "read" and "written" when
 * each phase is done, then waits.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "proc.h"

#define BYTES 120000000UL

static volatile sig_atomic_t go;

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

int main(void)
{
	char *p = mmap(NULL, BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sigset_t usr1, none;

	if (p == MAP_FAILED)
		return 1;
	/* Blocked except inside sigsuspend(): no wakeup can be lost. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&none);
	touch_read(p, BYTES);
	printf("read\n");
	fflush(stdout);
	while (!go)
		sigsuspend(&none);
	touch_write(p, BYTES, 1);
	printf("written\n");
	fflush(stdout);
	for (;;)
		pause();
}
