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
# VM_NAME: a guest of its own beside the suite's (deb-test, prom-test).
dir=$BUILD/vm/${VM_NAME:-$k}
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

boot() {
	rm -f "$dir/console.log" "$dir/results.log" "$dir/qemu.rc" "$dir/why"
	{
		timeout "$limit" qemu-system-x86_64 -accel "$accel$accel_opts" \
			-cpu max -smp 2 -m "$mem" -no-reboot -display none \
			-monitor none -kernel "$BUILD/kernels/$k/vmlinuz" \
			-initrd "$dir/initramfs.gz" -append "$cmdline" \
			-serial "file:$dir/console.log" -serial stdio < /dev/null
		echo $? > "$dir/qemu.rc"
	} | sed -u 's/\r$//' | tee "$dir/results.log"
}
boot
# A kernel that dies before /init runs has met none of memacct's code
# (the debug kernels under TCG: once, a KASAN report in an early boot
# interrupt). It is booted once more, said loudly, and its report kept in
# console.boot1.log; the second boot is judged as any other.
if ! grep -q '^memacct-vm: kernel ' "$dir/results.log" &&
   ! "$TOP/scripts/splats.sh" "$dir/console.log" > /dev/null; then
	mv "$dir/console.log" "$dir/console.boot1.log"
	echo "vm($k): the kernel died before /init ran ($("$TOP/scripts/splats.sh" "$dir/console.boot1.log" | head -n 1)); booting it again" >&2
	boot
fi
qrc=$(cat "$dir/qemu.rc")

# Why it failed, in one line ($dir/why), for the summary: a guest that
# panics or hangs shows no "not ok" for the tests it never ran.
fail=0
why() {
	echo "vm($k): $*" >&2
	printf '%s; ' "$*" >> "$dir/why"
	fail=1
}
done_line=$(grep '^memacct-vm: done rc=' "$dir/results.log" || true)
if [ "$done_line" != "memacct-vm: done rc=0" ]; then
	last=$(grep '^# --- ' "$dir/results.log" | tail -n 1 | cut -c 7-)
	why "the guest did not finish cleanly (${done_line:-no done line}; last test started: ${last:-none}; see $dir/console.log)"
fi
if ! splats=$("$TOP/scripts/splats.sh" "$dir/console.log"); then
	echo "$splats"
	why "kernel reports in console.log, the first: $(echo "$splats" | head -n 1)"
fi
[ "$qrc" -eq 0 ] || why "qemu/timeout exit status $qrc"
exit $fail
