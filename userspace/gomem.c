// SPDX-License-Identifier: GPL-2.0
/*
 * The Go runtime's view of its memory (runtime.MemStats, as a service's
 * /debug/pprof/heap?debug=1 or expvar's /debug/vars shows it), and a walk
 * from it to the kernel's exact view of the same process.
 *
 * Where the heap is: on linux/amd64 the runtime asks for its heap arenas
 * at hint addresses i << 40 | 0x00c000000000 (runtime/malloc.go,
 * mallocinit), the first at 0xc000000000, and grows each upwards. An
 * anonymous mapping inside one of those windows is taken as Go heap
 * (which holds the goroutine stacks too). docs/counters.md says when that
 * is wrong.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gomem.h"
#include "http.h"
#include "json.h"

#define GO_HINT_LOW 0x00c000000000ULL
#define GO_HINT_STEP (1ULL << 40)
/* The kernel's mmap base lies in the top windows (0x7e..., 0x7f...). */
#define GO_HINT_WINDOWS 0x7e

int go_arena_range(unsigned long long start, unsigned long long end)
{
	unsigned long long i = start / GO_HINT_STEP;

	return i < GO_HINT_WINDOWS && start % GO_HINT_STEP >= GO_HINT_LOW &&
	       end <= (i + 1) * GO_HINT_STEP;
}

static const struct {
	const char *name;
	size_t off;
} go_fields[] = {
#define X(f) { #f, offsetof(struct gomem, f) },
	GO_FIELDS(X)
#undef X
};
#define NR_GO_FIELDS (sizeof(go_fields) / sizeof(go_fields[0]))

static long long *field(struct gomem *g, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NR_GO_FIELDS; i++)
		if (strlen(go_fields[i].name) == len &&
		    !strncmp(go_fields[i].name, name, len))
			return (long long *)((char *)g + go_fields[i].off);
	return NULL;
}

/* The fields every walk needs; a document without them is not MemStats. */
static int complete(const struct gomem *g)
{
	return g->HeapSys >= 0 && g->HeapInuse >= 0 && g->HeapIdle >= 0 &&
	       g->HeapReleased >= 0 && g->StackSys >= 0 && g->Sys >= 0 &&
	       g->HeapAlloc >= 0 && g->StackInuse >= 0;
}

/* "# Name = 123" and "# Stack = inuse / sys" lines after "# runtime.MemStats". */
static int parse_pprof(const char *text, struct gomem *g)
{
	const char *p = strstr(text, "\n# runtime.MemStats\n");

	if (!p)
		return -1;
	for (p = strchr(p + 1, '\n'); p && !strncmp(p, "\n# ", 3); p = strchr(p + 1, '\n')) {
		const char *name = p + 3, *eq = strstr(name, " = ");
		size_t len = strcspn(name, " \n");
		long long a, b, *f;
		char sub[32];
		int n;

		if (!eq || eq - name != (long)len)
			continue;
		n = sscanf(eq + 3, "%lld / %lld", &a, &b);
		if (n == 2 && len < 16) {
			/* Stack, MSpan, MCache: "<Name>Inuse / <Name>Sys" */
			snprintf(sub, sizeof(sub), "%.*sInuse", (int)len, name);
			f = field(g, sub, strlen(sub));
			if (f)
				*f = a;
			snprintf(sub, sizeof(sub), "%.*sSys", (int)len, name);
			f = field(g, sub, strlen(sub));
			if (f)
				*f = b;
		} else if (n == 1) {
			f = field(g, name, len);
			if (f)
				*f = a;
		}
	}
	g->format = "pprof heap profile";
	return complete(g) ? 0 : -1;
}

