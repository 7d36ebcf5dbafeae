/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal TAP output for the selftest programs. */
#ifndef MEMACCT_KTAP_H
#define MEMACCT_KTAP_H

#include <stdbool.h>

void ktap_plan(int n);
/* Report one case; returns @pass so callers can chain diagnostics. */
bool ktap_result(bool pass, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ktap_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ktap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Abort the whole program: a setup step failed, nothing can be trusted. */
void ktap_bail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
/* Exit status: 0 when every case passed. */
int ktap_finish(void);

#endif
