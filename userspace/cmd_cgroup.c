// SPDX-License-Identifier: GPL-2.0
/* memacct cgroup PATH: one cgroup's counters, and its processes by USS. */
#include <stdlib.h>
#include <string.h>

#include "cgroups.h"
#include "prom.h"
#include "groups.h"
#include "tasks.h"

static const struct counter_doc mapped[] = {
	{ "nr_processes", "" },
	{ "rss", "pages its processes map, each once" },
	{ "rss_anon", "" },
	{ "rss_file", "" },
	{ "rss_shmem", "" },
	{ "private", "mapped by its processes only" },
	{ "shared_external", "also mapped by processes elsewhere" },
	{ "pss", "sum of its processes' PSS (what smem adds up)" },
	{ "swap", "" },
	{ "lazyfree", "freed with MADV_FREE, not yet reclaimed" },
	{ "locked", "mapped by mlocked mappings" },
	{ "mapped_charged_elsewhere", "mapped here, charged to other cgroups" },
	{ NULL },
};

static const struct counter_doc cow[] = {
	{ "zero", "zero-page mappings (not charged until written)" },
	{ "cow_pending", "what writes would allocate" },
	{ "cow_pending_zero", "" },
	{ "cow_pending_file", "" },
	{ "cow_pending_anon", "" },
	{ NULL },
};

static const struct counter_doc charged[] = {
	{ "memory_current", "memory.current (the page counter)" },
	{ "charged_anon", "anonymous" },
	{ "charged_file_mapped", "page cache some process maps" },
	{ "charged_file_unmapped", "page cache no process maps" },
	{ "charged_shmem", "shmem, tmpfs" },
	{ "charged_swapcache", "swap cache" },
	{ "charged_kernel_pages", "page tables, kernel stacks, vmalloc" },
	{ "charged_other", "" },
	{ "charged_mapped_outside_only", "charged here, mapped only elsewhere" },
	{ "charged_root_uncounted", "root only: pages the root is charged but never counts" },
	{ "unexplained", "slab, percpu, sockets, per-CPU batching: see explain" },
	{ NULL },
};

static void human_processes(const struct opts *o, const struct task_rows *t)
{
	static const char *const keys[] = {
		"rss", "uss", "pss", "swap", "cow_pending", "charged_own",
	};
	char buf[64];
	int i, k;

	printf("processes, by uss\n  %8s %-16s", "PID", "COMM");
	for (k = 0; k < 6; k++)
		printf(" %12s", keys[k]);
	printf("  CGROUP\n");
	for (i = 0; i < t->n; i++) {
		printf("  %8ld %-16s", t->row[i].pid, t->row[i].comm);
		for (k = 0; k < 6; k++)
			printf(" %12s", human(buf, sizeof(buf),
					      kv_get(&t->row[i].counters, keys[k]),
					      o->bytes));
		printf("  %s\n", t->row[i].cgroup);
	}
}

int cmd_cgroup(const struct opts *o, const char *arg)
{
	struct cg c = { .parent = -1 };
	struct task_rows t = { 0 };
	char path[4096], *text;
	int ret, i;

	cgroup_normalise(path, sizeof(path), arg);
	c.path = path;
	ret = read_cgroup_stat(path, &c.stat);
	if (ret)
		goto out;
	text = read_cgroup_tasks(path, &ret);
	if (!text)
		goto out;
	if (tasks_parse(&t, text)) {
		fprintf(stderr, "memacct: malformed tasks file\n");
		ret = EXIT_FORMAT;
	}
	free(text);
	if (ret)
		goto out;
	tasks_sort(&t, "uss");

	if (o->fmt == FMT_PROM) {
		const struct cg *one = &c;

		prom_write(stdout, &one, 1);
	} else if (o->fmt == FMT_JSON) {
		printf("{\"format\": %d, \"cgroup\": ", MEMACCT_FORMAT);
		json_string(stdout, path);
		printf(", \"counters\": ");
		json_numbers(stdout, &c.stat, NULL);
		printf(", \"processes\": [");
		for (i = 0; i < t.n; i++) {
			printf("%s\n  ", i ? "," : "");
			json_task_row(stdout, &t.row[i]);
		}
		printf("\n]}\n");
	} else {
		const struct group groups[] = {
			{ "mapped by its processes", mapped },
			{ "copy-on-write pending", cow },
			{ "charged to it", charged },
		};

		printf("memory cgroup %s\n", path);
		print_groups(o, &c.stat, groups, 3);
		human_processes(o, &t);
	}
out:
	tasks_free(&t);
	kv_free(&c.stat);
	return ret;
}
