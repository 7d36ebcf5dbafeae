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

/* One line each, from docs/counters.md ("Per cgroup"); every value covers
 * the cgroup and its descendants, as memory.current does. */
static const struct {
	const char *key, *help;
} helps[] = {
	{ "rss", "Bytes of pages mapped by the processes of the cgroup and its descendants, each page once." },
	{ "rss_anon", "Bytes of anonymous pages mapped by the processes of the cgroup and its descendants, each once." },
	{ "rss_file", "Bytes of page-cache pages (not shmem) mapped by the cgroup's processes (descendants included), each once." },
	{ "rss_shmem", "Bytes of shmem, tmpfs and memfd pages mapped by the cgroup's processes (descendants included), each once." },
	{ "private", "Bytes of mapped pages whose every mapping belongs to the cgroup's processes (descendants included)." },
	{ "shared_external", "Bytes of mapped pages also mapped by processes outside the cgroup and its descendants." },
	{ "pss", "Bytes: the proportional set size of the cgroup's processes (descendants included), summed." },
	{ "swap", "Bytes of swap the page tables of the cgroup's processes (descendants included) point to." },
	{ "zero", "Bytes of zero-page mappings (read, never written, charged to nobody) of the cgroup's processes, descendants included." },
	{ "cow_pending", "Bytes that writes to copy-on-write mappings of the cgroup's processes (descendants included) could allocate." },
	{ "cow_pending_anon", "Bytes of anonymous pages shared since fork() that a write would copy (cgroup and descendants)." },
	{ "cow_pending_zero", "Bytes of zero-page mappings in writable private mappings (cgroup and descendants)." },
	{ "cow_pending_file", "Bytes of file pages in writable private mappings that a write would copy (cgroup and descendants)." },
	{ "lazyfree", "Bytes of mapped pages freed with MADV_FREE and not yet reclaimed (cgroup and descendants)." },
	{ "locked", "Bytes of pages an mlocked mapping of the cgroup's processes maps (descendants included)." },
	{ "mapped_charged_elsewhere", "Bytes of pages the cgroup's processes (descendants included) map that another cgroup is charged for." },
	{ "charged_anon", "Bytes of anonymous pages charged to the cgroup and its descendants." },
	{ "charged_file_mapped", "Bytes of page cache charged to the cgroup and its descendants that some process maps." },
	{ "charged_file_unmapped", "Bytes of page cache charged to the cgroup and its descendants that no process maps." },
	{ "charged_shmem", "Bytes of shmem and tmpfs pages charged to the cgroup and its descendants." },
	{ "charged_swapcache", "Bytes of swap-cache pages charged to the cgroup and its descendants." },
	{ "charged_kernel_pages", "Bytes of whole kernel pages (page tables, kernel stacks, vmalloc) charged to the cgroup and its descendants." },
	{ "charged_other", "Bytes of charged pages of no other category, being freed (cgroup and descendants)." },
	{ "charged_mapped_outside_only", "Bytes charged to the cgroup and its descendants that only processes elsewhere map." },
	{ "charged_root_uncounted", "Bytes charged to the root memcg itself, which no page counter counts." },
	{ "memory_current", "Bytes in the cgroup's page counter (memory.current), descendants included." },
	{ "unexplained", "Bytes of memory.current in no charged category: slab, percpu, sockets, charge batches." },
};

static const char *help_of(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		if (!strcmp(helps[i].key, key))
			return helps[i].help;
	return "Bytes of a memacct counter of the cgroup and its descendants (see docs/counters.md).";
}

static bool all_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

/* A container id: 64 hex digits. */
static bool is_id(const char *s, size_t len)
{
	return len == 64 && all_hex(s, len);
}

/* A pod uid: a UUID, with '-' or (in systemd slice names) '_'. */
static bool uid_into(const char *s, size_t len, char *out)
{
	size_t i;

	if (len != 36)
		return false;
	for (i = 0; i < len; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' && s[i] != '_' : !all_hex(s + i, 1))
			return false;
		out[i] = dash ? '-' : s[i];
	}
	out[len] = '\0';
	return true;
}

/* Whether @word occurs in the @len bytes at @s (memmem is not C11). */
static bool contains(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; i + n <= len; i++)
		if (!strncmp(s + i, word, n))
			return true;
	return false;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !strncmp(s + len - n, suffix, n);
}

/* The pod of a segment: kubepods-<qos>-pod<uid>.slice (systemd driver,
 * perhaps under a custom root: kubelet-kubepods-...), pod<uid> under a
 * kubepods segment (cgroupfs driver). */
static bool pod_of(const char *seg, size_t len, bool under_kubepods, char *out)
{
	const char *p;

	if (ends_with(seg, len, ".slice") && contains(seg, len, "kubepods")) {
		/* the last "-pod" before ".slice", never read before @seg */
		for (p = seg + len - 6; p - seg >= 4; p--)
			if (!strncmp(p - 4, "-pod", 4))
				return uid_into(p, seg + len - 6 - p, out);
		return false;
	}
	return under_kubepods && len > 3 && !strncmp(seg, "pod", 3) &&
	       uid_into(seg + 3, len - 3, out);
}

