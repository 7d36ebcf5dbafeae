#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest-side runner: runs every test in /selftests/t in name order. Each
# prints TAP; a test that dies, hangs past TEST_TIMEOUT seconds (then its
# output so far is shown), or runs fewer cases than it planned, gets an
# extra "not ok" line so the host's count cannot miss it.
# Exit status: 1 if any case failed.
/selftests/setup.sh
cd /selftests/t || exit 1
failed=0
for t in *; do
	# memacct_only=PATTERN on the kernel command line runs a subset.
	case "$t" in
	${memacct_only:-*}) ;;
	*) continue ;;
	esac
	# Loaded for every test (00-load loads it too, after its own cycles).
	grep -q '^memacct ' /proc/modules || insmod /lib/memacct.ko
	log=/tmp/tap.$t
	echo "# --- $t"
	# Into a file, not a pipe: a process a test leaves behind cannot hold
	# the runner up. The time limit makes a hung test fail alone.
	STRESS_SECONDS=${STRESS_SECONDS:-45} \
		timeout "${TEST_TIMEOUT:-600}" ./"$t" > "$log" 2>&1
	rc=$?
	cat "$log"
	plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$log" | head -n 1)
	ran=$(grep -c -E '^(not )?ok ' "$log")
	if grep -q '^not ok ' "$log"; then
		failed=1
	fi
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$log"; then
		echo "not ok - $t: exited with status $rc"
		failed=1
	fi
	if [ -z "$plan" ] || [ "$plan" != "$ran" ]; then
		echo "not ok - $t: planned ${plan:-nothing}, ran $ran"
		failed=1
	fi
done
# Leaks: two scans, as kmemleak asks, on kernels that have it.
K=/sys/kernel/debug/kmemleak
if [ -e $K ]; then
	echo "# --- kmemleak"
	echo scan > $K
	sleep 5
	echo scan > $K
	if grep -q memacct $K; then
		echo "not ok - kmemleak: leaks with memacct in their backtrace"
		failed=1
	else
		echo "ok - kmemleak: no leak with memacct in its backtrace"
	fi
	sed 's/^/# /' $K | head -40
fi
exit $failed
