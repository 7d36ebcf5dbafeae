#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Allocation failures (fault injection, on kernels that have it: the debug
# kernel): each read fails with ENOMEM or answers whole, and memacct goes
# on answering. See selftests/faultread.c.
. /selftests/lib.sh
M=$MEMACCT
D=/sys/kernel/debug
grep -q '^memacct ' /proc/modules || insmod /lib/memacct.ko
if [ ! -e /proc/self/fail-nth ] || [ ! -d $D/failslab ]; then
	plan 1
	echo "ok 1 # SKIP this kernel has no fault injection"
	exit 0
fi
plan 9
# Fail sleeping allocations too (GFP_KERNEL), and single pages.
for f in failslab fail_page_alloc; do
	echo N > $D/$f/ignore-gfp-wait
	echo 0 > $D/$f/verbose
done
echo N > $D/fail_page_alloc/ignore-gfp-highmem
echo 0 > $D/fail_page_alloc/min-order
mkdir -p /sys/fs/cgroup/faults
sh -c "echo \$\$ > /sys/fs/cgroup/faults/cgroup.procs; exec sleep 300" &
sleeper=$!
sleep 1
# verdict OUTPUT: its "# " lines as they are, its last line as our result.
verdict() {
	printf '%s\n' "$1" | grep '^#'
	last=$(printf '%s\n' "$1" | tail -n 1)
	case "$last" in
	"ok "*) ok "${last#ok - }" ;;
	*) not_ok "${last#not ok - }" ;;
	esac
}
for f in stat summary tasks faults/stat faults/tasks faults/maps faults/files \
	version; do
	verdict "$(faultread $M/$f)"
done
verdict "$(faultread $M/task "$sleeper")"
kill $sleeper
wait $sleeper 2> /dev/null
rmdir /sys/fs/cgroup/faults
