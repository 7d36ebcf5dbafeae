#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Readers against churn for STRESS_SECONDS (kernel command line; default
# 45): see selftests/stress.c.
grep -q '^memacct ' /proc/modules || insmod /lib/memacct.ko
exec stress
