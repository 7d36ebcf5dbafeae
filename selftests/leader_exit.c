// SPDX-License-Identifier: GPL-2.0
/*
 * leader_exit: a process whose main thread has exited (pthread_exit()),
 * leaving a zombie leader and one live thread. Prints "ready" once the
 * leader is gone, then waits to be killed. A process in this state moves
 * between cgroups without its leader (migration skips exiting tasks).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pid_t leader;

static void *live(void *arg)
{
	char path[64], state = 0;
	FILE *f;

	(void)arg;
	/* Wait until the leader is a zombie: /proc/PID/task/PID/stat. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", leader, leader);
	while (state != 'Z') {
		f = fopen(path, "r");
		if (!f || fscanf(f, "%*d %*s %c", &state) != 1)
			state = 0;
		if (f)
			fclose(f);
		usleep(10000);
	}
	if (write(1, "ready\n", 6) != 6)
		return NULL;
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	pthread_t t;

	leader = getpid();
	if (pthread_create(&t, NULL, live, NULL)) {
		perror("pthread_create");
		return 1;
	}
	pthread_exit(NULL);
}
