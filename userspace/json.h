/* SPDX-License-Identifier: GPL-2.0 */
/* A small JSON (RFC 8259) reader: what the reader writes, read back. */
#ifndef MEMACCT_JSON_H
#define MEMACCT_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jnode {
	enum jtype type;
	char *key;		/* the member's name, in an object */
	char *str;		/* J_STR: the text, unescaped */
	bool is_int;		/* J_NUM: an integer that fits in long long */
	long long num;		/* J_NUM with is_int, J_BOOL */
	double real;		/* J_NUM */
	int n;			/* J_ARR, J_OBJ: members */
	struct jnode *kid;
};

/*
 * Parse one JSON value starting at @text (leading white space skipped);
 * *@used is set to the bytes consumed. 0 on success; -1 with @err set to
 * a message naming the byte offset on malformed or truncated input, or on
 * running out of memory.
 */
int json_parse(const char *text, struct jnode *out, size_t *used,
	       char *err, size_t errlen);
void json_free(struct jnode *n);
/* The member @key of object @obj, or NULL. */
const struct jnode *json_get(const struct jnode *obj, const char *key);

#endif
