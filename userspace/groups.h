/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MEMACCT_GROUPS_H
#define MEMACCT_GROUPS_H

#include "memacct.h"

struct counter_doc {
	const char *key;
	const char *what;
};

struct group {
	const char *title;
	const struct counter_doc *keys;	/* ends with { NULL } */
};

void print_groups(const struct opts *o, const struct kv *kv,
		  const struct group *g, int ng);
void json_numbers(FILE *f, const struct kv *kv, const char *const *skip);

#endif
