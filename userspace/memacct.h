/* SPDX-License-Identifier: GPL-2.0 */
/* The memacct reader: shared declarations. */
#ifndef MEMACCT_READER_H
#define MEMACCT_READER_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* Exit statuses, documented in docs/memacct.1. */
enum {
	EXIT_OK = 0,
	EXIT_MISMATCH = 1,	/* validate found a difference it cannot explain */
	EXIT_USAGE = 2,
	EXIT_PERM = 3,		/* not root */
	EXIT_NOMODULE = 4,	/* debugfs not mounted or module not loaded */
	EXIT_NOTFOUND = 5,	/* no such cgroup or process */
	EXIT_FORMAT = 6,	/* the module speaks a format this reader does not */
	EXIT_ERROR = 7,		/* anything else (I/O errors, memory) */
};

#define MEMACCT_FORMAT 1

enum format { FMT_HUMAN, FMT_JSON, FMT_PROM };

struct opts {
	enum format fmt;
	bool bytes;		/* -b: raw bytes instead of human units */
	double delay;		/* top: seconds between refreshes */
	int iterations;		/* top: 0 = until interrupted */
	const char *sort;	/* top: counter to sort by */
	bool processes;		/* top: processes instead of cgroups */
	const char *out;	/* snapshot, watch: -o FILE */
	const char *go;		/* task, explain: --go SOURCE */
	const char *textfile;	/* export: --textfile DIR */
};

/* ---- kv.c: "key value" text ---- */

struct kv_entry {
	char *key;
	char *val;		/* the raw text */
};

struct kv {
	int n, cap;
	struct kv_entry *e;
};

/* Parse "key value" lines (memacct's files, memory.stat). 0 or -1. */
int kv_parse(struct kv *kv, const char *text);
/* Parse "Key:   123 kB" lines (/proc/PID/status, smaps_rollup); kB
 * values are converted to bytes. 0 or -1. */
int kv_parse_proc(struct kv *kv, const char *text);
/* Append @key = @val (copied): 0, or -1 if memory ran out. */
int kv_add(struct kv *kv, const char *key, size_t klen, const char *val,
	   size_t vlen);
void kv_free(struct kv *kv);
const char *kv_str(const struct kv *kv, const char *key);
/* The value as a number; false if missing or not a number. */
bool kv_num(const struct kv *kv, const char *key, long long *v);
/* The value, or 0 if missing (for optional keys). */
long long kv_get(const struct kv *kv, const char *key);
/* Set @key's value to @val (@v), adding it if missing. 0 or -1. */
int kv_set(struct kv *kv, const char *key, const char *val);
int kv_set_num(struct kv *kv, const char *key, long long v);

/* ---- source.c: the module's files and the kernel's ---- */

extern const char *memacct_dir;		/* MEMACCT_DIR or the debugfs path */
extern const char *cgroup_root;		/* MEMACCT_CGROUP_ROOT or /sys/fs/cgroup */

/* Read a whole file (or the rest of an open one); NULL with errno set on
 * failure. */
char *read_text(const char *path);
char *read_fd(int fd);
/* Check that the module is there and speaks our format; prints the reason
 * and returns an EXIT_* status if not. */
int source_check(void);
/* The mirror path of a cgroup path ("/a/stat" -> "<dir>/a/@stat"). */
int mirror_path(char *out, size_t len, const char *cgroup, const char *file);
/* The cgroup's file @file (stat, tasks, files); NULL with *status an
 * EXIT_* status (messages printed). */
char *read_cgroup_file(const char *cgroup, const char *file, int *status);
/* The cgroup's stat / tasks; EXIT_* status (messages printed). The stat
 * as the module gives it (_raw), or its LRU view completed from the
 * summary (cgroups.c). */
int read_cgroup_stat_raw(const char *cgroup, struct kv *kv);
int read_cgroup_stat(const char *cgroup, struct kv *kv);
char *read_cgroup_tasks(const char *cgroup, int *status);
/* A file of the cgroup in cgroupfs (memory.stat ...), NULL if missing. */
char *read_cgroupfs(const char *cgroup, const char *file);
/* Normalise a user's cgroup path: "a/b/" -> "/a/b"; "" -> "/". */
void cgroup_normalise(char *out, size_t len, const char *in);
/* Print a system error about @what and return the matching EXIT_*. */
int report_errno(const char *what, int err);
/* The same for a file of the user's (an output, a recording): EXIT_ERROR. */
int report_io(const char *what, int err);

/* ---- task_source.c: one process's counters ---- */

/* From the task file, or read-only from the tasks files once debugfs
 * refuses writing (kernel lockdown); EXIT_* status (messages printed). */
int read_task(pid_t pid, struct kv *kv);
int read_task_readonly(pid_t pid, struct kv *kv);
/* The file @file (tasks, maps) of @pid's memory cgroup: the cgroup
 * /proc/PID/cgroup names, or its nearest ancestor with a memcg (a v2 cgroup
 * whose parent does not enable the memory controller has none: its
 * processes are counted in the ancestor's). NULL with errno set on failure. */
char *read_memcg_file_of(pid_t pid, const char *file);
/* "no process PID": prints it and returns EXIT_NOTFOUND. */
int no_process(pid_t pid);
/* The memory cgroup's path in /proc/PID/cgroup text (the v1 memory line,
 * else the v2 one). 0, or -1 if there is none. */
int proc_memcg_path(const char *text, char *out, size_t len);
/* @pid's row of a tasks file as "column value" pairs: 0, 1 if there is no
 * such row, -1 if the text is malformed or memory ran out. */
int task_row_kv(const char *tasks, pid_t pid, struct kv *kv);

/* ---- output.c ---- */

/* "12.3 MiB", or the exact number of bytes with -b. */
const char *human(char *buf, size_t len, long long bytes, bool exact);
void json_string(FILE *f, const char *s);
void prom_label(FILE *f, const char *s);
/* @s with control characters (a terminal's escapes) shown as '?'. */
void print_safe(FILE *f, const char *s);
/* Undo the module's octal escapes ("a\040b" -> "a b"). */
void unescape(char *s);

/* ---- commands ---- */

int cmd_tree(const struct opts *o);
int cmd_cgroup(const struct opts *o, const char *path);
int cmd_task(const struct opts *o, const char *pid);
int cmd_explain(const struct opts *o, const char *path);
int cmd_validate(const struct opts *o, const char *what);
int cmd_top(const struct opts *o);
int cmd_maps(const struct opts *o, const char *pid);
int cmd_files(const struct opts *o, const char *path);
int cmd_snapshot(const struct opts *o, const char *path);
int cmd_watch(const struct opts *o, const char *path);
int cmd_diff(const struct opts *o, const char *a, const char *b);
int cmd_report(const struct opts *o, const char *what, const char *cgroup);
int cmd_export(const struct opts *o);

#endif
