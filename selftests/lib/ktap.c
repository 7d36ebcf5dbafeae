// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ktap.h"

static int ktap_n, ktap_failed;

void ktap_plan(int n)
{
	printf("TAP version 13\n1..%d\n", n);
	fflush(stdout);
}

static void ktap_line(const char *prefix, const char *fmt, va_list ap)
{
	printf("%s", prefix);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
}

bool ktap_result(bool pass, const char *fmt, ...)
{
	char prefix[32];
	va_list ap;

	ktap_n++;
	if (!pass)
		ktap_failed++;
	snprintf(prefix, sizeof(prefix), "%s %d ", pass ? "ok" : "not ok",
		 ktap_n);
	va_start(ap, fmt);
	ktap_line(prefix, fmt, ap);
	va_end(ap);
	return pass;
}

void ktap_skip(const char *fmt, ...)
{
	char prefix[32];
	va_list ap;

	ktap_n++;
	snprintf(prefix, sizeof(prefix), "ok %d # SKIP ", ktap_n);
	va_start(ap, fmt);
	ktap_line(prefix, fmt, ap);
	va_end(ap);
}

void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_line("# ", fmt, ap);
	va_end(ap);
}

void ktap_bail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_line("Bail out! ", fmt, ap);
	va_end(ap);
	exit(1);
}

int ktap_finish(void)
{
	return ktap_failed ? 1 : 0;
}
