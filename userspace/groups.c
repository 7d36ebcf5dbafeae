// SPDX-License-Identifier: GPL-2.0
/* Counters printed in titled groups, and every counter as JSON. */
#include <string.h>

#include "groups.h"

void print_groups(const struct opts *o, const struct kv *kv,
		  const struct group *g, int ng)
{
	char buf[64];
	int i, j;

	for (i = 0; i < ng; i++) {
		printf("%s\n", g[i].title);
		for (j = 0; g[i].keys[j].key; j++) {
			long long v;

			if (!kv_num(kv, g[i].keys[j].key, &v))
				continue;
			/* Counts are counts, everything else is bytes. */
			if (!strncmp(g[i].keys[j].key, "nr_", 3))
				snprintf(buf, sizeof(buf), "%lld", v);
			else
				human(buf, sizeof(buf), v, o->bytes);
			printf("  %-28s %14s  %s\n", g[i].keys[j].key, buf,
			       g[i].keys[j].what);
		}
	}
}

/* Every numeric value of @kv as "key": number, except @skip keys. */
void json_numbers(FILE *f, const struct kv *kv, const char *const *skip)
{
	bool first = true;
	int i, s;

	fputc('{', f);
	for (i = 0; i < kv->n; i++) {
		long long v;

		for (s = 0; skip && skip[s] && strcmp(skip[s], kv->e[i].key); s++)
			;
		if ((skip && skip[s]) || !kv_num(kv, kv->e[i].key, &v))
			continue;
		fprintf(f, "%s", first ? "" : ", ");
		json_string(f, kv->e[i].key);
		fprintf(f, ": %lld", v);
		first = false;
	}
	fputc('}', f);
}
