#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make check-debug`: for each of DEBUG_KERNELS (default: 6.12 and 7.3),
# build a debug kernel from that series' Debian source (KASAN, lockdep,
# DEBUG_VM, might-sleep, kmemleak, debug objects, fault injection), build
# memacct for it, and run the whole selftest suite, the stress run and the
# fault injection test in it. Any kernel report fails it.
set -eu
. "$(dirname "$0")/common.sh"

"$TOP/scripts/deps.sh"
"$TOP/scripts/fetch-kernels.sh"
"$TOP/scripts/build-user.sh"
timing=$BUILD/timing-debug.txt
: > "$timing"
total_pass=0
total_fail=0
for base in ${DEBUG_KERNELS:-6.12 7.3}; do
	k=debug-$base
	t0=$(date +%s)
	rc=0
	"$TOP/scripts/debug-kernel.sh" "$base" &&
	"$TOP/scripts/build-module.sh" "$k" &&
	"$TOP/scripts/mkinitramfs.sh" "$k" || rc=1
	t1=$(date +%s)
	# KASAN's shadow takes an eighth of memory; kmemleak is scanned at the end.
	if [ $rc -eq 0 ]; then
		VM_MEM=${VM_MEM:-3G} VM_TIMEOUT=${VM_TIMEOUT:-3000} \
			"$TOP/scripts/vm.sh" "$k" check || rc=1
	fi
	passed=$(grep -c '^ok ' "$BUILD/vm/$k/results.log" 2> /dev/null || true)
	failed=$(grep -c '^not ok' "$BUILD/vm/$k/results.log" 2> /dev/null || true)
	[ $rc -eq 0 ] || failed=$((failed + 1))
	printf '%-44s %5d s\n' "$k: kernel, module, initramfs" $((t1 - t0)) >> "$timing"
	printf '%-44s %5d s\n' "$k: VM" $(($(date +%s) - t1)) >> "$timing"
	echo "$k: $passed passed, $failed failed"
	total_pass=$((total_pass + passed))
	total_fail=$((total_fail + failed))
done
echo
echo "== wall time by phase"
cat "$timing"
echo "debug: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