/* expvar's {"memstats": {...}}, or a MemStats object on its own. */
static int parse_json(const char *text, struct gomem *g)
{
	struct jnode d;
	const struct jnode *m;
	char err[128];
	size_t used, i;
	int ret = -1;

	if (json_parse(text, &d, &used, err, sizeof(err)))
		return -1;
	m = json_get(&d, "memstats");
	if (!m)
		m = &d;
	for (i = 0; m->type == J_OBJ && i < NR_GO_FIELDS; i++) {
		const struct jnode *v = json_get(m, go_fields[i].name);

		if (v && v->type == J_NUM && v->is_int)
			*(long long *)((char *)g + go_fields[i].off) = v->num;
	}
	g->format = m == &d ? "MemStats JSON" : "expvar memstats";
	if (complete(g))
		ret = 0;
	json_free(&d);
	return ret;
}

int gomem_parse(const char *text, struct gomem *g)
{
	size_t i;

	for (i = 0; i < NR_GO_FIELDS; i++)
		*(long long *)((char *)g + go_fields[i].off) = -1;
	if (strstr(text, "\n# runtime.MemStats\n"))
		return parse_pprof(text, g);
	return parse_json(text, g);
}

int gomem_load(const char *source, struct gomem *g)
{
	char err[256], *text;
	int ret = EXIT_OK;

	if (!strncmp(source, "https://", 8)) {
		fprintf(stderr, "memacct: %s: no TLS here; give an http:// URL or a file saved from it\n",
			source);
		return EXIT_USAGE;
	}
	if (!strncmp(source, "http://", 7)) {
		int bad_url;

		text = http_get(source, err, sizeof(err), &bad_url);
		if (!text) {
			fprintf(stderr, "memacct: %s: ", source);
			print_safe(stderr, err);
			fputc('\n', stderr);
			return bad_url ? EXIT_USAGE : EXIT_NOTFOUND;
		}
	} else {
		text = read_text(source);
		if (!text) {
			int e = errno;

			fprintf(stderr, "memacct: %s: %s\n", source, strerror(e));
			return e == ENOENT ? EXIT_NOTFOUND : EXIT_ERROR;
		}
	}
	if (gomem_parse(text, g)) {
		fprintf(stderr, "memacct: %s: neither a Go heap profile (/debug/pprof/heap?debug=1) nor expvar's /debug/vars with memstats\n",
			source);
		ret = EXIT_USAGE;
	}
	free(text);
	return ret;
}

int go_split(const struct maps *mp, long pid, struct go_split *s)
{
	int anon = maps_col(mp, "rss_anon"), file = maps_col(mp, "rss_file");
	int shmem = maps_col(mp, "rss_shmem"), zero = maps_col(mp, "zero");
	int lazy = maps_col(mp, "lazyfree"), swap = maps_col(mp, "swap");
	int vsz = maps_col(mp, "vsz"), rss = maps_col(mp, "rss"), i, j;

	memset(s, 0, sizeof(*s));
	if (anon < 0 || file < 0 || shmem < 0 || zero < 0 || lazy < 0 ||
	    swap < 0 || vsz < 0 || rss < 0)
		return -1;
	for (i = 0; i < mp->n; i++) {
		const struct mapping *m = &mp->m[i];
		long long fsum = 0;

		if (m->pid != pid)
			continue;
		s->rss += m->v[rss];
		s->zero += m->v[zero];
		s->swap += m->v[swap];
		s->shmem_rss += m->v[shmem];
		if (!*m->path && go_arena_range(m->start, m->end)) {
			/* Reserved but unused arena space is PROT_NONE. */
			if (m->perms[0] == 'r') {
				s->arenas++;
				s->arena_vsz += m->v[vsz];
			}
			s->arena_anon += m->v[anon];
			s->arena_zero += m->v[zero];
			s->arena_lazyfree += m->v[lazy];
			s->arena_swap += m->v[swap];
			continue;
		}
		if (!strcmp(m->path, "[heap]"))
			s->brk_anon += m->v[anon];
		else if (!strcmp(m->path, "[stack]"))
			s->stack_anon += m->v[anon];
		else
			s->other_anon += m->v[anon];
		s->file_rss += m->v[file];
		if (m->path[0] != '/')
			continue;
		for (j = 0; j < mp->n; j++)
			if (mp->m[j].pid == pid && !strcmp(mp->m[j].path, m->path))
				fsum += mp->m[j].v[file];
		if (fsum > s->top_file_rss) {
			s->top_file_rss = fsum;
			s->top_file = m->path;
		}
	}
	return 0;
}