/* The container of a segment: <runtime prefix><id>[.scope], or an id alone. */
static bool container_of(const char *seg, size_t len, bool under_docker,
			 bool under_kubepods, struct prom_labels *l)
{
	static const struct {
		const char *prefix, *runtime;
	} runtimes[] = {
		{ "cri-containerd-", "containerd" }, { "crio-", "cri-o" },
		{ "docker-", "docker" }, { "libpod-", "podman" },
	};
	size_t i;

	if (ends_with(seg, len, ".scope"))
		len -= 6;
	for (i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		size_t p = strlen(runtimes[i].prefix);

		/* crio-conmon-<id> is the monitor: not an id, so no match */
		if (len > p && !strncmp(seg, runtimes[i].prefix, p) &&
		    is_id(seg + p, len - p)) {
			memcpy(l->container_id, seg + p, len - p);
			l->container_id[len - p] = '\0';
			l->runtime = runtimes[i].runtime;
			return true;
		}
	}
	if ((under_docker || under_kubepods) && is_id(seg, len)) {
		memcpy(l->container_id, seg, len);
		l->container_id[len] = '\0';
		/* /docker/<id> (cgroupfs driver); under kubepods: not said */
		l->runtime = under_docker ? "docker" : NULL;
		return true;
	}
	return false;
}

/*
 * Labels from the path's segments. Values are hierarchical, so a label is
 * set only where the cgroup itself is what it names: container_id and
 * systemd_unit on the cgroup whose last segment names them, pod_uid on
 * the pod's cgroup and its containers (not deeper), so that summing by a
 * label adds no cgroup to its own parent.
 */
void prom_labels_of(const char *path, struct prom_labels *l)
{
	bool kubepods = false, docker = false, last;
	const char *seg = path, *next;
	int pod_depth = -1, depth = 0;
	char uid[40];

	memset(l, 0, sizeof(*l));
	for (; *seg; seg = next, depth++) {
		size_t len;

		while (*seg == '/')
			seg++;
		next = seg + strcspn(seg, "/");
		len = next - seg;
		if (!len)
			break;
		last = !next[strspn(next, "/")];
		if (pod_of(seg, len, kubepods, uid)) {
			strcpy(l->pod_uid, uid);
			pod_depth = depth;
		} else if (pod_depth >= 0 && depth > pod_depth + 1) {
			l->pod_uid[0] = '\0';	/* below a container */
		}
		if (last) {
			container_of(seg, len, docker, kubepods, l);
			if ((ends_with(seg, len, ".service") || ends_with(seg, len, ".scope")) &&
			    len < sizeof(l->systemd_unit)) {
				memcpy(l->systemd_unit, seg, len);
				l->systemd_unit[len] = '\0';
			}
		}
		kubepods |= len >= 8 && contains(seg, len, "kubepods");
		docker = len == 6 && !strncmp(seg, "docker", 6);
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

static const struct kv *stat_of(const struct cg *c)
{
	return c->stat.n ? &c->stat : &c->sum;
}

/* Whether @key is a family of its own: a name Prometheus takes, first seen
 * at cgroup @i, position @k (not a repeat of an earlier one). */
static bool new_family(const struct cg *const *cg, int i, int k)
{
	const char *key = stat_of(cg[i])->e[k].key;
	size_t n = strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_");
	int j, m;

	if (!n || key[n] || !strcmp(key, "charge_batch_bound"))
		return false;
	for (j = 0; j <= i; j++)
		for (m = 0; m < (j == i ? k : stat_of(cg[j])->n); m++)
			if (!strcmp(stat_of(cg[j])->e[m].key, key))
				return false;
	return true;
}

static void one_family(FILE *f, const struct cg *const *cg, int n,
		       const char *key)
{
	long long v;
	int i;

	fprintf(f, "# HELP ");
	family(f, key);
	fprintf(f, " %s\n# TYPE ", !strcmp(key, "nr_processes") ?
		"Processes in the cgroup and its descendants." : help_of(key));
	family(f, key);
	fprintf(f, " gauge\n");
	for (i = 0; i < n; i++) {
		const struct kv *kv = stat_of(cg[i]);
		int k;

		/* The first value of a repeated key, as kv_num reads it. */
		for (k = 0; k < kv->n && strcmp(kv->e[k].key, key); k++)
			;
		if (k == kv->n || !kv_num(kv, key, &v) || !strcmp(cg[i]->path, "-"))
			continue;
		family(f, key);
		labels(f, cg[i]->path);
		fprintf(f, " %lld\n", v);
	}
}

void prom_write(FILE *f, const struct cg *const *cg, int n)
{
	long long bound = -1;
	int i, k;

	/* Families in order of first appearance; each one's samples together. */
	for (i = 0; i < n; i++) {
		const struct kv *kv = stat_of(cg[i]);

		if (bound < 0)
			kv_num(kv, "charge_batch_bound", &bound);
		for (k = 0; k < kv->n; k++) {
			long long v;

			if (new_family(cg, i, k) && kv_num(kv, kv->e[k].key, &v))
				one_family(f, cg, n, kv->e[k].key);
		}
	}
	if (bound >= 0)
		fprintf(f, "# HELP memacct_charge_batch_bound_bytes The most that per-CPU charge batching can hold, for any cgroup: 64 pages per possible CPU.\n"
			"# TYPE memacct_charge_batch_bound_bytes gauge\n"
			"memacct_charge_batch_bound_bytes %lld\n", bound);
}
