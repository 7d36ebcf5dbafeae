// SPDX-License-Identifier: GPL-2.0
/* memacct task PID: one process, every counter, grouped. */
#include <stdlib.h>
#include <string.h>

#include "gomem.h"
#include "groups.h"

static const struct counter_doc resident[] = {
	{ "vsz", "address space mapped (VmSize)" },
	{ "rss", "resident: pages mapped (smaps Rss)" },
	{ "rss_anon", "anonymous" },
	{ "rss_file", "file page cache" },
	{ "rss_shmem", "shmem, tmpfs, memfd" },
	{ "anon_thp", "anonymous, in 2 MiB THPs" },
	{ "file_thp", "file, in 2 MiB THPs" },
	{ "shmem_thp", "shmem, in 2 MiB THPs" },
	{ "hugetlb", "hugetlbfs pages (not in rss)" },
	{ "shared_hugetlb", "  mapped more than once, or through a shared table" },
	{ "private_hugetlb", "  mapped by this process alone" },
	{ "swap", "swapped out" },
	{ "pagetables", "its page tables (kernel memory)" },
	{ NULL },
};

static const struct counter_doc proportional[] = {
	{ "uss", "only this process maps (private)" },
	{ "shared", "also mapped elsewhere (or twice here)" },
	{ "pss", "proportional share (smaps Pss)" },
	{ "pss_anon", "" },
	{ "pss_file", "" },
	{ "pss_shmem", "" },
	{ "private_clean", "" },
	{ "private_dirty", "" },
	{ "shared_clean", "" },
	{ "shared_dirty", "" },
	{ NULL },
};

static const struct counter_doc cow[] = {
	{ "zero", "mapped to the zero page: reads as zeroes, costs nothing yet" },
	{ "cow_pending", "a write would allocate a new page" },
	{ "cow_pending_zero", "  zero-page mappings" },
	{ "cow_pending_file", "  private file mappings not yet copied" },
	{ "cow_pending_anon", "  anonymous pages shared after fork, KSM" },
	{ NULL },
};

static const struct counter_doc reclaim[] = {
	{ "referenced", "accessed since the bits were last cleared (smaps Referenced)" },
	{ "lazyfree", "freed with MADV_FREE, still resident until reclaim" },
	{ "locked", "proportional share in mlocked mappings (smaps Locked)" },
	{ "pss_dirty", "proportional share of dirty pages" },
	{ "ksm", "mapped from pages KSM merged" },
	{ NULL },
};

int cmd_task(const struct opts *o, const char *arg)
{
	static const char *const skip[] = { "pid", "comm", "cgroup", NULL };
	struct kv kv = { 0 };
	struct maps mp = { 0 };
	struct gomem gm;
	struct go_split gs;
	char comm[256], cgroup[4096], buf[64];
	char *end;
	long pid = strtol(arg, &end, 10);
	int ret;

	if (*end || pid <= 0 || pid > 0x7fffffff) {
		fprintf(stderr, "memacct: not a process id: %s\n", arg);
		return EXIT_USAGE;
	}
	if (o->go) {
		ret = gomem_load(o->go, &gm);
		if (!ret)
			ret = read_maps((pid_t)pid, &mp);
		if (!ret && go_split(&mp, pid, &gs)) {
			fprintf(stderr, "memacct: the maps file lacks a column the Go walk needs\n");
			ret = EXIT_FORMAT;
		}
		if (ret) {
			maps_free(&mp);
			return ret;
		}
	}
	ret = read_task((pid_t)pid, &kv);
	if (ret) {
		maps_free(&mp);
		return ret;
	}
	snprintf(comm, sizeof(comm), "%s", kv_str(&kv, "comm") ? kv_str(&kv, "comm") : "?");
	snprintf(cgroup, sizeof(cgroup), "%s", kv_str(&kv, "cgroup") ? kv_str(&kv, "cgroup") : "?");
	unescape(comm);
	unescape(cgroup);

	if (o->fmt == FMT_JSON) {
		printf("{\"pid\": %ld, \"comm\": ", pid);
		json_string(stdout, comm);
		printf(", \"cgroup\": ");
		json_string(stdout, cgroup);
		printf(", \"counters\": ");
		json_numbers(stdout, &kv, skip);
		if (o->go) {
			printf(", \"go\": ");
			go_json(stdout, &gm, &gs, pid, o->go);
		}
		printf("}\n");
	} else {
		long long rss = kv_get(&kv, "rss");
		long long own = kv_get(&kv, "charged_own");
		long long other = kv_get(&kv, "charged_other");
		const struct group groups[] = {
			{ "resident", resident },
			{ "proportional", proportional },
			{ "copy-on-write pending", cow },
			{ "reclaim and access", reclaim },
		};

		printf("process %ld (%s), memory cgroup %s\n", pid, comm, cgroup);
		print_groups(o, &kv, groups, 4);
		printf("charged (of rss)\n");
		printf("  %-28s %14s  to %s\n", "charged_own",
		       human(buf, sizeof(buf), own, o->bytes), cgroup);
		printf("  %-28s %14s  to other cgroups (shared libraries, files read first elsewhere)\n",
		       "charged_other", human(buf, sizeof(buf), other, o->bytes));
		printf("  %-28s %14s  to no cgroup\n", "uncharged",
		       human(buf, sizeof(buf), rss - own - other, o->bytes));
		if (o->go)
			go_print(stdout, o, &gm, &gs, pid, o->go);
	}
	kv_free(&kv);
	maps_free(&mp);
	return EXIT_OK;
}
