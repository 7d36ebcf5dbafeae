#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Work done once per answer: the summary makes one pass over memory however
# long its output, and the tasks file walks each process once however its
# rows fall across read() calls (internals counts both).
. /selftests/lib.sh
plan 2
CG=/sys/fs/cgroup
M=$MEMACCT
ic() { sed -n "s/^$1 //p" $M/internals; }

# 40 cgroups with 250-character names: more than 256 bytes a line.
long=$(printf '%0250d' 0 | tr 0 x)
mkdir $CG/sp
echo +memory > $CG/sp/cgroup.subtree_control
for i in $(seq 40); do mkdir $CG/sp/$i$long; done
wait_for [ -r $M/sp/40$long/stat ]
b=$(ic charge_scans)
cat $M/summary > /tmp/sp.summary
a=$(ic charge_scans)
check "a summary of $(wc -l < /tmp/sp.summary) lines, $(wc -c < /tmp/sp.summary) bytes: $((a - b)) pass over memory" \
	[ $((a - b)) -eq 1 ]

# Enough processes that the rows outgrow a read's page-sized buffer: the
# row that does not fit is shown again by the next read().
pids=
for i in $(seq 30); do
	sleep 100 &
	pids="$pids $!"
done
b=$(ic scans)
dd if=$M/tasks of=/tmp/sp.tasks bs=65536 2> /dev/null
a=$(ic scans)
n=$(($(wc -l < /tmp/sp.tasks) - 1))
check "the tasks file, $(wc -c < /tmp/sp.tasks) bytes: $n rows, $((a - b)) walks" \
	[ $((a - b)) -eq "$n" ]
kill $pids
wait 2> /dev/null
for i in $(seq 40); do rmdir $CG/sp/$i$long; done
rmdir $CG/sp
