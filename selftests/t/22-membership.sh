#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Which cgroup a process belongs to, as memacct decides it: by the memcg
# its mm is charged to (the cgroup column), not by its leader's cgroup; and
# a cgroup whose memory controller was turned off and on again in its
# parent still has readable files, though its old memory css lingers.
. /selftests/lib.sh
plan 7
CG=/sys/fs/cgroup
M=$MEMACCT

# A process whose leader has exited, moved from a to b: the zombie leader
# stays in a, the live thread and the mm's memcg go to b.
mkdir $CG/ms_a $CG/ms_b
sh -c "echo \$\$ > $CG/ms_a/cgroup.procs; exec /bin/leader_exit" > /tmp/ms.out &
pid=$!
wait_for grep -q ready /tmp/ms.out
echo $pid > $CG/ms_b/cgroup.procs
check "leader exited, moved a to b: its row in b/tasks names /ms_b" \
	sh -c "[ \"\$(awk -v p=$pid '\$1 == p { print \$3 }' $M/ms_b/tasks)\" = /ms_b ]"
check "and a/tasks has no row for it" sh -c "[ -z \"\$(awk -v p=$pid '\$1 == p' $M/ms_a/tasks)\" ]"
check "b/stat counts it" grep -qx 'nr_processes 1' $M/ms_b/stat
check "a/stat does not" grep -qx 'nr_processes 0' $M/ms_a/stat
check "the summary counts it in b, not in a" \
	sh -c "[ \"\$(awk '\$1 == \"/ms_b\" || \$1 == \"/ms_a\" { print \$1, \$2 }' $M/summary | sort | tr '\n' ' ')\" = '/ms_a 0 /ms_b 1 ' ]"
kill -9 $pid
wait $pid 2> /dev/null

# -memory then +memory in p's subtree_control while 8 MiB of tmpfs keep
# p/c's old memory css alive (offline).
mkdir $CG/ms_p
echo +memory > $CG/ms_p/cgroup.subtree_control
mkdir $CG/ms_p/c
mkdir -p /tmp/ms_shm
mount -t tmpfs tmpfs /tmp/ms_shm
sh -c "echo \$\$ > $CG/ms_p/c/cgroup.procs; exec dd if=/dev/zero of=/tmp/ms_shm/f bs=1M count=8" 2> /dev/null
wait_for [ -r $M/ms_p/c/stat ]
echo -memory > $CG/ms_p/cgroup.subtree_control
wait_for [ ! -e $M/ms_p/c/stat ]
echo +memory > $CG/ms_p/cgroup.subtree_control
check "after -memory, +memory in the parent: p/c/stat reads" \
	wait_for grep -q '^memory_current ' $M/ms_p/c/stat
check "and p/c/tasks reads" wait_for sh -c "head -n 1 $M/ms_p/c/tasks > /dev/null"
umount /tmp/ms_shm
rmdir $CG/ms_p/c $CG/ms_p $CG/ms_a $CG/ms_b 2> /dev/null || true
