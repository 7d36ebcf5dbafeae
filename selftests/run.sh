#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest-side runner: runs every test in /selftests/t in name order, then
# the lockdown phase. Each test prints TAP; a test that dies, hangs past
# TEST_TIMEOUT seconds (then its output so far is shown), or runs fewer
# cases than it planned, gets an extra "not ok" line so the host's count
# cannot miss it.
# Exit status: 1 if any case failed.
/selftests/setup.sh
cd /selftests/t || exit 1
# memacct_brief=1 on the kernel command line (the debug kernels, where TCG
# runs each syscall some 50 times slower): the tests that repeat a case
# thousands of times repeat it fewer times, 60-reader skips, and no test
# runs again under lockdown but the lockdown-only ones.
[ "${memacct_brief:-}" = 1 ] && export MEMACCT_BRIEF=1
failed=0

# run_test PATH: one test, its TAP shown and judged.
run_test() {
	t=$(basename "$1")
	# Loaded for every test (00-load loads it too, after its own cycles).
	grep -q '^memacct ' /proc/modules || insmod /lib/memacct.ko
	log=/tmp/tap.$t
	echo "# --- ${phase}$t"
	# Into a file, not a pipe: a process a test leaves behind cannot hold
	# the runner up. The time limit makes a hung test fail alone.
	t0=$(cut -d. -f1 /proc/uptime)
	STRESS_SECONDS=${STRESS_SECONDS:-45} \
		timeout "${TEST_TIMEOUT:-600}" "$1" > "$log" 2>&1
	rc=$?
	# Where a run's time goes (the CI budget is the sum).
	echo "# ${phase}$t took $(($(cut -d. -f1 /proc/uptime) - t0)) s" >> "$log"
	# Cases named after their phase, so a rerun's results stand apart.
	sed -E "s/^(ok|not ok) ([0-9]+) /\1 \2 $phase/" "$log"
	plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$log" | head -n 1)
	ran=$(grep -c -E '^(not )?ok ' "$log")
	if grep -q '^not ok ' "$log"; then
		failed=1
	fi
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$log"; then
		echo "not ok - $phase$t: exited with status $rc"
		failed=1
	fi
	if [ -z "$plan" ] || [ "$plan" != "$ran" ]; then
		echo "not ok - $phase$t: planned ${plan:-nothing}, ran $ran"
		failed=1
	fi
}

# memacct_only=PATTERN on the kernel command line runs a subset.
selected() {
	case "$1" in
	${memacct_only:-*}) return 0 ;;
	esac
	return 1
}

phase=
for t in /selftests/t/*; do
	selected "$(basename "$t")" && run_test "$t"
done

# Leaks: two scans, as kmemleak asks, on kernels that have it. Before the
# lockdown phase, which closes kmemleak's debugfs file (that phase runs
# the same read paths again).
K=/sys/kernel/debug/kmemleak
if [ -e $K ]; then
	echo "# --- kmemleak"
	echo scan > $K
	sleep 5
	echo scan > $K
	if ! cat $K > /tmp/kmemleak; then
		echo "not ok - kmemleak: cannot read $K"
		failed=1
	elif grep -q memacct /tmp/kmemleak; then
		echo "not ok - kmemleak: leaks with memacct in their backtrace"
		failed=1
	else
		echo "ok - kmemleak: no leak with memacct in its backtrace"
	fi
	sed 's/^/# /' /tmp/kmemleak | head -40
fi

# Kernel lockdown, as Secure Boot hosts run it: raised last because it
# cannot be lowered. The tests that read memacct's files run again under
# it (the task file's range queries, which need writing, skip), then the
# lockdown-only tests, the last of which may leave the module unloaded.
LOCKDOWN_RERUN="50-test_task_exact 50-test_tasks_file 50-test_cgroup_stat 60-reader.sh"
# Brief (the debug kernels): the lockdown-only tests alone; the reruns take
# the same kernel paths as the first runs did.
[ -n "${MEMACCT_BRIEF:-}" ] && LOCKDOWN_RERUN=
L=/sys/kernel/security/lockdown
if selected lockdown; then
	grep -q ' securityfs ' /proc/mounts ||
		mount -t securityfs securityfs /sys/kernel/security 2> /dev/null
	grep -q '^memacct ' /proc/modules || insmod /lib/memacct.ko
	if ! grep -q integrity $L 2> /dev/null; then
		echo "# --- lockdown"
		echo "ok - lockdown # SKIP this kernel has no lockdown LSM"
	elif ! echo integrity > $L || ! grep -q '\[integrity\]' $L; then
		echo "not ok - lockdown: could not raise it ($(cat $L))"
		failed=1
	else
		phase="lockdown: "
		export MEMACCT_LOCKDOWN=1
		for t in $LOCKDOWN_RERUN; do
			run_test "/selftests/t/$t"
		done
		for t in /selftests/lockdown/*; do
			run_test "$t"
		done
		phase=
	fi
fi

exit $failed
