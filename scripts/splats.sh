#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel reports found in a console log; exit 1 if there are any.
# An OOM kill's report (from "invoked oom-killer" to "Killed process") is
# not one: the stress test OOM-kills a hog on purpose, and the report
# carries a stack trace. Usage: splats.sh CONSOLE_LOG
set -eu
pattern='BUG:|Oops|WARNING:|general protection|soft lockup|hard LOCKUP'
pattern="$pattern|rcu_sched.*stall|rcu_preempt.*stall|rcu: INFO:|KASAN|UBSAN"
pattern="$pattern|kmemleak: [0-9]+ new suspected|Kernel panic|Call Trace"
pattern="$pattern|blocked for more than|possible circular locking"
pattern="$pattern|possible recursive locking|inconsistent lock state"
pattern="$pattern|suspicious RCU usage|sleeping function called from invalid"
awk -v pat="$pattern" '
	/invoked oom-killer/ { oom = 1 }
	oom && /Out of memory( \(oom_kill_allocating_task\))?: Killed process|out of memory: Killed process/ {
		oom = 0
		next
	}
	!oom && $0 ~ pat { print NR ": " $0; bad = 1 }
	END { exit bad }
' "$1"
