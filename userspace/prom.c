// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text exposition, as Prometheus' naming guidance has it: one
 * gauge family per counter (memacct_cgroup_<counter>_bytes), each with a
 * HELP line saying what it counts, and labels a dashboard can group by:
 * the cgroup, and where its path says so the Kubernetes pod, the container
 * and its runtime, and the systemd unit.
 */
#include <string.h>

#include "cgroups.h"
#include "prom.h"

/* One line each, from docs/counters.md ("Per cgroup"). */
static const struct {
	const char *key, *help;
} helps[] = {
	{ "rss", "Pages mapped by the cgroup's processes, each counted once." },
	{ "rss_anon", "Anonymous pages mapped by the cgroup's processes, each once." },
	{ "rss_file", "Page-cache pages (not shmem) mapped by the cgroup's processes, each once." },
	{ "rss_shmem", "Shmem, tmpfs and memfd pages mapped by the cgroup's processes, each once." },
	{ "private", "Mapped pages whose every mapping belongs to the cgroup's processes." },
	{ "shared_external", "Mapped pages also mapped by processes outside the cgroup." },
	{ "pss", "The proportional set size of the cgroup's processes, summed." },
	{ "swap", "Swap entries in the page tables of the cgroup's processes." },
	{ "zero", "Zero-page mappings: memory read but never written, charged to nobody." },
	{ "cow_pending", "What writes to copy-on-write mappings could still allocate." },
	{ "cow_pending_anon", "Anonymous pages shared since fork() that a write would copy." },
	{ "cow_pending_zero", "Zero-page mappings in writable private mappings." },
	{ "cow_pending_file", "File pages in writable private mappings that a write would copy." },
	{ "lazyfree", "Mapped pages freed with MADV_FREE and not yet reclaimed." },
	{ "locked", "Mapped pages that an mlocked mapping of the cgroup's processes maps." },
	{ "mapped_charged_elsewhere", "Pages the cgroup's processes map that another cgroup is charged for." },
	{ "charged_anon", "Anonymous pages charged to the cgroup." },
	{ "charged_file_mapped", "Page-cache pages charged to the cgroup that some process maps." },
	{ "charged_file_unmapped", "Page-cache pages charged to the cgroup that no process maps." },
	{ "charged_shmem", "Shmem and tmpfs pages charged to the cgroup." },
	{ "charged_swapcache", "Swap-cache pages charged to the cgroup." },
	{ "charged_kernel_pages", "Whole kernel pages charged to the cgroup: page tables, kernel stacks, vmalloc." },
	{ "charged_other", "Charged pages of no other category (being freed)." },
	{ "charged_mapped_outside_only", "Pages charged to the cgroup that only processes elsewhere map." },
	{ "charged_root_uncounted", "Pages charged to the root memcg itself, which no page counter counts." },
	{ "memory_current", "The cgroup's page counter, as memory.current shows it." },
	{ "unexplained", "memory.current less every charged category: slab, percpu, sockets, charge batches." },
	{ "charge_batch_bound", "The most per-CPU charge batching can hold: 64 pages per possible CPU." },
};

static const char *help_of(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		if (!strcmp(helps[i].key, key))
			return helps[i].help;
	return "A memacct counter (see docs/counters.md).";
}

/* The id after @prefix up to @suffix in @seg, into @out; 0 if found. */
static int id_between(const char *seg, size_t len, const char *prefix,
		      const char *suffix, char *out, size_t outlen)
{
	size_t p = strlen(prefix), s = strlen(suffix), n;

	if (len <= p + s || strncmp(seg, prefix, p) ||
	    strncmp(seg + len - s, suffix, s))
		return -1;
	n = len - p - s;
	if (n >= outlen)
		return -1;
	memcpy(out, seg + p, n);
	out[n] = '\0';
	return 0;
}

static int all_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return 0;
	return len == 64;
}

