/* SPDX-License-Identifier: GPL-2.0 */
/* TAP output for the reader's unit tests. */
#ifndef MEMACCT_TAP_H
#define MEMACCT_TAP_H

/* One test: "ok N what" or "not ok N what". */
void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The closing line; the exit status: 0 if every test passed. */
int tap_done(void);

#endif
