/* SPDX-License-Identifier: GPL-2.0 */
/* One self-contained HTML page (inline SVG, no script) of snapshots. */
#ifndef MEMACCT_REPORT_H
#define MEMACCT_REPORT_H

#include "snapshot.h"

/*
 * The report of cgroup @path over the snapshots @s[0..n) (one, or a
 * recording), written to @f: the walk from the sum of RSS to memory.current,
 * the categories of memory.current, the processes of the last snapshot and,
 * for two or more, the categories over time and what moved.
 */
void report_write(FILE *f, const struct opts *o, const struct snap *s, int n,
		  const char *path);

#endif
