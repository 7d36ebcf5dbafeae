// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the JSON reader, snapshots read back and the readings of a
 * diff, on the host, against documents the tests write themselves. TAP.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "snapshot.h"
#include "tap.h"

static int parses(const char *text, char *err, size_t len)
{
	struct jnode n;
	size_t used;
	int ret = json_parse(text, &n, &used, err, len);

	if (!ret)
		json_free(&n);
	return ret;
}

static void test_json(void)
{
	const struct jnode *v;
	struct jnode n;
	char err[128], deep[200];
	size_t used;

	ok(!json_parse(" {\"a\": [1, -2, 3.5e1, true, null], \"s\": \"x\\u00e9\\n\\\"\"} tail",
		       &n, &used, err, sizeof(err)) &&
	   (v = json_get(&n, "a")) && v->type == J_ARR && v->n == 5 &&
	   v->kid[1].is_int && v->kid[1].num == -2 && !v->kid[2].is_int &&
	   v->kid[2].real == 35 && v->kid[3].type == J_BOOL &&
	   v->kid[4].type == J_NULL && !strcmp(json_get(&n, "s")->str, "x\xc3\xa9\n\"") &&
	   !strcmp(" tail", " {\"a\": [1, -2, 3.5e1, true, null], \"s\": \"x\\u00e9\\n\\\"\"} tail" + used),
	   "json: values, escapes, and where the document ends");
	json_free(&n);
	ok(!json_parse("9223372036854775807", &n, &used, err, sizeof(err)) &&
	   n.is_int && n.num == 9223372036854775807LL, "json: the largest integer");
	ok(!json_parse("9223372036854775808", &n, &used, err, sizeof(err)) &&
	   !n.is_int, "json: an integer too large is no integer");
	ok(parses("{\"a\": [1, 2", err, sizeof(err)) && strstr(err, "truncated"),
	   "json: truncated array refused (%s)", err);
	ok(parses("{\"a\": \"x", err, sizeof(err)) && strstr(err, "unterminated"),
	   "json: truncated string refused (%s)", err);
	ok(parses("{\"a\" 1}", err, sizeof(err)) && strstr(err, "byte 5"),
	   "json: a missing colon named by its offset (%s)", err);
	ok(parses("{\"a\": \"\\u0000\"}", err, sizeof(err)),
	   "json: a NUL character refused");
	ok(parses("[1,]", err, sizeof(err)), "json: trailing comma refused");
	ok(!json_parse("01", &n, &used, err, sizeof(err)) && used == 1 &&
	   (json_free(&n), parses("1.", err, sizeof(err))) &&
	   parses("1.e5", err, sizeof(err)) && parses("-", err, sizeof(err)) &&
	   !parses("-0.5e-3", err, sizeof(err)),
	   "json: numbers as RFC 8259 has them (01 ends after 0; 1. and 1.e5 refused)");
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	ok(parses(deep, err, sizeof(err)) && strstr(err, "deeply"),
	   "json: nesting limited (%s)", err);
}

#define SNAP_HEAD "{\"memacct_snapshot\": 1, \"time\": \"t\", \"time_ns\": %lld, \"kernel\": \"%s\", \"node\": \"n\", \"scope\": \"/\", "

static char *doc(long long t, const char *kernel, long long zero, long long anon)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), SNAP_HEAD
		 "\"cgroups\": [{\"path\": \"/g\", \"parent\": \"/\", \"counters\": {\"zero\": %lld, \"rss_anon\": %lld, \"memory_current\": %lld}}], "
		 "\"processes\": [{\"pid\": 7, \"comm\": \"go\", \"cgroup\": \"/g\", \"counters\": {\"zero\": %lld, \"rss_anon\": %lld}}]}\n",
		 t, kernel, zero, anon, anon, zero, anon);
	return buf;
}

