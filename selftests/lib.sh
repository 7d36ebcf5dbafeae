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
