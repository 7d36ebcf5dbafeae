/* SPDX-License-Identifier: GPL-2.0 */
/* What moved between two sets of counters, in plain words. */
#ifndef MEMACCT_DIFF_H
#define MEMACCT_DIFF_H

#include "memacct.h"

#define DIFF_MAX_READINGS 32

/* One or two counters that moved, and what that means. */
struct reading {
	int nk;
	const char *key[2];
	const char *name[2];	/* the counters in words */
	long long delta[2];
	long long size;		/* the larger |delta|: readings sort by it */
	const char *why;
};

/*
 * The readings of a cgroup's stat (@process false) or a process's row
 * (true) from @a to @b, largest first; a counter missing on one side
 * counts as 0 there. Returns how many.
 */
int diff_readings(const struct kv *a, const struct kv *b, bool process,
		  struct reading *out);
/* The change of @key from @a to @b (0 where missing). */
long long diff_delta(const struct kv *a, const struct kv *b, const char *key);
/* "zero-page mappings -114.4 MiB, anonymous +114.5 MiB: why", no newline */
void reading_print(FILE *f, const struct opts *o, const struct reading *r);
void reading_json(FILE *f, const struct reading *r);
/* "+1.5 MiB" (or exact bytes with -b) */
const char *signed_human(char *buf, size_t len, long long v, bool exact);

#endif
