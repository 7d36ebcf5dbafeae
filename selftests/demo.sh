#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make run`: load memacct; run the Go service in a runc container with
# 128 MiB and call it twice (the classic "memory jumps on the second call"),
# showing memacct's tree, the container's cgroup and explain after each
# call; then a forking, file-mapping workload and the 120,000,000-byte
# read-then-write workload in a cgroup.
insmod /lib/memacct.ko || exit 1
/selftests/setup.sh > /dev/null

if [ -x /usr/sbin/runc ]; then
	R="/usr/sbin/runc --root /run/runc"
	mkdir -p /run/runc
	$R run -d --no-pivot --bundle /bundles/static go > /tmp/go.log 2>&1
	i=0
	while ! grep -q listening /tmp/go.log && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	sleep 1
	echo "== a Go service in a runc container: cgroup /container-go-static, memory.max 128M"
	echo "== memacct"
	memacct
	for call in 1 2; do
		echo
		echo "== wget http://127.0.0.1:8080/alloc?n=3000000   (call $call: 3,000,000 entities of 40 bytes)"
		wget -q -O - "http://127.0.0.1:8080/alloc?n=3000000"
		echo
		echo "== memacct explain /container-go-static   (after call $call)"
		memacct explain /container-go-static
	done
	echo
	echo "== memacct cgroup /container-go-static"
	memacct cgroup /container-go-static
	$R kill go KILL
	sleep 1
	$R delete -f go 2> /dev/null
	echo
fi
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
