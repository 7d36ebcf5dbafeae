/* SPDX-License-Identifier: GPL-2.0 */
/* Key/value views of memacct's files and of the kernel's own /proc files. */
#ifndef MEMACCT_KV_H
#define MEMACCT_KV_H

#include <stdbool.h>
#include <sys/types.h>

#define KV_MAX 160

struct kv {
	int n;
	struct {
		char key[64];
		char str[256];		/* the raw value text */
		unsigned long long val;	/* bytes for kB fields */
	} e[KV_MAX];
};

/* memacct's task file: write the pid, read "key value" lines. 0 or -errno. */
int memacct_task_read(pid_t pid, struct kv *kv);
/* The same, for the mappings in [start, end) only. */
int memacct_range_read(pid_t pid, const void *start, const void *end,
		       struct kv *kv);
/* Write @query to a fresh open of the task file and read the answer. */
int memacct_query(const char *query, struct kv *kv);
/* /proc/PID/smaps_rollup and /proc/PID/status; kB values become bytes. */
int smaps_rollup_read(pid_t pid, struct kv *kv);
int proc_status_read(pid_t pid, struct kv *kv);
/* "key value" lines from a buffer. */
void kv_parse(const char *text, struct kv *kv);

bool kv_find(const struct kv *kv, const char *key, unsigned long long *val);
/* The value of @key; bails out of the test if it is missing. */
unsigned long long kv_get(const struct kv *kv, const char *key);
/* The raw text of @key's value, or "" if it is missing. */
const char *kv_str(const struct kv *kv, const char *key);

/* Read a whole file into a malloc'ed, NUL-terminated buffer; NULL on error. */
char *read_file(const char *path);
/* Write a string to a file; 0 or -errno. */
int write_file(const char *path, const char *s);

#endif
