// SPDX-License-Identifier: GPL-2.0
/* A recursive-descent JSON reader with a depth limit, for snapshots. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define JSON_MAX_DEPTH 32

struct parser {
	const char *start, *p;
	char *err;
	size_t errlen;
};

static int fail(struct parser *ps, const char *what)
{
	if (!*ps->err)
		snprintf(ps->err, ps->errlen, "%s at byte %zu", what,
			 (size_t)(ps->p - ps->start));
	return -1;
}

static void skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
	       *ps->p == '\r')
		ps->p++;
}

static int hex4(const char *s, unsigned int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = s[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return -1;
	}
	return 0;
}

static size_t put_utf8(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A string at ps->p (the opening quote); the unescaped text in *out. */
static int parse_string(struct parser *ps, char **out)
{
	const char *s = ++ps->p;
	char *buf, *o;

	/* Unescaped text is never longer than the escaped one. */
	while (*s && *s != '"')
		s += *s == '\\' && s[1] ? 2 : 1;
	if (!*s)
		return fail(ps, "unterminated string");
	buf = malloc(s - ps->p + 1);
	if (!buf)
		return fail(ps, "out of memory");
	for (o = buf; *ps->p != '"'; ps->p++) {
		unsigned int cp, lo;

		if ((unsigned char)*ps->p < 0x20)
			goto bad;
		if (*ps->p != '\\') {
			*o++ = *ps->p;
			continue;
		}
		switch (*++ps->p) {
		case '"': case '\\': case '/':
			*o++ = *ps->p;
			break;
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			*o++ = "\b\f\n\r\t"[strchr("bfnrt", *ps->p) - "bfnrt"];
			break;
		case 'u':
			if (hex4(ps->p + 1, &cp))
				goto bad;
			ps->p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && ps->p[1] == '\\' &&
			    ps->p[2] == 'u' && !hex4(ps->p + 3, &lo) &&
			    lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				ps->p += 6;
			}
			if (!cp || (cp >= 0xd800 && cp < 0xe000))
				goto bad;
			o += put_utf8(o, cp);
			break;
		default:
			goto bad;
		}
	}
	ps->p++;
	*o = '\0';
	*out = buf;
	return 0;
bad:
	free(buf);
	return fail(ps, "bad string");
}

static const char *digits(const char *s)
{
	while (*s >= '0' && *s <= '9')
		s++;
	return s;
}

/* RFC 8259's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int parse_number(struct parser *ps, struct jnode *n)
{
	const char *s = ps->p;
	bool real = false;
	char *end;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		s = digits(s);
	else
		return fail(ps, "unexpected character");
	if (*s == '.') {
		real = true;
		if (s[1] < '0' || s[1] > '9')
			return fail(ps, "bad number");
		s = digits(s + 1);
	}
	if (*s == 'e' || *s == 'E') {
		real = true;
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return fail(ps, "bad number");
		s = digits(s);
	}
	n->type = J_NUM;
	errno = 0;
	n->real = strtod(ps->p, &end);
	if (!real) {
		long long v;

		errno = 0;
		v = strtoll(ps->p, &end, 10);
		if (!errno) {
			n->is_int = true;
			n->num = v;
		}
	}
	ps->p = s;
	return 0;
}

static int parse_value(struct parser *ps, struct jnode *n, int depth);

/* An array or an object: members separated by commas up to @close. */
static int parse_members(struct parser *ps, struct jnode *n, int depth,
			 char close)
{
	int cap = 0;

	n->type = close == ']' ? J_ARR : J_OBJ;
	ps->p++;
	skip_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		return 0;
	}
	for (;;) {
		struct jnode *kid;
		char *key = NULL;

		if (n->n == cap) {
			int ncap = cap ? 2 * cap : 8;
			struct jnode *k = realloc(n->kid, ncap * sizeof(*k));

			if (!k)
				return fail(ps, "out of memory");
			n->kid = k;
			cap = ncap;
		}
		skip_ws(ps);
		if (close == '}') {
			if (*ps->p != '"')
				return fail(ps, *ps->p ? "expected a member name" :
					    "truncated");
			if (parse_string(ps, &key))
				return -1;
			skip_ws(ps);
			if (*ps->p != ':') {
				free(key);
				return fail(ps, *ps->p ? "expected ':'" : "truncated");
			}
			ps->p++;
		}
		kid = &n->kid[n->n++];
		memset(kid, 0, sizeof(*kid));
		kid->key = key;
		if (parse_value(ps, kid, depth + 1))
			return -1;
		skip_ws(ps);
		if (*ps->p == close) {
			ps->p++;
			return 0;
		}
		if (*ps->p != ',')
			return fail(ps, *ps->p ? "expected ',' or a close" : "truncated");
		ps->p++;
	}
}

static int parse_value(struct parser *ps, struct jnode *n, int depth)
{
	static const struct { const char *word; enum jtype t; int v; } words[] = {
		{ "null", J_NULL, 0 }, { "true", J_BOOL, 1 }, { "false", J_BOOL, 0 },
	};
	size_t i;

	if (depth > JSON_MAX_DEPTH)
		return fail(ps, "nested too deeply");
	skip_ws(ps);
	switch (*ps->p) {
	case '\0':
		return fail(ps, "truncated");
	case '{':
		return parse_members(ps, n, depth, '}');
	case '[':
		return parse_members(ps, n, depth, ']');
	case '"':
		n->type = J_STR;
		return parse_string(ps, &n->str);
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t len = strlen(words[i].word);

		if (!strncmp(ps->p, words[i].word, len)) {
			n->type = words[i].t;
			n->num = words[i].v;
			ps->p += len;
			return 0;
		}
	}
	return parse_number(ps, n);
}

int json_parse(const char *text, struct jnode *out, size_t *used,
	       char *err, size_t errlen)
{
	struct parser ps = { text, text, err, errlen };

	memset(out, 0, sizeof(*out));
	*err = '\0';
	if (parse_value(&ps, out, 0)) {
		json_free(out);
		return -1;
	}
	*used = ps.p - text;
	return 0;
}

void json_free(struct jnode *n)
{
	int i;

	for (i = 0; i < n->n; i++)
		json_free(&n->kid[i]);
	free(n->kid);
	free(n->key);
	free(n->str);
	memset(n, 0, sizeof(*n));
}

const struct jnode *json_get(const struct jnode *obj, const char *key)
{
	int i;

	if (!obj || obj->type != J_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->kid[i].key, key))
			return &obj->kid[i];
	return NULL;
}
