// SPDX-License-Identifier: GPL-2.0
/*
 * The task query file under bad and awkward input: each gets a clear error
 * code, nothing else changes, and the module carries on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "kv.h"
#include "proc.h"

#define TASK_FILE "/sys/kernel/debug/memacct/task"

/* errno of a write of @len bytes of @s to a fresh open, 0 on success. */
static int write_err(const char *s, size_t len)
{
	int fd = open(TASK_FILE, O_RDWR), e = 0;

	if (fd < 0)
		ktap_bail("open: %s", strerror(errno));
	if (write(fd, s, len) != (ssize_t)len)
		e = errno;
	close(fd);
	return e;
}

static void expect_write(const char *what, const char *s, int err)
{
	int e = write_err(s, strlen(s));

	ktap_result(e == err, "write %s: %s (expected %s)", what,
		    e ? strerror(e) : "accepted", err ? strerror(err) : "accepted");
}

/* The pid line of an answer read from @fd at offset 0, or -errno. */
static long answer_pid(int fd)
{
	char buf[8192];
	ssize_t r = pread(fd, buf, sizeof(buf) - 1, 0);
	struct kv kv;

	if (r < 0)
		return -errno;
	buf[r] = '\0';
	kv_parse(buf, &kv);
	return (long)kv_get(&kv, "pid");
}

static void test_bad_writes(void)
{
	static char huge[1 << 20];

	expect_write("garbage", "garbage\n", EINVAL);
	expect_write("zero length", "", EINVAL);
	memset(huge, '1', sizeof(huge));
	ktap_result(write_err(huge, sizeof(huge)) == EINVAL,
		    "write of 1 MiB of digits: EINVAL");
	expect_write("pid 0", "0", EINVAL);
	expect_write("pid -1", "-1", EINVAL);
	expect_write("pid 2^31", "2147483648", EINVAL);
	expect_write("pid 2^63", "9223372036854775808", EINVAL);
	expect_write("pid 4194304 (above PID_MAX_LIMIT)", "4194304", ESRCH);
	expect_write("two numbers", "1 2", EINVAL);
	expect_write("range with start >= end", "1 0x2000 0x1000", EINVAL);
	expect_write("range with garbage", "1 0x1000 zz", EINVAL);
	ktap_result(write_err("1\0002", 3) == EINVAL, "write with an embedded NUL: EINVAL");
	expect_write("kernel thread (kthreadd, pid 2)", "2", ESRCH);
	expect_write("pid 1 with newline", "1\n", 0);
	expect_write("pid 1 with a range", "1 0 0x7fffffffffff\n", 0);
}

static void test_read_without_write(void)
{
	int fd = open(TASK_FILE, O_RDWR);
	char buf[64];
	ssize_t r = read(fd, buf, sizeof(buf));

	ktap_result(r < 0 && errno == EINVAL,
		    "read before any write: EINVAL");
	close(fd);
}

static void test_exit_between(void)
{
	int fd = open(TASK_FILE, O_RDWR);
	char q[32];
	pid_t pid = fork();
	long r;

	if (!pid) {
		pause();
		_exit(0);
	}
	snprintf(q, sizeof(q), "%d", pid);
	if (write(fd, q, strlen(q)) < 0)
		ktap_bail("write %s: %s", q, strerror(errno));
	ktap_result(answer_pid(fd) == pid, "read while the process lives");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	r = answer_pid(fd);
	ktap_result(r == -ESRCH, "process exited between write and read: %s",
		    r < 0 ? strerror(-r) : "answered");
	close(fd);
}

/*
 * The pid is reused between the write and the read: the file holds the
 * struct pid of the first process, so the read fails with ESRCH instead
 * of describing the second. ns_last_pid makes the kernel reuse it.
 */
static void test_pid_reused(void)
{
	int fd = open(TASK_FILE, O_RDWR);
	char q[32], last[32];
	pid_t first, second;
	long r;

	first = fork();
	if (!first) {
		pause();
		_exit(0);
	}
	snprintf(q, sizeof(q), "%d", first);
	if (write(fd, q, strlen(q)) < 0)
		ktap_bail("write %s: %s", q, strerror(errno));
	kill(first, SIGKILL);
	waitpid(first, NULL, 0);
	snprintf(last, sizeof(last), "%d", first - 1);
	/* ns_last_pid needs CONFIG_CHECKPOINT_RESTORE (not in the debug one). */
	if (write_file("/proc/sys/kernel/ns_last_pid", last)) {
		ktap_skip("pid reuse: this kernel has no ns_last_pid");
		close(fd);
		return;
	}
	second = fork();
	if (!second) {
		pause();
		_exit(0);
	}
	r = answer_pid(fd);
	ktap_result(second == first && r == -ESRCH,
		    "pid %d reused by a new process between write and read: %s",
		    first, second != first ? "(not reused, no test)" :
		    r < 0 ? strerror(-r) : "answered about the new one");
	kill(second, SIGKILL);
	waitpid(second, NULL, 0);
	close(fd);
}

