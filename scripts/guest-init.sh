#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# /init of the test VM. The kernel console is ttyS0; everything the tests
# print goes to ttyS1, which the host reads. memacct_mode comes from the
# kernel command line: check (selftests), run (demo), bench, experiment,
# shell.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tmpfs tmpfs /tmp
# ramfs: page cache that is not shmem, for file-backed test mappings.
mount -t ramfs ramfs /data
echo "+memory" > /sys/fs/cgroup/cgroup.subtree_control
# The first non-root memcg turns on a static key in the slab fast path:
# done here, before any test, so that the code patching happens while
# nothing else runs (see the TCG note in scripts/vm.sh).
mkdir /sys/fs/cgroup/warmup && rmdir /sys/fs/cgroup/warmup
# Loopback, for the container test's service (kernels built without
# networking, like the debug one, have none to bring up).
ip link set lo up 2> /dev/null

out=/dev/ttyS1
stty -F $out raw -echo 2>/dev/null
{
	echo "memacct-vm: kernel $(uname -r), mode ${memacct_mode:-shell}"
	case "${memacct_mode:-shell}" in
	check) /selftests/run.sh ;;
	run) /selftests/demo.sh ;;
	bench) /selftests/bench.sh ;;
	experiment) /selftests/experiment.sh ;;
	*) setsid cttyhack sh ;;
	esac
	echo "memacct-vm: done rc=$?"
} > $out 2>&1 < /dev/null
sync
reboot -f
