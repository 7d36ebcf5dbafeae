// SPDX-License-Identifier: GPL-2.0
/* TAP output for the reader's unit tests. */
#include <stdarg.h>
#include <stdio.h>

#include "tap.h"

static int n_tests, n_failed;

void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	n_tests++;
	if (!cond)
		n_failed++;
	printf("%s %d ", cond ? "ok" : "not ok", n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int tap_done(void)
{
	printf("# %d passed, %d failed\n", n_tests - n_failed, n_failed);
	return n_failed ? 1 : 0;
}
