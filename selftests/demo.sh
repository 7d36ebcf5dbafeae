#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make run`: load memacct, start a small workload in a memory-limited
# cgroup, and show what memacct sees.
insmod /lib/memacct.ko || exit 1
/selftests/setup.sh
cg=/sys/fs/cgroup/demo
mkdir -p $cg
echo 128M > $cg/memory.max
# Started inside the cgroup, so everything it touches is charged there.
sh -c "echo \$\$ > $cg/cgroup.procs; exec demo_workload" > /tmp/demo.log 2>&1 &
pid=$!
sleep 3
echo "== demo workload (pid $pid) in cgroup /demo, memory.max 128M"
cat /tmp/demo.log
echo
echo "== memacct task $pid"
memacct task $pid
echo
echo "== memacct tasks"
memacct tasks
echo
echo "== /proc/$pid/smaps_rollup, for comparison"
cat /proc/$pid/smaps_rollup
echo "== memory.current of /demo: $(cat $cg/memory.current)"
kill $pid