static void test_two_opens(void)
{
	int a = open(TASK_FILE, O_RDWR), b = open(TASK_FILE, O_RDWR);
	char q[32];

	snprintf(q, sizeof(q), "%d", getpid());
	if (write(a, "1", 1) != 1 || write(b, q, strlen(q)) < 0)
		ktap_bail("write: %s", strerror(errno));
	ktap_result(answer_pid(a) == 1 && answer_pid(b) == getpid(),
		    "two opens keep their own pids");
	/* Same open, new question: the next read answers it. */
	if (write(a, q, strlen(q)) < 0)
		ktap_bail("write: %s", strerror(errno));
	ktap_result(answer_pid(a) == getpid(), "a second write replaces the question");
	close(a);
	close(b);
}

static void test_odd_offsets(void)
{
	int fd = open(TASK_FILE, O_RDWR);
	char whole[8192], part[8192], *p = part;
	ssize_t n, r;

	if (write(fd, "1", 1) != 1)
		ktap_bail("write: %s", strerror(errno));
	n = pread(fd, whole, sizeof(whole), 0);
	/* pid 1 is asleep in wait(): its answer is stable. */
	if (lseek(fd, 0, SEEK_SET))
		ktap_bail("lseek");
	while ((r = read(fd, p, 7)) > 0)
		p += r;
	ktap_result(n > 0 && p - part == n && !memcmp(whole, part, n),
		    "reading in 7-byte pieces gives the same %zd bytes", n);
	r = pread(fd, part, 10, 5);
	ktap_result(r == 10 && !memcmp(part, whole + 5, 10),
		    "pread at offset 5 gives the matching bytes");
	close(fd);
}

static void test_unprivileged(void)
{
	pid_t pid = fork();
	int status;

	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(open(TASK_FILE, O_RDWR) < 0 &&
		      open("/sys/kernel/debug/memacct/tasks", O_RDONLY) < 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ktap_result(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "an unprivileged user cannot open the files");
}

static int shared_fd;

static void *hammer(void *arg)
{
	const char *q = arg;
	int i, bad = 0;

	for (i = 0; i < 200; i++) {
		char buf[8192];
		ssize_t r;

		if (write(shared_fd, q, strlen(q)) < 0)
			bad++;
		r = pread(shared_fd, buf, sizeof(buf) - 1, 0);
		if (r <= 0 || strncmp(buf, "pid ", 4))
			bad++;
	}
	return (void *)(long)bad;
}

static void test_concurrent_writers(void)
{
	pthread_t t[4];
	char q[4][16];
	long bad = 0;
	void *ret;
	int i;

	shared_fd = open(TASK_FILE, O_RDWR);
	for (i = 0; i < 4; i++) {
		snprintf(q[i], sizeof(q[i]), "%d", i % 2 ? 1 : getpid());
		pthread_create(&t[i], NULL, hammer, q[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], &ret);
		bad += (long)ret;
	}
	close(shared_fd);
	ktap_result(!bad, "4 threads writing and reading one open file: every answer whole (%ld bad)",
		    bad);
}

/*
 * Random writes, all on one open file: the parser is what is fuzzed, and an
 * open per write would multiply the cost (a debug kernel under TCG runs
 * each syscall some 50 times slower) without reaching more of it.
 */
static void test_fuzz(void)
{
	unsigned int seed = 42, i, odd = 0;
	unsigned int n = getenv("MEMACCT_BRIEF") ? 10000 : 100000;
	int fd = open(TASK_FILE, O_RDWR);
	char buf[96];

	if (fd < 0)
		ktap_bail("open: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		size_t len = rand_r(&seed) % sizeof(buf), j;
		int e = 0;

		for (j = 0; j < len; j++) {
			int c = rand_r(&seed);

			/* Mostly digits, spaces and hex, to reach the parser. */
			buf[j] = c % 3 ? "0123456789 x\n-+abcdef"[c % 21] : c >> 8;
		}
		if (write(fd, buf, len) != (ssize_t)len)
			e = errno;
		if (e && e != EINVAL && e != ESRCH)
			odd++;
	}
	close(fd);
	ktap_result(!odd, "%u random writes: only EINVAL, ESRCH or success (%u others)",
		    n, odd);
}

int main(void)
{
	struct kv kv;

	ktap_plan(27);
	test_bad_writes();
	test_read_without_write();
	test_exit_between();
	test_pid_reused();
	test_two_opens();
	test_odd_offsets();
	test_unprivileged();
	test_concurrent_writers();
	test_fuzz();
	ktap_result(!memacct_task_read(1, &kv) && kv_get(&kv, "pid") == 1,
		    "the module still answers");
	return ktap_finish();
}
