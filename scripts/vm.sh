#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot one kernel in QEMU with its initramfs and run MODE (check or run).
# What the guest prints on ttyS1 streams to stdout and results.log; the
# kernel console goes to console.log, which is scanned for splats.
# Exit status: 0 only if the guest finished with rc=0 and the console is
# clean. Usage: vm.sh KERNEL MODE
set -eu
. "$(dirname "$0")/common.sh"
k=${1:?kernel name}
mode=${2:?mode}
dir=$BUILD/vm/$k
accel=${ACCEL:-tcg}
# One host thread for both vCPUs: with a thread per vCPU (MTTCG), the
# stock 6.12 kernel was seen to hit "Oops: int3" in kmem_cache_alloc()/
# free() when the first memcg flips a static key (about 1 boot in 12).
accel_opts=
[ "$accel" = tcg ] && accel_opts=${TCG_OPTS-,thread=single}
mem=${VM_MEM:-2G}
limit=${VM_TIMEOUT:-1800}
# panic_on_warn and oops=panic stop the run at the first splat.
cmdline="console=ttyS0 panic=-1 oops=panic panic_on_warn=1 softlockup_panic=1"
cmdline="$cmdline memacct_mode=$mode ${VM_CMDLINE:-}"

rm -f "$dir/console.log" "$dir/results.log" "$dir/qemu.rc"
{
	timeout "$limit" qemu-system-x86_64 -accel "$accel$accel_opts" -cpu max -smp 2 \
		-m "$mem" -no-reboot -display none -monitor none \
		-kernel "$BUILD/kernels/$k/vmlinuz" \
		-initrd "$dir/initramfs.gz" -append "$cmdline" \
		-serial "file:$dir/console.log" -serial stdio < /dev/null
	echo $? > "$dir/qemu.rc"
} | sed -u 's/\r$//' | tee "$dir/results.log"
qrc=$(cat "$dir/qemu.rc")

fail=0
if ! grep -q '^memacct-vm: done rc=0$' "$dir/results.log"; then
	echo "vm($k): the guest did not finish cleanly (see $dir/console.log)" >&2
	fail=1
fi
if "$TOP/scripts/splats.sh" "$dir/console.log"; then
	:
else
	echo "vm($k): kernel reports in $dir/console.log (above)" >&2
	fail=1
fi
[ "$qrc" -eq 0 ] || { echo "vm($k): qemu/timeout exit status $qrc" >&2; fail=1; }
exit $fail
