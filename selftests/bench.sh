#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench`.
insmod /lib/memacct.ko || exit 1
/selftests/setup.sh > /dev/null
bench
