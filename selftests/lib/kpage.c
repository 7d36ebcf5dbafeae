// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpage.h"
#include "ktap.h"

#define PAGE 4096ULL
#define PM_PRESENT (1ULL << 63)
#define PM_PFN_MASK ((1ULL << 55) - 1)

static uint64_t read_u64_at(int fd, uint64_t idx)
{
	uint64_t v;

	if (pread(fd, &v, sizeof(v), idx * sizeof(v)) != sizeof(v))
		ktap_bail("pread kpage file at %llu: %s",
			  (unsigned long long)idx, strerror(errno));
	return v;
}

uint64_t kpage_flags_at(pid_t pid, const void *addr)
{
	char path[64];
	uint64_t pte, flags;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		ktap_bail("%s: %s", path, strerror(errno));
	pte = read_u64_at(fd, (uintptr_t)addr / PAGE);
	close(fd);
	if (!(pte & PM_PRESENT))
		ktap_bail("%s: %p not present", path, addr);
	fd = open("/proc/kpageflags", O_RDONLY);
	if (fd < 0)
		ktap_bail("/proc/kpageflags: %s", strerror(errno));
	flags = read_u64_at(fd, pte & PM_PFN_MASK);
	close(fd);
	return flags;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Append the PFNs mapped by @pid to *pfns (present entries only), of its
 * mappings named @only if not NULL ("" for anonymous ones, as in
 * /proc/PID/maps). Return: whether it has such a mapping.
 */
static bool collect_pfns(pid_t pid, const char *only, uint64_t **pfns,
			 size_t *n, size_t *cap)
{
	char path[64], line[512];
	bool found = false;
	FILE *maps;
	int pm;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	pm = open(path, O_RDONLY);
	if (!maps || pm < 0)
		ktap_bail("open maps/pagemap of %d: %s", pid, strerror(errno));
	while (fgets(line, sizeof(line), maps)) {
		unsigned long long start, end, a;
		static uint64_t buf[512];
		int name = 0;

		if (sscanf(line, "%llx-%llx %*s %*x %*x:%*x %*u %n", &start,
			   &end, &name) < 2 || !name)
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (only && strcmp(line + name, only))
			continue;
		found = true;
		/* Raw PFN mappings are not pages of the process. */
		if (strstr(line, "[vvar") || strstr(line, "[vsyscall]"))
			continue;
		for (a = start; a < end; a += 512 * PAGE) {
			size_t cnt = (end - a) / PAGE, i;

			if (cnt > 512)
				cnt = 512;
			if (pread(pm, buf, cnt * 8, a / PAGE * 8) != (ssize_t)(cnt * 8))
				ktap_bail("pagemap of %d: %s", pid, strerror(errno));
			for (i = 0; i < cnt; i++) {
				if (!(buf[i] & PM_PRESENT))
					continue;
				if (*n == *cap) {
					*cap = *cap ? *cap * 2 : 65536;
					*pfns = realloc(*pfns, *cap * sizeof(**pfns));
					if (!*pfns)
						ktap_bail("oom");
				}
				(*pfns)[(*n)++] = buf[i] & PM_PFN_MASK;
			}
		}
	}
	fclose(maps);
	close(pm);
	return found;
}

static bool in_set(const uint64_t *set, int n, uint64_t v)
{
	int i;

	for (i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

/* kpagecgroup of @pfn, or of its head page if it is a tail. */
static uint64_t page_cgroup(int flags, int cg, uint64_t pfn)
{
	while (pfn && read_u64_at(flags, pfn) & (1ULL << KPF_COMPOUND_TAIL))
		pfn--;
	return read_u64_at(cg, pfn);
}

void oracle_mapped(const pid_t *pids, int n, const uint64_t *inos, int ninos,
		   struct mapped_view *mv)
{
	oracle_mapped_in(pids, n, inos, ninos, NULL, mv);
}

void oracle_mapped_in(const pid_t *pids, int n, const uint64_t *inos,
		      int ninos, const char *only, struct mapped_view *mv)
{
	int flags = open("/proc/kpageflags", O_RDONLY);
	int count = open("/proc/kpagecount", O_RDONLY);
	int cg = open("/proc/kpagecgroup", O_RDONLY);
	uint64_t *pfns = NULL;
	size_t np = 0, cap = 0, i, j;

	if (flags < 0 || count < 0 || cg < 0)
		ktap_bail("open kpage files: %s", strerror(errno));
	memset(mv, 0, sizeof(*mv));
	for (i = 0; i < (size_t)n; i++)
		mv->processes += collect_pfns(pids[i], only, &pfns, &np, &cap);
	qsort(pfns, np, sizeof(*pfns), cmp_u64);
	for (i = 0; i < np; i = j) {
		uint64_t ino, f = read_u64_at(flags, pfns[i]);
		uint64_t mapcount = read_u64_at(count, pfns[i]);

		for (j = i; j < np && pfns[j] == pfns[i]; j++)
			;
		if (f & (1ULL << KPF_ZERO_PAGE))
			continue;
		if (f & (1ULL << KPF_ANON))
			mv->rss_anon += PAGE;
		else if (f & (1ULL << KPF_SWAPBACKED))
			mv->rss_shmem += PAGE;
		else
			mv->rss_file += PAGE;
		if (j - i >= mapcount)
			mv->private += PAGE;
		else
			mv->shared_external += PAGE;
		ino = page_cgroup(flags, cg, pfns[i]);
		if (ino && !in_set(inos, ninos, ino))
			mv->charged_elsewhere += PAGE;
		else if (ino)
			mv->charged_here += PAGE;
	}
	free(pfns);
	close(flags);
	close(count);
	close(cg);
}

void oracle_charged(const uint64_t *inos, int n, struct charged_view *cv)
{
	int fl = open("/proc/kpageflags", O_RDONLY);
	int cg = open("/proc/kpagecgroup", O_RDONLY);
	static uint64_t f[8192], c[8192];
	uint64_t pfn = 0, head_flags = 0, head_ino = 0;
	ssize_t r;

	if (fl < 0 || cg < 0)
		ktap_bail("open kpage files: %s", strerror(errno));
	memset(cv, 0, sizeof(*cv));
	for (;;) {
		size_t cnt, i;

		r = pread(fl, f, sizeof(f), pfn * 8);
		if (r <= 0)
			break;
		if (pread(cg, c, r, pfn * 8) != r)
			ktap_bail("kpagecgroup: %s", strerror(errno));
		cnt = r / 8;
		for (i = 0; i < cnt; i++) {
			uint64_t fi = f[i], ino = c[i];

			/* A tail page belongs to its head (6.1 reports no
			 * cgroup for tails, and their flags are partial). */
			if (fi & (1ULL << KPF_COMPOUND_TAIL)) {
				fi = head_flags;
				ino = head_ino;
			} else {
				head_flags = fi;
				head_ino = ino;
			}
			if (!ino)
				continue;
			if (!in_set(inos, n, ino))
				continue;
			if (fi & (1ULL << KPF_SWAPCACHE))
				cv->swapcache += PAGE;
			else if (fi & (1ULL << KPF_ANON))
				cv->anon += PAGE;
			else if (fi & (1ULL << KPF_SWAPBACKED))
				cv->shmem += PAGE;
			/* Page cache is up to date; off the LRU only while
			 * isolated (compaction). Kernel pages are neither. */
			else if (fi & (1ULL << KPF_LRU | 1ULL << KPF_UPTODATE))
				*(fi & (1ULL << KPF_MMAP) ? &cv->file_mapped :
				  &cv->file_unmapped) += PAGE;
			else
				cv->kernel += PAGE;
		}
		pfn += cnt;
	}
	close(fl);
	close(cg);
}

int cgroup_inos(const char *dir, uint64_t *inos, int max)
{
	struct dirent *de;
	struct stat st;
	int n = 0;
	DIR *d;

	if (stat(dir, &st) || n >= max)
		return 0;
	inos[n++] = st.st_ino;
	d = opendir(dir);
	if (!d)
		return n;
	while ((de = readdir(d))) {
		char sub[4096];

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		n += cgroup_inos(sub, inos + n, max - n);
	}
	closedir(d);
	return n;
}
