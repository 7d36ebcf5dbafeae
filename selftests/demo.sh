#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make run`: load memacct, run a small workload in a memory-limited cgroup
# and show what memacct sees, then the classic "memory jumps on the second
# call": 120,000,000 bytes read (zero page, nothing charged), then written.
insmod /lib/memacct.ko || exit 1
/selftests/setup.sh > /dev/null
cg=/sys/fs/cgroup/demo
mkdir -p $cg
echo 256M > $cg/memory.max
# Started inside the cgroup, so everything they touch is charged there.
sh -c "echo \$\$ > $cg/cgroup.procs; exec demo_workload" > /tmp/demo.log 2>&1 &
pid=$!
sh -c "echo \$\$ > $cg/cgroup.procs; exec jump_workload" > /tmp/jump.log 2>&1 &
jump=$!
i=0
while ! grep -q read /tmp/jump.log && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1

echo "== the workload, in cgroup /demo (memory.max 256M)"
cat /tmp/demo.log
echo "jump_workload $jump: mapped 120,000,000 bytes and read every page"
echo
echo "== cat /sys/kernel/debug/memacct/demo/stat"
cat /sys/kernel/debug/memacct/demo/stat
echo
echo "== memacct"
memacct
echo
echo "== memacct cgroup /demo"
memacct cgroup /demo
echo
echo "== memacct task $pid"
memacct task $pid
echo
echo "== memacct explain /demo   (after reading the 120,000,000 bytes)"
memacct explain /demo
kill -USR1 $jump
i=0
while ! grep -q written /tmp/jump.log && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1
echo
echo "== memacct explain /demo   (after writing them)"
memacct explain /demo
echo 1 > $cg/cgroup.kill
