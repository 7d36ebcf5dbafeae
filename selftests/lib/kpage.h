/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace oracle: what /proc/PID/pagemap, /proc/kpageflags,
 * /proc/kpagecount and /proc/kpagecgroup say about a set of processes and a
 * cgroup, computed the way page-types does, independently of memacct.
 */
#ifndef MEMACCT_KPAGE_H
#define MEMACCT_KPAGE_H

#include <stdint.h>
#include <sys/types.h>

#define KPF_MMAP		11
#define KPF_ANON		12
#define KPF_SWAPCACHE		13
#define KPF_SWAPBACKED		14
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_UPTODATE		3
#define KPF_LRU			5
#define KPF_SLAB		7
#define KPF_THP			22
#define KPF_ZERO_PAGE		24

struct mapped_view {
	unsigned long long rss_anon, rss_file, rss_shmem;
	unsigned long long private, shared_external;
	unsigned long long charged_elsewhere, charged_here;
	unsigned long long processes;	/* of those given, that map any */
};

struct charged_view {
	unsigned long long anon, file_mapped, file_unmapped, shmem, swapcache;
	unsigned long long kernel;
};

/* Pages mapped by @pids, each counted once; private if all its mappings
 * (kpagecount) are theirs; charged elsewhere if charged to a cgroup not in
 * @inos (kpagecgroup). */
void oracle_mapped(const pid_t *pids, int n, const uint64_t *inos, int ninos,
		   struct mapped_view *mv);
/* The same, of the mappings named @only ("" for anonymous ones), as
 * /proc/PID/maps names them; NULL for all. */
void oracle_mapped_in(const pid_t *pids, int n, const uint64_t *inos,
		      int ninos, const char *only, struct mapped_view *mv);
/* Pages whose kpagecgroup is one of @inos, by kind. */
void oracle_charged(const uint64_t *inos, int n, struct charged_view *cv);
/* The /proc/kpageflags word of the page @pid maps at @addr (bails if none). */
uint64_t kpage_flags_at(pid_t pid, const void *addr);
/* The inode numbers of a cgroup directory and all below it. */
int cgroup_inos(const char *dir, uint64_t *inos, int max);

#endif
