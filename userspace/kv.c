// SPDX-License-Identifier: GPL-2.0
/* Key/value text: memacct's files, memory.stat and the /proc files. */
#include <stdlib.h>
#include <string.h>

#include "memacct.h"

int kv_add(struct kv *kv, const char *key, size_t klen, const char *val,
	   size_t vlen)
{
	struct kv_entry *e;

	if (kv->n == kv->cap) {
		int cap = kv->cap ? kv->cap * 2 : 32;
		struct kv_entry *ne = realloc(kv->e, cap * sizeof(*ne));

		if (!ne)
			return -1;
		kv->e = ne;
		kv->cap = cap;
	}
	e = &kv->e[kv->n];
	e->key = malloc(klen + 1);
	e->val = malloc(vlen + 1);
	if (!e->key || !e->val) {
		free(e->key);
		free(e->val);
		return -1;
	}
	memcpy(e->key, key, klen);
	e->key[klen] = '\0';
	memcpy(e->val, val, vlen);
	e->val[vlen] = '\0';
	kv->n++;
	return 0;
}

/* Each line: key, separator, value up to the end of the line. */
static int parse_lines(struct kv *kv, const char *text, char sep, bool kb)
{
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		const char *s = memchr(line, sep, end - line);

		if (s && s > line) {
			const char *v = s + 1;
			char num[64];

			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			/* "123 kB" -> bytes, as a plain number */
			if (kb && end - v > 3 && !strncmp(end - 3, " kB", 3) &&
			    (size_t)(end - v) < sizeof(num)) {
				int n = snprintf(num, sizeof(num), "%lld",
						 strtoll(v, NULL, 10) * 1024);

				if (kv_add(kv, line, s - line, num, n))
					return -1;
			} else if (kv_add(kv, line, s - line, v, end - v)) {
				return -1;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

int kv_parse(struct kv *kv, const char *text)
{
	return parse_lines(kv, text, ' ', false);
}

int kv_parse_proc(struct kv *kv, const char *text)
{
	return parse_lines(kv, text, ':', true);
}

void kv_free(struct kv *kv)
{
	int i;

	for (i = 0; i < kv->n; i++) {
		free(kv->e[i].key);
		free(kv->e[i].val);
	}
	free(kv->e);
	memset(kv, 0, sizeof(*kv));
}

const char *kv_str(const struct kv *kv, const char *key)
{
	int i;

	for (i = 0; i < kv->n; i++)
		if (!strcmp(kv->e[i].key, key))
			return kv->e[i].val;
	return NULL;
}

bool kv_num(const struct kv *kv, const char *key, long long *v)
{
	const char *s = kv_str(kv, key);
	char *end;

	if (!s || !*s)
		return false;
	*v = strtoll(s, &end, 10);
	return *end == '\0' || *end == ' ';
}

int kv_set(struct kv *kv, const char *key, const char *val)
{
	char *copy;
	int i;

	for (i = 0; i < kv->n; i++) {
		if (strcmp(kv->e[i].key, key))
			continue;
		copy = strdup(val);
		if (!copy)
			return -1;
		free(kv->e[i].val);
		kv->e[i].val = copy;
		return 0;
	}
	return kv_add(kv, key, strlen(key), val, strlen(val));
}

int kv_set_num(struct kv *kv, const char *key, long long v)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", v);
	return kv_set(kv, key, text);
}

long long kv_get(const struct kv *kv, const char *key)
{
	long long v;

	return kv_num(kv, key, &v) ? v : 0;
}
