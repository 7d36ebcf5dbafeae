/* SPDX-License-Identifier: GPL-2.0 */
/* memacct's files file against the kpage oracle and against its stat. */
#ifndef MEMACCT_FILES_CHECK_H
#define MEMACCT_FILES_CHECK_H

#include <stdint.h>
#include <sys/types.h>

#include "kv.h"
#include "maps.h"

/*
 * Each object of @set (a files file) against the oracle restricted to the
 * mappings /proc/PID/maps names as it does (objects of the same name
 * summed). Disagreements are diag'ed, prefixed with @what; their number
 * is returned.
 */
int files_against_oracle(const struct vma_set *set, const pid_t *pids, int n,
			 const uint64_t *inos, int ninos, const char *what);
/* The rows' sums against the same cgroup's stat @st. */
int files_against_stat(const struct vma_set *set, const struct kv *st,
		       const char *what);

#endif