void prom_labels_of(const char *path, struct prom_labels *l)
{
	static const struct {
		const char *prefix, *runtime;
	} runtimes[] = {
		{ "cri-containerd-", "containerd" }, { "crio-", "cri-o" },
		{ "docker-", "docker" }, { "libpod-", "podman" },
	};
	const char *seg = path, *next;
	bool kube = strstr(path, "kubepods") != NULL;

	memset(l, 0, sizeof(*l));
	for (; *seg; seg = next) {
		size_t len, i;
		char *c;

		while (*seg == '/')
			seg++;
		next = seg + strcspn(seg, "/");
		len = next - seg;
		if (!len)
			break;
		/* systemd: kubepods-burstable-pod<uid, '_' for '-'>.slice */
		if (kube && !id_between(seg, len, "kubepods-", ".slice", l->pod_uid,
					sizeof(l->pod_uid))) {
			c = strstr(l->pod_uid, "pod");
			if (c) {
				memmove(l->pod_uid, c + 3, strlen(c + 3) + 1);
				for (c = l->pod_uid; *c; c++)
					if (*c == '_')
						*c = '-';
			} else {
				l->pod_uid[0] = '\0';
			}
		}
		/* cgroupfs driver: /kubepods/<qos>/pod<uid>/<id> */
		if (kube && len > 3 && !strncmp(seg, "pod", 3) && len - 3 < sizeof(l->pod_uid) &&
		    !memchr(seg, '.', len)) {
			memcpy(l->pod_uid, seg + 3, len - 3);
			l->pod_uid[len - 3] = '\0';
		}
		for (i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
			char id[sizeof(l->container_id)];

			/* crio-conmon-<id>.scope is the monitor, not the container */
			if (!id_between(seg, len, runtimes[i].prefix, ".scope", id,
					sizeof(id)) && strncmp(id, "conmon-", 7)) {
				strcpy(l->container_id, id);
				l->runtime = runtimes[i].runtime;
				break;
			}
		}
		if (i == sizeof(runtimes) / sizeof(runtimes[0]) && all_hex(seg, len)) {
			memcpy(l->container_id, seg, len);
			l->container_id[len] = '\0';
			/* /docker/<id> (cgroupfs driver); under kubepods: unknown */
			l->runtime = seg - path >= 7 && !strncmp(seg - 7, "docker/", 7) ?
				     "docker" : NULL;
		}
		if ((len > 8 && !strncmp(next - 8, ".service", 8)) ||
		    (len > 6 && !strncmp(next - 6, ".scope", 6))) {
			memcpy(l->systemd_unit, seg, len < sizeof(l->systemd_unit) ?
			       len : sizeof(l->systemd_unit) - 1);
			l->systemd_unit[len < sizeof(l->systemd_unit) ? len :
					sizeof(l->systemd_unit) - 1] = '\0';
		}
	}
}

static void labels(FILE *f, const char *path)
{
	struct prom_labels l;

	prom_labels_of(path, &l);
	fprintf(f, "{cgroup=");
	prom_label(f, path);
	if (*l.pod_uid) {
		fprintf(f, ",pod_uid=");
		prom_label(f, l.pod_uid);
	}
	if (*l.container_id) {
		fprintf(f, ",container_id=");
		prom_label(f, l.container_id);
	}
	if (l.runtime) {
		fprintf(f, ",container_runtime=");
		prom_label(f, l.runtime);
	}
	if (*l.systemd_unit) {
		fprintf(f, ",systemd_unit=");
		prom_label(f, l.systemd_unit);
	}
	fputc('}', f);
}

/* A counter's family name: memacct_cgroup_<key>_bytes. */
static void family(FILE *f, const char *key)
{
	if (!strcmp(key, "nr_processes"))
		fprintf(f, "memacct_cgroup_processes");
	else
		fprintf(f, "memacct_cgroup_%s_bytes", key);
}

void prom_write(FILE *f, const struct cg *const *cg, int n)
{
	const struct kv *first;
	int k, i;

	if (!n)
		return;
	first = cg[0]->stat.n ? &cg[0]->stat : &cg[0]->sum;
	/* Families in the first cgroup's order; each one's samples together. */
	for (k = 0; k < first->n; k++) {
		const char *key = first->e[k].key;
		long long v;

		if (!kv_num(first, key, &v))
			continue;
		fprintf(f, "# HELP ");
		family(f, key);
		fprintf(f, " %s\n# TYPE ", !strcmp(key, "nr_processes") ?
			"Processes in the cgroup and below it." : help_of(key));
		family(f, key);
		fprintf(f, " gauge\n");
		for (i = 0; i < n; i++) {
			const struct kv *kv = cg[i]->stat.n ? &cg[i]->stat : &cg[i]->sum;

			if (!kv_num(kv, key, &v))
				continue;
			family(f, key);
			labels(f, cg[i]->path);
			fprintf(f, " %lld\n", v);
		}
	}
}
