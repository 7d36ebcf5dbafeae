#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make check-debug`: build the debug kernel (KASAN, lockdep, DEBUG_VM,
# might-sleep, kmemleak, debug objects, fault injection), build memacct for
# it, and run the whole selftest suite, the stress run and the fault
# injection test in it. Any kernel report fails it.
set -eu
. "$(dirname "$0")/common.sh"

"$TOP/scripts/deps.sh"
"$TOP/scripts/debug-kernel.sh"
"$TOP/scripts/build-user.sh"
"$TOP/scripts/build-module.sh" debug
"$TOP/scripts/mkinitramfs.sh" debug
# KASAN's shadow takes an eighth of memory; kmemleak is scanned at the end.
rc=0
VM_MEM=${VM_MEM:-3G} VM_TIMEOUT=${VM_TIMEOUT:-3000} \
	"$TOP/scripts/vm.sh" debug check || rc=1
passed=$(grep -c '^ok ' "$BUILD/vm/debug/results.log" || true)
failed=$(grep -c '^not ok' "$BUILD/vm/debug/results.log" || true)
[ $rc -eq 0 ] || failed=$((failed + 1))
echo "debug: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
