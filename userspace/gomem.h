/* SPDX-License-Identifier: GPL-2.0 */
/* The Go runtime's own numbers (runtime.MemStats), and where they live. */
#ifndef MEMACCT_GOMEM_H
#define MEMACCT_GOMEM_H

#include "maps.h"

/* The MemStats fields the reconciliation uses, as Go names them. */
#define GO_FIELDS(X) \
	X(HeapAlloc) X(HeapSys) X(HeapIdle) X(HeapInuse) X(HeapReleased) \
	X(StackInuse) X(StackSys) X(MSpanInuse) X(MSpanSys) X(MCacheInuse) \
	X(MCacheSys) X(BuckHashSys) X(GCSys) X(OtherSys) X(Sys) X(NumGC)

struct gomem {
#define X(f) long long f;
	GO_FIELDS(X)
#undef X
	const char *format;	/* "pprof heap profile" or "expvar memstats" */
};

/*
 * Read MemStats from @source: an http:// URL of /debug/pprof/heap?debug=1
 * or /debug/vars, or a file saved from either. EXIT_* status, one line
 * printed: EXIT_NOTFOUND if it cannot be had (no such file, no answer),
 * EXIT_USAGE if what came is neither.
 */
int gomem_load(const char *source, struct gomem *g);
/* From a document's text (for tests): 0, or -1 if it is neither. */
int gomem_parse(const char *text, struct gomem *g);

/* A process's memory, split the way the reconciliation walks it. */
struct go_split {
	int arenas;		/* mappings recognised as Go heap arenas */
	long long arena_vsz, arena_anon, arena_zero, arena_lazyfree, arena_swap;
	long long brk_anon;	/* [heap]: C malloc through brk (cgo) */
	long long stack_anon;	/* [stack], the main thread's */
	long long other_anon;	/* other anonymous: runtime metadata, mmap'd
				   C malloc, thread stacks */
	long long file_rss, shmem_rss, rss, zero, swap;
	const char *top_file;	/* the file mapping the most, or NULL */
	long long top_file_rss;
};

/* Split @pid's mappings in @mp. -1 if a column is missing. */
int go_split(const struct maps *mp, long pid, struct go_split *s);
/* Whether [start, end) is where the Go runtime puts its heap arenas. */
int go_arena_range(unsigned long long start, unsigned long long end);

/* The walk from the runtime's view to the kernel's, printed or as JSON. */
void go_print(FILE *f, const struct opts *o, const struct gomem *g,
	      const struct go_split *s, long pid, const char *source);
void go_json(FILE *f, const struct gomem *g, const struct go_split *s,
	     long pid, const char *source);
/*
 * The Go process of a cgroup's maps: the one with the most in Go heap
 * arenas (else the largest), split into @s: its pid; -1 if it has none,
 * -2 if the maps file lacks a column the walk needs.
 */
long go_pick(const struct maps *mp, struct go_split *s);

#endif