struct step {
	const char *what;
	long long bytes;
	int sign;		/* '+', '-', '=' or 0 for a plain line */
};

static long long go_meta(const struct gomem *g)
{
	long long v = 0;

	v += g->MSpanSys > 0 ? g->MSpanSys : 0;
	v += g->MCacheSys > 0 ? g->MCacheSys : 0;
	v += g->BuckHashSys > 0 ? g->BuckHashSys : 0;
	v += g->GCSys > 0 ? g->GCSys : 0;
	v += g->OtherSys > 0 ? g->OtherSys : 0;
	return v;
}

static int go_steps(const struct gomem *g, const struct go_split *s,
		    struct step *st)
{
	long long held = g->HeapInuse + g->StackInuse + g->HeapIdle - g->HeapReleased;
	long long kernel = s->arena_anon + s->arena_zero + s->arena_swap;
	int n = 0;

#define STEP(w, b, c) (st[n++] = (struct step){ (w), (b), (c) })
	STEP("the Go runtime (MemStats)", 0, 0);
	STEP("live heap objects (HeapAlloc: what pprof's inuse_space samples)", g->HeapAlloc, ' ');
	STEP("free space in the spans in use (HeapInuse - HeapAlloc)", g->HeapInuse - g->HeapAlloc, '+');
	STEP("goroutine stacks (StackInuse)", g->StackInuse, '+');
	STEP("idle spans kept, not yet released (HeapIdle - HeapReleased)", g->HeapIdle - g->HeapReleased, '+');
	STEP("held by the runtime in its heap arenas", held, '=');
	STEP("released to the OS (HeapReleased): mapped, not resident until reused", g->HeapReleased, '+');
	STEP("runtime metadata (MSpanSys + MCacheSys + BuckHashSys + GCSys + OtherSys)", go_meta(g), '+');
	STEP("stack memory not in use (StackSys - StackInuse)", g->StackSys - g->StackInuse, '+');
	STEP("all the runtime got from the OS (Sys)", g->Sys, '=');
	STEP("the kernel: the Go heap arenas", 0, 0);
	STEP("mapped read-write", s->arena_vsz, ' ');
	STEP("resident, anonymous (charged to the memory cgroup)", s->arena_anon, ' ');
	STEP("of which lazily freed (MADV_FREE): reclaimable, still in RSS", s->arena_lazyfree, ' ');
	STEP("zero page: read, never written (charged to nobody)", s->arena_zero, ' ');
	STEP("swapped out", s->arena_swap, ' ');
	STEP("neither: never touched, or released with MADV_DONTNEED", s->arena_vsz - kernel, ' ');
	STEP("held by the runtime less resident, zero page and swap (above 0: held, never touched; below 0: the kernel has more than the runtime holds)", held - kernel, ' ');
	STEP("outside the Go heap, the same process", 0, 0);
	STEP("other anonymous memory: runtime metadata, thread stacks, mmap'd C malloc", s->other_anon, ' ');
	STEP("C malloc heap ([heap], brk: cgo)", s->brk_anon, ' ');
	STEP("main thread stack ([stack])", s->stack_anon, ' ');
	STEP("the binary, shared libraries and mapped files", s->file_rss, ' ');
	STEP("shmem, tmpfs and memfd (a binary on tmpfs too)", s->shmem_rss, ' ');
	STEP("the process's RSS", s->rss, '=');
#undef STEP
	return n;
}

