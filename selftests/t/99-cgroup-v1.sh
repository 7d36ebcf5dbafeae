#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# With the memory controller on cgroup v1 (as on older Docker hosts), the
# mirror follows the v1 hierarchy and memory_current is what
# memory.usage_in_bytes shows. Kernels built without v1 memcg skip this.
# Runs last (99-): it moves the controller from v2 to v1 and back.
. /selftests/lib.sh
plan 6
CG=/sys/fs/cgroup
V1=/mnt/memcg-v1
M=$MEMACCT


echo "-memory" > $CG/cgroup.subtree_control
mkdir -p $V1
if ! mount -t cgroup -o memory memory $V1 2> /tmp/v1err; then
	diag "no v1 memory controller: $(cat /tmp/v1err)"
	echo "+memory" > $CG/cgroup.subtree_control
	for i in 1 2 3 4 5 6; do
		echo "ok $i # SKIP memory controller not available on cgroup v1"
	done
	exit 0
fi

mkdir $V1/dockerish
check "v1 cgroup mirrored" wait_for [ -r $M/dockerish/stat ]
sh -c "echo \$\$ > $V1/dockerish/cgroup.procs; exec sleep 100" &
pid=$!
sleep 1
check "its process is counted" grep -qx 'nr_processes 1' $M/dockerish/stat
check "its tasks file lists it" grep -q "^$pid " $M/dockerish/tasks
usage=$(cat $V1/dockerish/memory.usage_in_bytes)
cur=$(sed -n 's/^memory_current //p' $M/dockerish/stat)
check "memory_current $cur = memory.usage_in_bytes $usage" [ "$cur" = "$usage" ]
kill $pid
wait $pid 2> /dev/null
rmdir $V1/dockerish
check "rmdir: mirror removed" wait_for [ ! -e $M/dockerish ]
umount $V1
check "after umount nothing of v1 is left in the mirror" \
	sh -c "[ -z \"\$(find $M -mindepth 1 -type d)\" ]"
# v2 gets the controller back once the last dying v1 memcg is freed, which
# the kernel may take its time over; nothing runs after this test.
wait_for sh -c "echo +memory > $CG/cgroup.subtree_control" ||
	diag "memory controller not yet back on v2"
