#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module loads and unloads cleanly, ten times, and its directory comes
# and goes with it. Leaves it loaded for the tests that follow.
. /selftests/lib.sh
plan 3
rmmod memacct 2>/dev/null
good=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	insmod /lib/memacct.ko || break
	[ -r $MEMACCT/version ] || break
	cat $MEMACCT/version > /dev/null || break
	rmmod memacct || break
	[ ! -e $MEMACCT ] || break
	good=$i
done
check "load/unload cycles: $good of 10" [ "$good" -eq 10 ]
check "no memacct module left loaded" sh -c '! grep -q "^memacct " /proc/modules'
insmod /lib/memacct.ko
check "loaded for the following tests" [ -d $MEMACCT ]
