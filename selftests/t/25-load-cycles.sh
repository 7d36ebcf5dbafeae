#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 100 unload/load cycles (20 when brief) with a reader busy on every file:
# rmmod is refused (EBUSY) while a file is open and is retried; nothing is
# left behind (kmemleak checks the rest on the debug kernel).
. /selftests/lib.sh
plan 3
M=$MEMACCT
n=100
[ -n "${MEMACCT_BRIEF:-}" ] && n=20
grep -q '^memacct ' /proc/modules || insmod /lib/memacct.ko
(
	while [ ! -e /tmp/cycles.done ]; do
		for f in $M/version $M/summary $M/stat $M/tasks $M/internals; do
			cat $f > /dev/null 2>&1
		done
	done
) &
reader=$!
good=0
refused=0
while [ $good -lt $n ]; do
	if rmmod memacct 2> /dev/null; then
		[ -e $M ] && break
		insmod /lib/memacct.ko || break
		good=$((good + 1))
	else
		refused=$((refused + 1))
		[ $refused -gt 20000 ] && break
	fi
done
touch /tmp/cycles.done
wait $reader
rm -f /tmp/cycles.done
check "$n rmmod/insmod cycles with a reader ($good done, rmmod refused $refused times while a file was open)" \
	[ $good -eq $n ]
rmmod memacct
check "after rmmod nothing is left in debugfs" [ ! -e $M ]
insmod /lib/memacct.ko
check "loaded again and answering" grep -qx 'format 1' $M/version
