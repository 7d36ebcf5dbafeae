#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make check-debug`: for each of DEBUG_KERNELS (default: 6.12 and 7.3),
# build a debug kernel from that series' Debian source (KASAN, lockdep,
# DEBUG_VM, might-sleep, kmemleak, debug objects, fault injection) and
# memacct for it; then boot them side by side (each TCG guest is one host
# thread) and run the whole selftest suite, the stress run and the fault
# injection test in each. Any kernel report fails it.
set -eu
. "$(dirname "$0")/common.sh"

"$TOP/scripts/deps.sh"
"$TOP/scripts/fetch-kernels.sh"
"$TOP/scripts/build-user.sh"
timing=$BUILD/timing-debug.txt
: > "$timing"
fail=0
built=
for base in ${DEBUG_KERNELS:-6.12 7.3}; do
	k=debug-$base
	t0=$(date +%s)
	if "$TOP/scripts/debug-kernel.sh" "$base" &&
	   "$TOP/scripts/build-module.sh" "$k" &&
	   "$TOP/scripts/mkinitramfs.sh" "$k"; then
		built="$built $k"
	else
		echo "$k: not ok: kernel, module or initramfs"
		fail=$((fail + 1))
	fi
	printf '%-44s %5d s\n' "$k: kernel, module, initramfs" \
		$(($(date +%s) - t0)) >> "$timing"
done

# KASAN's shadow takes an eighth of memory; kmemleak is scanned at the end.
# memacct_brief=1 (selftests/run.sh): fewer repetitions of the cases
# repeated thousands of times, and under lockdown only the lockdown-only
# tests run again (the other reruns take the kernel paths the first runs
# took).
t0=$(date +%s)
echo "$built" | tr ' ' '\n' | grep . |
	xargs -P 2 -I{} sh -c '
		VM_CMDLINE="${VM_CMDLINE:-} memacct_brief=1" \
		VM_MEM=${VM_MEM:-3G} VM_TIMEOUT=${VM_TIMEOUT:-3000} \
			"$1/scripts/vm.sh" "$2" check > "$3/vm/$2/vm.out" 2>&1
		echo $? > "$3/vm/$2/vm.rc"
		cat "$3/vm/$2/vm.out"' sh "$TOP" {} "$BUILD" || true
printf '%-44s %5d s\n' "VMs:$built, side by side" $(($(date +%s) - t0)) >> "$timing"

passed=0
for k in $built; do
	p=$(grep -c '^ok ' "$BUILD/vm/$k/results.log" 2> /dev/null || true)
	f=$(grep -c '^not ok' "$BUILD/vm/$k/results.log" 2> /dev/null || true)
	echo "$k: $p passed, $f failed"
	if [ "$(cat "$BUILD/vm/$k/vm.rc" 2> /dev/null)" != 0 ]; then
		f=$((f + 1))
		echo "not ok $k: VM finished cleanly, no kernel reports: $(cat "$BUILD/vm/$k/why" 2> /dev/null)"
	fi
	passed=$((passed + p))
	fail=$((fail + f))
done
echo
echo "== wall time by phase"
cat "$timing"
echo "debug: $passed passed, $fail failed"
[ "$fail" -eq 0 ]