void go_print(FILE *f, const struct opts *o, const struct gomem *g,
	      const struct go_split *s, long pid, const char *source)
{
	struct step st[32];
	char buf[64];
	int n = go_steps(g, s, st), i;

	fprintf(f, "\nthe Go runtime of process %ld against the kernel (%s: %s)\n",
		pid, g->format, source);
	for (i = 0; i < n; i++) {
		if (!st[i].sign) {
			fprintf(f, "  %s\n", st[i].what);
			continue;
		}
		fprintf(f, "    %c %14s  %s\n", st[i].sign,
			human(buf, sizeof(buf), st[i].bytes, o->bytes), st[i].what);
	}
	if (s->top_file)
		fprintf(f, "  the file mapping the most: %s, %s\n", s->top_file,
			human(buf, sizeof(buf), s->top_file_rss, o->bytes));
	if (!s->arenas)
		fprintf(f, "  no mapping at Go's heap arena addresses: a race-detector build, a non-amd64 runtime, or a heap mapped elsewhere; the arena lines are empty\n");
	if (g->HeapReleased && !s->arena_lazyfree)
		fprintf(f, "  the runtime's released memory is not resident (MADV_DONTNEED, Go's default since 1.16): it costs nothing\n");
	if (s->arena_lazyfree)
		fprintf(f, "  %s lazily freed: the runtime released it with MADV_FREE (GODEBUG=madvdontneed=0, or Go 1.12-1.15); RSS and the cgroup keep it until memory is short\n",
			human(buf, sizeof(buf), s->arena_lazyfree, o->bytes));
	if (s->arena_zero)
		fprintf(f, "  %s of the heap is the zero page: the runtime counts it in use, the kernel charges it on the first write\n",
			human(buf, sizeof(buf), s->arena_zero, o->bytes));
}

void go_json(FILE *f, const struct gomem *g, const struct go_split *s,
	     long pid, const char *source)
{
	struct step st[32];
	int n = go_steps(g, s, st), i;
	size_t k;

	fprintf(f, "{\"pid\": %ld, \"source\": ", pid);
	json_string(f, source);
	fprintf(f, ", \"format\": ");
	json_string(f, g->format);
	fprintf(f, ", \"memstats\": {");
	for (k = 0; k < NR_GO_FIELDS; k++)
		fprintf(f, "%s\"%s\": %lld", k ? ", " : "", go_fields[k].name,
			*(const long long *)((const char *)g + go_fields[k].off));
	fprintf(f, "}, \"arenas\": {\"mappings\": %d, \"vsz\": %lld, \"rss_anon\": %lld, \"lazyfree\": %lld, \"zero\": %lld, \"swap\": %lld}",
		s->arenas, s->arena_vsz, s->arena_anon, s->arena_lazyfree,
		s->arena_zero, s->arena_swap);
	fprintf(f, ", \"outside\": {\"other_anon\": %lld, \"brk_heap\": %lld, \"stack\": %lld, \"file\": %lld, \"shmem\": %lld, \"rss\": %lld}, \"walk\": [",
		s->other_anon, s->brk_anon, s->stack_anon, s->file_rss,
		s->shmem_rss, s->rss);
	for (i = 0, k = 0; i < n; i++) {
		if (!st[i].sign)
			continue;
		fprintf(f, "%s{\"what\": ", k++ ? ", " : "");
		json_string(f, st[i].what);
		fprintf(f, ", \"bytes\": %lld}", st[i].bytes);
	}
	fprintf(f, "]}");
}

long go_pick(const struct maps *mp, struct go_split *s)
{
	long best = 0, last = 0;
	long long best_arena = -1, best_rss = -1;
	struct go_split t;
	int i;

	for (i = 0; i < mp->n; i++) {
		long long arena;

		if (mp->m[i].pid == last)
			continue;	/* rows of a process are together */
		last = mp->m[i].pid;
		if (go_split(mp, last, &t))
			return -2;
		arena = t.arena_anon + t.arena_zero + t.arena_vsz;
		if (arena > best_arena || (arena == best_arena && t.rss > best_rss)) {
			best = last;
			best_arena = arena;
			best_rss = t.rss;
			*s = t;
		}
	}
	return best ? best : -1;
}
