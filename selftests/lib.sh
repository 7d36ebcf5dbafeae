# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the shell selftests (busybox sh).
MEMACCT=/sys/kernel/debug/memacct
_n=0
plan() { echo "TAP version 13"; echo "1..$1"; }
ok() { _n=$((_n + 1)); echo "ok $_n $*"; }
not_ok() { _n=$((_n + 1)); echo "not ok $_n $*"; }
# check NAME CMD...: ok if CMD succeeds
check() { name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
diag() { echo "# $*"; }
# wait_for CMD...: up to 10 s for CMD to succeed (the mirror follows
# mkdir/rmdir at once, and controller changes within a second).
wait_for() {
	_w=0
	while [ $_w -lt 100 ]; do
		"$@" 2> /dev/null && return 0
		sleep 0.1
		_w=$((_w + 1))
	done
	return 1
}
# num KEY FILE: the number after "KEY": in a JSON file of the reader's.
num() { sed -n "s/.*\"$1\": \\(-*[0-9]*\\).*/\\1/p" "$2" | head -n 1; }
