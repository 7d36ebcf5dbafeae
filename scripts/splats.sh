#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel reports found in a console log; exit 1 if there are any.
# Usage: splats.sh CONSOLE_LOG
set -eu
pattern='BUG:|Oops|WARNING:|general protection|soft lockup|hard LOCKUP'
pattern="$pattern|rcu_sched.*stall|rcu_preempt.*stall|rcu: INFO:|KASAN|UBSAN"
pattern="$pattern|kmemleak: [0-9]+ new suspected|Kernel panic|Call Trace"
pattern="$pattern|blocked for more than|possible circular locking"
pattern="$pattern|possible recursive locking|inconsistent lock state"
pattern="$pattern|suspicious RCU usage|sleeping function called from invalid"
if grep -E -n "$pattern" "$1"; then
	exit 1
fi
exit 0
