// SPDX-License-Identifier: GPL-2.0
/*
 * memacct snapshot [PATH] [-o FILE]: every counter now, as one JSON line.
 * memacct watch PATH [-d S] [-n N] [-o FILE]: a snapshot every S seconds,
 * one line of what moved each time, and the snapshots appended to FILE
 * (a recording, for diff and report).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diff.h"
#include "snapshot.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int write_all(int fd, const char *s, const char *what)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t w = write(fd, s, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return report_io(what, errno);
		s += w;
		len -= w;
	}
	return EXIT_OK;
}

int write_whole(const char *path, const char *text)
{
	char tmp[4096];
	int ret, fd;

	/* Whole or not at all: written beside, then renamed over. */
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		fprintf(stderr, "memacct: %s: path too long\n", path);
		return EXIT_USAGE;
	}
	fd = mkstemp(tmp);
	if (fd < 0)
		return report_io(path, errno);
	ret = write_all(fd, text, tmp);
	if (!ret && (fchmod(fd, 0644) || fsync(fd)))
		ret = report_io(tmp, errno);
	if (close(fd) && !ret)
		ret = report_io(tmp, errno);
	if (!ret && rename(tmp, path))
		ret = report_io(path, errno);
	if (ret)
		unlink(tmp);
	return ret;
}

int cmd_snapshot(const struct opts *o, const char *cgroup)
{
	int ret;
	char *text = snapshot_text(cgroup, &ret);

	if (!text)
		return ret;
	if (o->out)
		ret = write_whole(o->out, text);
	else
		ret = write_all(STDOUT_FILENO, text, "stdout");
	free(text);
	return ret;
}

static void watch_line(const struct opts *o, const struct snap *prev,
		       const struct snap *now)
{
	const struct kv *b = &now->cg[0].counters;
	const struct kv *a = prev ? &prev->cg[0].counters : NULL;
	struct reading r[DIFF_MAX_READINGS];
	char when[16], b1[64], b2[64];
	time_t t = now->time_ns / 1000000000LL;
	struct tm tm;
	int n = a ? diff_readings(a, b, false, r) : 0, i, shown = 0;

	if (o->fmt == FMT_JSON) {
		printf("{\"time_ns\": %lld, \"memory_current\": %lld, \"readings\": [",
		       now->time_ns, kv_get(b, "memory_current"));
		for (i = 0; i < n; i++) {
			printf("%s", i ? ", " : "");
			reading_json(stdout, &r[i]);
		}
		printf("]}\n");
		fflush(stdout);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	printf("%s  memory.current %10s", when,
	       human(b1, sizeof(b1), kv_get(b, "memory_current"), o->bytes));
	if (!a) {
		printf("  (first snapshot)\n");
		fflush(stdout);
		return;
	}
	printf(" %11s", signed_human(b2, sizeof(b2),
				     diff_delta(a, b, "memory_current"), o->bytes));
	/* The two largest readings besides the bill itself. */
	for (i = 0; i < n && shown < 2; i++) {
		if (!strcmp(r[i].key[0], "memory_current"))
			continue;
		printf("%s", shown++ ? "; " : "  ");
		reading_print(stdout, o, &r[i]);
	}
	printf("%s\n", shown ? "" : "  nothing moved");
	fflush(stdout);
}

int cmd_watch(const struct opts *o, const char *cgroup)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct snap *prev = NULL, *now;
	sigset_t block, waiting;
	int fd = -1, ret = EXIT_OK, i, nprev = 0, n;

	if (o->out) {
		fd = open(o->out, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd < 0)
			return report_io(o->out, errno);
	}
	/*
	 * SIGINT and SIGTERM are let in only while waiting (pselect), so
	 * that one arriving just before the wait cuts it short, and one
	 * arriving while a snapshot is appended lets it finish first.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &waiting);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (i = 0; !stop && (!o->iterations || i < o->iterations); i++) {
		struct timespec d = {
			.tv_sec = (time_t)o->delay,
			.tv_nsec = (long)((o->delay - (time_t)o->delay) * 1e9),
		};
		char *text;

		if (i)
			pselect(0, NULL, NULL, NULL, &d, &waiting);
		if (stop)
			break;
		text = snapshot_text(cgroup, &ret);
		if (!text)
			break;
		if (fd >= 0) {
			/* No half line left behind: a short append is undone. */
			off_t size = lseek(fd, 0, SEEK_END);

			ret = write_all(fd, text, o->out);
			if (ret && size >= 0 && ftruncate(fd, size))
				perror("memacct: undoing a short append");
		}
		if (!ret)
			ret = snapshot_parse(text, "snapshot", &now, &n);
		free(text);
		if (ret)
			break;
		watch_line(o, prev, now);
		snapshot_free(prev, nprev);
		prev = now;
		nprev = n;
	}
	snapshot_free(prev, nprev);
	sigprocmask(SIG_SETMASK, &waiting, NULL);
	if (fd >= 0 && close(fd) && !ret)
		ret = report_io(o->out, errno);
	return ret;
}
