// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots: the cgroups' stat files and the processes' rows of the tasks
 * file at one moment, as one line of JSON, and read back for diff, watch
 * and report. A recording is such lines appended to one file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "cgroups.h"
#include "json.h"
#include "snapshot.h"
#include "tasks.h"

static void write_head(FILE *f, const char *scope)
{
	struct timespec ts;
	struct utsname u;
	char when[32];
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (uname(&u))
		memset(&u, 0, sizeof(u));
	fprintf(f, "{\"memacct_snapshot\": %d, \"time\": \"%s\", \"time_ns\": %lld, \"kernel\": ",
		SNAPSHOT_FORMAT, when,
		(long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	json_string(f, u.release);
	fprintf(f, ", \"node\": ");
	json_string(f, u.nodename);
	fprintf(f, ", \"scope\": ");
	json_string(f, scope);
}

static int write_processes(FILE *f, const char *scope)
{
	struct task_rows t = { 0 };
	int ret, i;
	char *text = read_cgroup_tasks(scope, &ret);

	if (!text)
		return ret;
	ret = tasks_parse(&t, text);
	free(text);
	if (ret) {
		tasks_free(&t);
		fprintf(stderr, "memacct: malformed tasks file\n");
		return EXIT_FORMAT;
	}
	fprintf(f, ", \"processes\": [");
	for (i = 0; i < t.n; i++) {
		fprintf(f, "%s", i ? ", " : "");
		json_task_row(f, &t.row[i]);
	}
	fprintf(f, "]");
	tasks_free(&t);
	return EXIT_OK;
}

char *snapshot_text(const char *cgroup, int *status)
{
	struct cgs cgs = { 0 };
	struct cg one = { .parent = -1 };
	char path[4096], *buf = NULL;
	bool first = true;
	size_t len = 0;
	int ret, i;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		*status = report_errno("snapshot", errno);
		return NULL;
	}
	cgroup_normalise(path, sizeof(path), cgroup ? cgroup : "/");
	write_head(m, path);
	fprintf(m, ", \"cgroups\": [");
	if (cgroup) {
		one.path = path;
		ret = read_cgroup_stat(path, &one.stat);
		if (!ret)
			json_cgroup(m, &one, NULL);
		kv_free(&one.stat);
	} else {
		ret = cgs_load(&cgs, true);
		for (i = 0; !ret && i < cgs.n; i++) {
			if (!cgs.cg[i].stat.n)
				continue;	/* removed since the summary */
			fprintf(m, "%s", first ? "" : ", ");
			json_cgroup(m, &cgs.cg[i], &cgs);
			first = false;
		}
		cgs_free(&cgs);
	}
	fprintf(m, "]");
	if (!ret)
		ret = write_processes(m, path);
	fprintf(m, "}\n");
	if (fclose(m) && !ret)
		ret = report_errno("snapshot", ENOMEM);
	if (ret) {
		free(buf);
		buf = NULL;
	}
	*status = ret;
	return buf;
}

int snapshot_write(FILE *f, const char *cgroup)
{
	int ret;
	/*
	 * Everything is read before anything is written, so that a failure
	 * leaves no half a line behind in a recording.
	 */
	char *text = snapshot_text(cgroup, &ret);

	if (!text)
		return ret;
	if (fputs(text, f) == EOF || fflush(f))
		ret = report_io("write", errno);
	free(text);
	return ret;
}

/* A counter's name as the module writes them: [a-z0-9_], at most 64. */
static bool counter_name(const char *k)
{
	size_t n = strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_");

	return n && n <= 64 && !k[n];
}

/* Numbers of a JSON object as a kv, as the module's files give them. */
static int counters_kv(const struct jnode *obj, struct kv *kv)
{
	int i;

	if (!obj || obj->type != J_OBJ)
		return -1;
	for (i = 0; i < obj->n; i++) {
		const struct jnode *v = &obj->kid[i];
		char num[24];

		/* Bytes of memory: beyond 2^62 (4 EiB) it is no counter. */
		if (v->type != J_NUM || !v->is_int || !counter_name(v->key) ||
		    v->num > (1LL << 62) || v->num < -(1LL << 62))
			return -1;
		snprintf(num, sizeof(num), "%lld", v->num);
		if (kv_add(kv, v->key, strlen(v->key), num, strlen(num)))
			return -1;
	}
	return 0;
}

static char *str_of(const struct jnode *n)
{
	return n && n->type == J_STR ? strdup(n->str) : NULL;
}

/* One document into @s: 0, or -1 with @why set. */
static int from_json(const struct jnode *d, struct snap *s, const char **why)
{
	const struct jnode *v = json_get(d, "memacct_snapshot");
	const struct jnode *cgs = json_get(d, "cgroups");
	const struct jnode *procs = json_get(d, "processes");
	int i;

	memset(s, 0, sizeof(*s));
	*why = "not a memacct snapshot";
	if (!v || v->type != J_NUM || !v->is_int)
		return -1;
	*why = "a snapshot of a format this reader does not know";
	if (v->num != SNAPSHOT_FORMAT)
		return -1;
	*why = "a snapshot without its time, kernel, scope, cgroups or processes";
	v = json_get(d, "time_ns");
	if (!v || v->type != J_NUM || !v->is_int || !cgs || cgs->type != J_ARR ||
	    !procs || procs->type != J_ARR)
		return -1;
	s->time_ns = v->num;
	s->kernel = str_of(json_get(d, "kernel"));
	s->node = str_of(json_get(d, "node"));
	s->scope = str_of(json_get(d, "scope"));
	s->cg = calloc(cgs->n + 1, sizeof(*s->cg));
	s->proc = calloc(procs->n + 1, sizeof(*s->proc));
	if (!s->kernel || !s->node || !s->scope || !s->cg || !s->proc)
		return -1;
	*why = "a snapshot with a malformed cgroup or process";
	for (i = 0; i < cgs->n; i++) {
		struct snap_cgroup *c = &s->cg[s->ncg];

		c->path = str_of(json_get(&cgs->kid[i], "path"));
		s->ncg++;
		if (!c->path ||
		    counters_kv(json_get(&cgs->kid[i], "counters"), &c->counters))
			return -1;
	}
	for (i = 0; i < procs->n; i++) {
		const struct jnode *p = &procs->kid[i];
		struct snap_process *r = &s->proc[s->nproc];

		v = json_get(p, "pid");
		r->comm = str_of(json_get(p, "comm"));
		r->cgroup = str_of(json_get(p, "cgroup"));
		s->nproc++;
		if (!v || v->type != J_NUM || !v->is_int || !r->comm ||
		    !r->cgroup || counters_kv(json_get(p, "counters"), &r->counters))
			return -1;
		r->pid = (long)v->num;
	}
	return 0;
}

int snapshot_parse(const char *text, const char *name, struct snap **out,
		   int *n)
{
	const char *p, *why;
	struct snap *s = NULL;
	char err[128];
	int ret = EXIT_OK;

	*n = 0;
	for (p = text; ; ) {
		struct jnode d;
		struct snap *ns;
		size_t used;

		p += strspn(p, " \t\r\n");
		if (!*p)
			break;
		if (json_parse(p, &d, &used, err, sizeof(err))) {
			/*
			 * A recording's last line cut short (the watch was
			 * killed while appending, the disk filled): the
			 * snapshots before it still stand.
			 */
			if (*n && !strchr(p, '\n')) {
				fprintf(stderr, "memacct: %s: its last snapshot is cut short (%s); using the %d before it\n",
					name, err, *n);
				break;
			}
			fprintf(stderr, "memacct: %s: not a complete snapshot: %s (snapshot %d, byte %zu of the file)\n",
				name, err, *n + 1, (size_t)(p - text));
			ret = EXIT_USAGE;
			break;
		}
		ns = realloc(s, (*n + 1) * sizeof(*ns));
		if (!ns) {
			json_free(&d);
			ret = report_errno(name, ENOMEM);
			break;
		}
		s = ns;
		ret = from_json(&d, &s[(*n)++], &why);
		json_free(&d);
		if (ret) {
			fprintf(stderr, "memacct: %s: %s (snapshot %d)\n", name, why, *n);
			ret = EXIT_USAGE;
			break;
		}
		p += used;
	}
	if (!ret && !*n) {
		fprintf(stderr, "memacct: %s: empty, not a snapshot\n", name);
		ret = EXIT_USAGE;
	}
	if (ret) {
		snapshot_free(s, *n);
		s = NULL;
		*n = 0;
	}
	*out = s;
	return ret;
}

int snapshot_load(const char *path, struct snap **out, int *n)
{
	char *text = read_text(path);
	int ret;

	*out = NULL;
	*n = 0;
	if (!text) {
		int err = errno;

		fprintf(stderr, "memacct: %s: %s\n", path, strerror(err));
		return err == ENOENT ? EXIT_NOTFOUND : EXIT_ERROR;
	}
	ret = snapshot_parse(text, path, out, n);
	free(text);
	return ret;
}

void snapshot_free(struct snap *s, int n)
{
	int i, j;

	for (i = 0; s && i < n; i++) {
		for (j = 0; j < s[i].ncg; j++) {
			free(s[i].cg[j].path);
			kv_free(&s[i].cg[j].counters);
		}
		for (j = 0; j < s[i].nproc; j++) {
			free(s[i].proc[j].comm);
			free(s[i].proc[j].cgroup);
			kv_free(&s[i].proc[j].counters);
		}
		free(s[i].cg);
		free(s[i].proc);
		free(s[i].kernel);
		free(s[i].node);
		free(s[i].scope);
	}
	free(s);
}

const struct snap_cgroup *snap_find_cgroup(const struct snap *s,
					   const char *path)
{
	int i;

	for (i = 0; i < s->ncg; i++)
		if (!strcmp(s->cg[i].path, path))
			return &s->cg[i];
	return NULL;
}

const struct snap_process *snap_find_process(const struct snap *s, long pid)
{
	int i;

	for (i = 0; i < s->nproc; i++)
		if (s->proc[i].pid == pid)
			return &s->proc[i];
	return NULL;
}