static void test_snapshots(void)
{
	char rec[4096];
	struct snap *s;
	int n;

	snprintf(rec, sizeof(rec), "%s", doc(1000000000, "k", 120 << 20, 1 << 20));
	strcat(rec, doc(3500000000LL, "k", 0, 121 << 20));
	ok(!snapshot_parse(rec, "rec", &s, &n) && n == 2 &&
	   s[1].time_ns == 3500000000LL && s[0].ncg == 1 && s[0].nproc == 1 &&
	   kv_get(&s[0].cg[0].counters, "zero") == 120 << 20 &&
	   snap_find_process(&s[1], 7) && !snap_find_process(&s[1], 8) &&
	   snap_find_cgroup(&s[1], "/g"),
	   "snapshot: a recording of two read back");
	if (!n)
		return;
	{
		struct reading r[DIFF_MAX_READINGS];
		int k = diff_readings(&s[0].cg[0].counters, &s[1].cg[0].counters,
				      false, r);

		ok(k == 2 && r[0].nk == 2 && !strcmp(r[0].key[0], "zero") &&
		   r[0].delta[0] == -(120 << 20) && !strcmp(r[0].key[1], "rss_anon") &&
		   r[0].delta[1] == 120 << 20 && strstr(r[0].why, "first write") &&
		   !strcmp(r[1].key[0], "memory_current"),
		   "diff: the zero page written read as one move, then the bill");
		k = diff_readings(&s[1].cg[0].counters, &s[0].cg[0].counters,
				  false, r);
		ok(k == 3 && r[0].nk == 1, "diff: the way back is read counter by counter");
		k = diff_readings(&s[0].cg[0].counters, &s[0].cg[0].counters,
				  false, r);
		ok(k == 0, "diff: nothing moved, no reading");
	}
	{
		struct kv a = { 0 }, b = { 0 };
		struct reading r[DIFF_MAX_READINGS];
		int k;

		kv_parse(&a, "cow_pending_anon 8192\ncow_pending_zero 4096\nzero 4096\nuss 0\n");
		kv_parse(&b, "cow_pending_anon 0\ncow_pending_zero 4096\nzero 4096\nuss 8192\n");
		k = diff_readings(&a, &b, true, r);
		ok(k == 1 && r[0].nk == 2 && !strcmp(r[0].key[0], "cow_pending_anon") &&
		   !strcmp(r[0].key[1], "uss") && strstr(r[0].why, "fork"),
		   "diff: a process's pages copied after fork read as one move");
		kv_free(&a);
		kv_free(&b);
		kv_parse(&a, "zero 1048576\nrss_anon 0\n");
		kv_parse(&b, "zero 1044480\nrss_anon 1073741824\n");
		k = diff_readings(&a, &b, false, r);
		ok(k == 2 && r[0].nk == 1 && !strcmp(r[0].key[0], "rss_anon") &&
		   r[1].nk == 1, "diff: moves of very different sizes are not one event");
		kv_free(&a);
		kv_free(&b);
	}
	snapshot_free(s, n);
	rec[strlen(rec) - 20] = '\0';
	ok(!snapshot_parse(rec, "rec", &s, &n) && n == 1 &&
	   s[0].time_ns == 1000000000,
	   "snapshot: a recording's last line cut short: the one before kept");
	snapshot_free(s, n);
	{
		char cut[4096];

		snprintf(cut, sizeof(cut), "%.200s\n%s", doc(1, "k", 0, 0),
			 doc(2, "k", 0, 0));
		ok(snapshot_parse(cut, "rec", &s, &n) == EXIT_USAGE && !s && !n,
		   "snapshot: a line cut short inside a recording refused whole");
	}
	ok(snapshot_parse("{\"memacct_snapshot\": 1, \"time", "x", &s, &n) ==
	   EXIT_USAGE, "snapshot: a single snapshot cut short refused");
	ok(snapshot_parse("{\"x\": 1}", "x", &s, &n) == EXIT_USAGE,
	   "snapshot: a JSON document that is no snapshot refused");
	ok(snapshot_parse(" \n", "x", &s, &n) == EXIT_USAGE,
	   "snapshot: an empty file refused");
	snprintf(rec, sizeof(rec), SNAP_HEAD "\"cgroups\": [{\"path\": \"/g\", \"counters\": {\"zero\": \"1\"}}], \"processes\": []}",
		 1LL, "k");
	ok(snapshot_parse(rec, "x", &s, &n) == EXIT_USAGE,
	   "snapshot: a counter that is no integer refused");
}

int main(void)
{
	printf("TAP version 13\n1..22\n");
	test_json();
	test_snapshots();
	return tap_done();
}
