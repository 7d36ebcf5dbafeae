#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The mirror's paths are whole or absent: a cgroup whose path does not fit
# in PATH_MAX is not mirrored (kernfs would cut it short, and two long
# paths would then collide); and a directory that could not be created
# (an allocation failure, injected on kernels that can) is created at the
# next poll, not left missing until some other cgroup changes.
. /selftests/lib.sh
CG=/sys/fs/cgroup
M=$MEMACCT
D=/sys/kernel/debug
plan 4
grep -q '^memacct ' /proc/modules || insmod /lib/memacct.ko

# 16 levels of 250-character names: 4016 bytes of path, mirrored; below
# them two 250-character names that agree on their first 249, whose
# 4267-byte paths kernfs would both cut to the same 4095 bytes.
long=$(printf '%0250d' 0 | tr 0 a)
leaf=$(printf '%0249d' 0 | tr 0 b)
dmesg -c > /dev/null
(
	cd $CG || exit 1
	i=0
	while [ $i -lt 16 ]; do
		echo +memory > cgroup.subtree_control
		mkdir "$long" && cd "$long" || exit 1
		i=$((i + 1))
	done
	echo +memory > cgroup.subtree_control
	mkdir "${leaf}1" "${leaf}2"
) || diag "could not build the deep hierarchy"
# inner: the deepest mirrored directory's entries (cd step by step: the
# full path is longer than PATH_MAX).
inner() {
	(
		cd $M || exit 1
		i=0
		while [ $i -lt 16 ]; do
			cd "$long" || exit 1
			i=$((i + 1))
		done
		ls | sort | tr '\n' ' '
	)
}
wait_for sh -c "[ -n \"\$(cd $M && ls -d $long)\" ]"
sleep 1.5
got=$(inner)
check "4016-byte path mirrored, the 4267-byte ones not (entries: ${got% })" \
	[ "$got" = "files maps stat tasks " ]
dmesg | grep 'cannot mirror\|already present' | head -3 | while read -r l; do diag "$l"; done
check "no mirror directory failed to be created" \
	sh -c "! dmesg | grep -q 'cannot mirror\|already present'"
(
	cd $CG || exit 1
	i=0
	while [ $i -lt 16 ]; do cd "$long" || exit 1; i=$((i + 1)); done
	rmdir "${leaf}1" "${leaf}2"
	i=0
	while [ $i -lt 16 ]; do cd .. && rmdir "$long"; i=$((i + 1)); done
)
check "the deep hierarchy is gone from the mirror" \
	wait_for sh -c "! [ -e $M/$long ]"

# One failed allocation in debugfs_create_dir(), as the worker creates a
# new cgroup's directory: it must appear by the next poll (one second).
F=$D/failslab
if [ ! -e $F/require-start ] || [ ! -e /proc/self/fail-nth ]; then
	echo "ok 4 # SKIP no fault injection with a stack filter in this kernel"
	exit 0
fi
range=$(sort /proc/kallsyms | grep -A1 ' [Tt] debugfs_create_dir$' |
	cut -d' ' -f1 | tr '\n' ' ')
start=${range%% *}
end=${range#* }
end=${end% }
case "$start" in
''|0000000000000000)
	echo "ok 4 # SKIP kernel addresses hidden"
	exit 0 ;;
esac
# Hexadecimal: the shell's arithmetic is signed.
if ! echo "0x$start" > $F/require-start || ! echo "0x$end" > $F/require-end; then
	echo "not ok 4 cannot set the stack filter to debugfs_create_dir"
	exit 0
fi
echo 32 > $F/stacktrace-depth
echo N > $F/task-filter
echo N > $F/ignore-gfp-wait
echo 0 > $F/verbose
echo 1 > $F/interval
echo 1 > $F/times
echo 100 > $F/probability
mkdir $CG/retry
sleep 3
# Back to the defaults: fail-nth (70-faults) goes through the filter too.
echo 0 > $F/probability
echo 0 > $F/require-start
echo 0xffffffffffffffff > $F/require-end
# times counts down once per failure injected.
left=$(cat $F/times)
check "a directory whose creation failed is there 3 s later (failures left: $left of 1)" \
	sh -c "[ -d $M/retry ] && [ $left = 0 ]"
rmdir $CG/retry
echo 1 > $F/times
