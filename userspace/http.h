/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MEMACCT_HTTP_H
#define MEMACCT_HTTP_H

#include <stdio.h>

/*
 * GET an http:// URL: the body (NUL-terminated, freed by the caller) of a
 * 200 response, or NULL with @err saying why in one line and *@bad_url set
 * if the URL itself is wrong.
 */
char *http_get(const char *url, char *err, size_t elen, int *bad_url);

/* A chunked body decoded in place: its length, or -1 if malformed. */
long http_dechunk(char *body, size_t len);

#endif
