// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup_storm DIR SECONDS [STAT]: what an unprivileged mkdir/rmdir storm
 * costs everyone else. A child, as uid 65534, creates and removes
 * DIR/s<n> as fast as it can (DIR must be delegated to it); meanwhile, as
 * root, this process times its own mkdir+rmdir of a cgroup beside DIR and,
 * if STAT is given, a read of that memacct file. Prints key=value lines:
 * storm_ops, and the median and worst latency of each in microseconds.
 * With SECONDS 0 there is no storm (the idle baseline, for 2 s). A storm
 * goes on past SECONDS until it has done MIN_OPS operations (a debug
 * kernel beside another guest may manage 4 a second), for at most
 * MAX_STRETCH times SECONDS.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 4096
#define MIN_OPS 50
#define MAX_STRETCH 8

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *name, double *v, int n)
{
	if (!n) {
		printf("%s_n=0\n", name);
		return;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	printf("%s_n=%d\n%s_median_us=%.0f\n%s_max_us=%.0f\n", name, n, name,
	       v[n / 2], name, v[n - 1]);
}

static void storm(const char *dir, volatile unsigned long *ops)
{
	char path[4096];
	unsigned long n = 0;

	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		_exit(2);
	for (;;) {
		snprintf(path, sizeof(path), "%s/s%lu", dir, n % 8);
		if (mkdir(path, 0755) && errno != EEXIST)
			_exit(3);
		if (rmdir(path))
			_exit(4);
		*ops = ++n;
	}
}

static int read_all(const char *path)
{
	char buf[65536];
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return r < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	static double ops_lat[MAX_SAMPLES], stat_lat[MAX_SAMPLES];
	volatile unsigned long *ops;
	int nops = 0, nstat = 0, secs;
	char probe[4096], *slash;
	double start, end, t;
	pid_t child = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: cgroup_storm DIR SECONDS [STAT]\n");
		return 2;
	}
	secs = atoi(argv[2]);
	snprintf(probe, sizeof(probe), "%s", argv[1]);
	slash = strrchr(probe, '/');
	if (!slash)
		return 2;
	snprintf(slash + 1, sizeof(probe) - (slash + 1 - probe), "storm-probe");
	ops = mmap(NULL, sizeof(*ops), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ops == MAP_FAILED)
		return 1;
	if (secs > 0) {
		child = fork();
		if (child < 0)
			return 1;
		if (!child)
			storm(argv[1], ops);
	}
	start = now_us();
	end = start + (secs > 0 ? secs : 2) * 1e6;
	while (nops < MAX_SAMPLES) {
		t = now_us();
		if (t >= end && (!child || *ops >= MIN_OPS ||
				 t >= start + MAX_STRETCH * secs * 1e6))
			break;
		t = now_us();
		if (mkdir(probe, 0755) || rmdir(probe)) {
			perror(probe);
			break;
		}
		ops_lat[nops++] = now_us() - t;
		if (argc > 3 && nstat < MAX_SAMPLES) {
			t = now_us();
			if (!read_all(argv[3]))
				stat_lat[nstat++] = now_us() - t;
		}
		usleep(20000);
	}
	if (child) {
		int status;

		printf("storm_secs=%.1f\n", (now_us() - start) / 1e6);
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
		if (WIFEXITED(status))
			fprintf(stderr, "storm ended early: %d\n",
				WEXITSTATUS(status));
	}
	printf("storm_ops=%lu\n", *ops);
	report("root_mkdir_rmdir", ops_lat, nops);
	report("stat_read", stat_lat, nstat);
	return 0;
}
