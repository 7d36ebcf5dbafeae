// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the reader's parsing and formatting, on the host, against
 * fixture files the tests write themselves. TAP output.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroups.h"
#include "memacct.h"
#include "tasks.h"
#include "tap.h"

/* Run @fn with stdout captured into a string (freed by the caller). */
static char *capture(void (*fn)(FILE *f, const char *arg), const char *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, arg);
	fclose(f);
	return buf;
}

static void do_json(FILE *f, const char *s)
{
	json_string(f, s);
}

static void do_prom(FILE *f, const char *s)
{
	prom_label(f, s);
}

static void write_fixture(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static void test_kv(void)
{
	struct kv kv = { 0 };
	long long v;

	kv_parse(&kv, "rss 4096\ncomm a\\040b\nbad\nunexplained -12\n");
	ok(kv_get(&kv, "rss") == 4096, "kv: number");
	ok(!strcmp(kv_str(&kv, "comm"), "a\\040b"), "kv: text value kept raw");
	ok(kv_num(&kv, "unexplained", &v) && v == -12, "kv: negative number");
	ok(!kv_num(&kv, "missing", &v) && kv_get(&kv, "bad") == 0,
	   "kv: missing keys and lines without a value");
	kv_free(&kv);
	kv_parse_proc(&kv, "Rss:                 100 kB\nThreads:\t3\nName:\tsh\n");
	ok(kv_get(&kv, "Rss") == 102400, "proc: kB become bytes");
	ok(kv_get(&kv, "Threads") == 3, "proc: plain numbers stay");
	ok(!strcmp(kv_str(&kv, "Name"), "sh"), "proc: text");
	kv_free(&kv);
}

static void test_units(void)
{
	char b[64];

	ok(!strcmp(human(b, sizeof(b), 0, false), "0 B"), "human: 0 B");
	ok(!strcmp(human(b, sizeof(b), 1536, false), "1.5 KiB"), "human: 1.5 KiB");
	ok(!strcmp(human(b, sizeof(b), 120000000, false), "114.4 MiB"),
	   "human: 120,000,000 = 114.4 MiB");
	ok(!strcmp(human(b, sizeof(b), -2048, false), "-2.0 KiB"), "human: negative");
	ok(!strcmp(human(b, sizeof(b), 120000000, true), "120000000"), "-b: bytes");
}

static void test_escapes(void)
{
	char s[64], *j;

	j = capture(do_json, "a\"b\\c\nd\te\x01 \xc3\xa9");
	ok(!strcmp(j, "\"a\\\"b\\\\c\\nd\\te\\u0001 \xc3\xa9\""),
	   "json: quote, backslash, control characters escaped, UTF-8 kept: %s", j);
	free(j);
	j = capture(do_prom, "a\"b\\c\nd");
	ok(!strcmp(j, "\"a\\\"b\\\\c\\nd\""), "prometheus label escapes: %s", j);
	free(j);
	snprintf(s, sizeof(s), "a\\040b\\134c\\011d\\");
	unescape(s);
	ok(!strcmp(s, "a b\\c\td\\"), "module octal escapes undone");
}

static void test_paths(const char *dir)
{
	char out[4096];

	cgroup_normalise(out, sizeof(out), "a/b/");
	ok(!strcmp(out, "/a/b"), "cgroup path: a/b/ -> /a/b");
	cgroup_normalise(out, sizeof(out), "");
	ok(!strcmp(out, "/"), "cgroup path: empty -> /");
	cgroup_normalise(out, sizeof(out), "//a//b");
	ok(!strcmp(out, "/a/b"), "cgroup path: repeated slashes");
	cgroup_normalise(out, sizeof(out), "/sys/fs/cgroup/x/y");
	ok(!strcmp(out, "/x/y"), "cgroup path: cgroupfs prefix removed");
	mirror_path(out, sizeof(out), "/a/stat", "stat");
	ok(!strncmp(out, dir, strlen(dir)) && !strcmp(out + strlen(dir), "/a/@stat/stat"),
	   "mirror: a cgroup named stat is @stat");
	mirror_path(out, sizeof(out), "/@x/tasks2", "tasks");
	ok(!strcmp(out + strlen(dir), "/@@x/tasks2/tasks"), "mirror: @x is @@x");
	mirror_path(out, sizeof(out), "/", "stat");
	ok(!strcmp(out + strlen(dir), "/stat"), "mirror: the root's files");
}

static void test_tasks(void)
{
	struct task_rows t;

	ok(!tasks_parse(&t, "pid comm cgroup rss uss\n"
			    "1 sh / 100 50\n"
			    "7 my\\040app /a\\040b 300 10\n"),
	   "tasks: parsed");
	ok(t.n == 2 && !strcmp(t.row[1].comm, "my app") &&
	   !strcmp(t.row[1].cgroup, "/a b"), "tasks: names unescaped");
	tasks_sort(&t, "uss");
	ok(t.row[0].pid == 1 && kv_get(&t.row[1].counters, "rss") == 300,
	   "tasks: sorted by uss, largest first");
	tasks_free(&t);
	ok(tasks_parse(&t, "pid comm cgroup rss\n1 sh /\n") == -1,
	   "tasks: a short row is an error");
	tasks_free(&t);
	ok(tasks_parse(&t, "garbage\n") == -1, "tasks: no header is an error");
	tasks_free(&t);
}

/* An LRU-view stat takes its kernel pages from its summary line, once. */
static void test_lru_completed(const char *dir)
{
	char sub[4200];
	struct kv st = { 0 }, sum = { 0 };

	snprintf(sub, sizeof(sub), "%s/big", dir);
	mkdir(sub, 0700);
	write_fixture(dir, "summary",
		      "cgroup nr_processes charged_kernel_pages\n"
		      "/ 5 900\n/big 2 300\n");
	write_fixture(dir, "big/stat",
		      "charged_view lru\ncharged_kernel_pages 0\n"
		      "memory_current 5000\nunexplained 1000\n");
	ok(read_cgroup_stat("/big/", &st) == EXIT_OK &&
	   kv_get(&st, "charged_kernel_pages") == 300 &&
	   kv_get(&st, "unexplained") == 700 &&
	   !strcmp(kv_str(&st, "charged_view"), "lru+summary"),
	   "lru stat: kernel pages from the summary, out of unexplained");
	kv_parse(&sum, "charged_kernel_pages 400\n");
	ok(stat_complete(&st, &sum) == EXIT_OK &&
	   kv_get(&st, "charged_kernel_pages") == 300 &&
	   kv_get(&st, "unexplained") == 700, "lru stat: completed once only");
	kv_free(&st);
	write_fixture(dir, "big/stat",
		      "charged_view scan\ncharged_kernel_pages 8\nunexplained 10\n");
	ok(read_cgroup_stat("/big", &st) == EXIT_OK &&
	   kv_get(&st, "charged_kernel_pages") == 8 &&
	   kv_get(&st, "unexplained") == 10, "scan stat: left as read");
	kv_free(&st);
	kv_free(&sum);
	snprintf(sub, sizeof(sub), "%s/big/stat", dir);
	unlink(sub);
	snprintf(sub, sizeof(sub), "%s/big", dir);
	rmdir(sub);
}

static void test_sources(const char *dir)
{
	struct cgs cgs;
	int *order;

	write_fixture(dir, "version", "memacct 0.1.0\nformat 1\n");
	ok(source_check() == EXIT_OK, "version: format 1 accepted");
	write_fixture(dir, "version", "memacct 9.0.0\nformat 2\n");
	ok(source_check() == EXIT_FORMAT, "version: format 2 refused");
	write_fixture(dir, "summary",
		      "cgroup nr_processes memory_current charged_anon\n"
		      "/ 5 300 10\n/small 1 100 5\n/big 2 200 7\n/big/x\\040y 1 150 3\n");
	ok(cgs_load(&cgs, false) == EXIT_OK && cgs.n == 4, "summary: 4 cgroups");
	order = cgs_tree_order(&cgs, "memory_current");
	ok(order && !strcmp(cgs.cg[order[1]].path, "/big") &&
	   !strcmp(cgs.cg[order[2]].path, "/big/x y") &&
	   !strcmp(cgs.cg[order[3]].path, "/small"),
	   "tree: children largest first, depth first");
	ok(cgs.cg[3].depth == 2 && cgs.cg[3].parent == 2, "tree: parents found");
	free(order);
	cgs_free(&cgs);
	test_lru_completed(dir);
}

static void test_readonly_route(const char *dir)
{
	char out[64], text[256];
	struct kv kv = { 0 };
	long long v;

	ok(!proc_memcg_path("12:cpu,memory:/a/b\n0::/c\n", out, sizeof(out)) &&
	   !strcmp(out, "/a/b"), "proc cgroup: the v1 memory line wins");
	ok(!proc_memcg_path("3:memory_x:/z\n0::/c d\n", out, sizeof(out)) &&
	   !strcmp(out, "/c d"), "proc cgroup: v2 line, no v1 memory");
	ok(proc_memcg_path("1:name=systemd:/x\n", out, sizeof(out)) == -1,
	   "proc cgroup: none found");
	ok(task_row_kv("pid comm cgroup rss\n10 a / 5\n1 b / 7\n", 1, &kv) == 0 &&
	   kv_num(&kv, "rss", &v) && v == 7 && !strcmp(kv_str(&kv, "comm"), "b"),
	   "tasks row: the pid's row, not a prefix match");
	kv_free(&kv);
	ok(task_row_kv("pid comm cgroup rss\n10 a / 5\n", 1, &kv) == 1,
	   "tasks row: no row");
	ok(task_row_kv("pid comm cgroup rss\n1 a /\n", 1, &kv) == -1,
	   "tasks row: a short row is an error");
	/* The walk up from this process's cgroup ends at the root's file. */
	snprintf(text, sizeof(text), "pid comm cgroup rss\n%d me / 4096\n",
		 (int)getpid());
	write_fixture(dir, "tasks", text);
	ok(read_task_readonly(getpid(), &kv) == EXIT_OK &&
	   kv_num(&kv, "rss", &v) && v == 4096,
	   "read-only route: found through the nearest mirrored cgroup");
	kv_free(&kv);
}

int main(void)
{
	char dir[] = "/tmp/memacct-test-XXXXXX";

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	memacct_dir = dir;
	printf("TAP version 13\n1..42\n");
	test_kv();
	test_units();
	test_escapes();
	test_paths(dir);
	test_tasks();
	test_sources(dir);
	test_readonly_route(dir);
	unlink(strcat(strcpy((char[4200]){ 0 }, dir), "/version"));
	unlink(strcat(strcpy((char[4200]){ 0 }, dir), "/summary"));
	unlink(strcat(strcpy((char[4200]){ 0 }, dir), "/tasks"));
	rmdir(dir);
	return tap_done();
}
