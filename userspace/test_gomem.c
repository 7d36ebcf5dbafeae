// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of reading the Go runtime's MemStats (pprof's heap profile at
 * debug=1, expvar's /debug/vars) and of where its heap arenas are. TAP.
 */
#include <string.h>

#include "gomem.h"
#include "http.h"
#include "tap.h"

/* The tail of a go1.19 service's /debug/pprof/heap?debug=1. */
static const char pprof[] =
	"heap profile: 1: 120000000 [1: 120000000] @ heap/1048576\n"
	"#\t0x62a80b\tnet/http.serverHandler.ServeHTTP+0x30b\n\n"
	"\n# runtime.MemStats\n# Alloc = 120182088\n# TotalAlloc = 120321304\n"
	"# Sys = 140758312\n# Lookups = 0\n# HeapAlloc = 120182088\n"
	"# HeapSys = 125501440\n# HeapIdle = 4644864\n# HeapInuse = 120856576\n"
	"# HeapReleased = 4521984\n# HeapObjects = 1155\n"
	"# Stack = 425984 / 425984\n# MSpan = 37128 / 48960\n"
	"# MCache = 9600 / 15600\n# BuckHashSys = 1444530\n# GCSys = 8523008\n"
	"# OtherSys = 1004734\n# NextGC = 240364176\n# PauseNs = [12 34 0]\n"
	"# NumGC = 2\n# GCCPUFraction = 0.0001\n# DebugGC = false\n";

int main(void)
{
	struct gomem g;

	char c1[] = "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
	char c2[] = "-1\r\nhello world\r\n0\r\n\r\n";
	char c3[] = "fffffffffffffffe\r\nhello\r\n0\r\n\r\n";
	char c4[] = "a\r\nhello\r\n0\r\n\r\n";

	printf("TAP version 13\n1..10\n");
	ok(http_dechunk(c1, strlen(c1)) == 12 && !memcmp(c1, "hello, world", 12),
	   "http: chunks joined, extensions ignored");
	ok(http_dechunk(c2, strlen(c2)) == -1 && http_dechunk(c3, strlen(c3)) == -1,
	   "http: a signed or overflowing chunk size refused");
	ok(http_dechunk(c4, strlen(c4)) == -1, "http: a chunk longer than the body refused");
	ok(!gomem_parse(pprof, &g) && g.HeapInuse == 120856576 &&
	   g.HeapIdle == 4644864 && g.HeapReleased == 4521984 &&
	   g.StackInuse == 425984 && g.StackSys == 425984 &&
	   g.MSpanSys == 48960 && g.MCacheInuse == 9600 && g.NumGC == 2 &&
	   g.Sys == 140758312, "pprof: the MemStats block, \"a / b\" pairs split");
	ok(!gomem_parse("{\"cmdline\": [\"x\"], \"memstats\": {\"HeapAlloc\": 1, \"HeapSys\": 8, \"HeapIdle\": 3, \"HeapInuse\": 5, \"HeapReleased\": 2, \"StackInuse\": 4, \"StackSys\": 4, \"Sys\": 20, \"PauseNs\": [1, 2]}}",
			&g) && g.HeapInuse == 5 && g.StackSys == 4 &&
	   !strcmp(g.format, "expvar memstats"), "expvar: memstats read");
	ok(gomem_parse("heap profile: 1: 2 [3: 4] @ heap/1048576\n", &g),
	   "pprof without debug=1 (no MemStats) refused");
	ok(gomem_parse("{\"cmdline\": [\"x\"]}", &g), "expvar without memstats refused");
	ok(gomem_parse("Name: x\nVmRSS: 4 kB\n", &g), "neither refused");
	ok(go_arena_range(0xc000000000ULL, 0xc004000000ULL) &&
	   go_arena_range(0x1c000000000ULL, 0x1c004000000ULL),
	   "arenas: at the first two hints");
	ok(!go_arena_range(0x7fd123456000ULL, 0x7fd123457000ULL) &&
	   !go_arena_range(0x400000ULL, 0x500000ULL) &&
	   !go_arena_range(0xbff0000000ULL, 0xc000001000ULL),
	   "arenas: not the mmap base, the binary, nor across a hint");
	return tap_done();
}
