/* SPDX-License-Identifier: GPL-2.0 */
/* Per-mapping views: the kernel's /proc/PID/smaps and memacct's maps files. */
#ifndef MEMACCT_MAPS_H
#define MEMACCT_MAPS_H

#include <sys/types.h>

#define VMA_KEYS_MAX 48

/* One mapping: its range, perms, name, and its counters by name (bytes). */
struct vma_row {
	unsigned long long start, end;
	char perms[8];
	char path[512];
	char payer[256];		/* files rows: who pays most */
	int n;
	char key[VMA_KEYS_MAX][32];
	unsigned long long val[VMA_KEYS_MAX];
};

struct vma_set {
	int n, cap;
	struct vma_row *v;
};

/* /proc/PID/smaps; kB values become bytes. 0 or -errno. */
int smaps_vmas_read(pid_t pid, struct vma_set *set);
/* @pid's rows of memacct's maps file @path (unescaped paths). 0 or -errno. */
int memacct_maps_read(const char *path, pid_t pid, struct vma_set *set);
/* The rows of memacct's files file @path, one per object. 0 or -errno. */
int memacct_files_read(const char *path, struct vma_set *set);
void vma_set_free(struct vma_set *set);

/* The row of @set that starts at @start, or NULL. */
const struct vma_row *vma_find(const struct vma_set *set,
			       unsigned long long start);
/* @key's value in @r; bails out of the test if it is missing. */
unsigned long long vma_get(const struct vma_row *r, const char *key);
int vma_has(const struct vma_row *r, const char *key,
	    unsigned long long *val);
/* Same mappings, same values, in the same order. */
int vma_sets_same(const struct vma_set *a, const struct vma_set *b);

#endif
