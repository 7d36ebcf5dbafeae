#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tool_views.sh PID: what smem, top and ps say of PID next to memacct's
# task counters, all taken with PID stopped so they describe one state.
# Prints "key value" lines, in KiB: smem_uss smem_pss smem_rss smem_swap
# (smem 1.5 with Debian's python3), top_res top_shr (procps top),
# ps_rss, memacct_<counter> for every task counter, and mappings (the
# number of VMAs: smem sums smaps' per-mapping Pss, each truncated to KiB).
pid=${1:?pid}
kill -STOP "$pid" || exit 1
# smem runs in python, and python maps pages the target maps too (on 7.x
# the vDSO data page behind [vvar] is an ordinary page, shared by every
# process that has read the clock): memacct's task file is read from that
# same python process, after smem, so both see the same sharers.
/usr/bin/python3 -I -S -c '
import os, sys
pid = sys.argv[1]
sys.argv = ["smem", "-c", "pid uss pss rss swap"]
with open("/usr/bin/smem") as f:
    exec(compile(f.read(), "/usr/bin/smem", "exec"), {"__name__": "__main__"})
sys.stdout.flush()
fd = os.open("/sys/kernel/debug/memacct/task", os.O_RDWR)
os.write(fd, pid.encode())
with open("/tmp/tool_views.task", "wb") as f:
    f.write(os.pread(fd, 1 << 16, 0))
' "$pid" |
	awk -v p="$pid" '$1 == p { print "smem_uss", $2; print "smem_pss", $3;
		print "smem_rss", $4; print "smem_swap", $5 }'
/usr/bin/top -b -n 1 -e k -p "$pid" |
	awk -v p="$pid" '$1 == p { print "top_res", $6; print "top_shr", $7 }'
echo "ps_rss $(/usr/bin/ps -o rss= -p "$pid" | tr -d ' ')"
awk '$1 != "comm" && $1 != "cgroup" && $1 != "pid" {
	print "memacct_" $1, int($2 / 1024) }' /tmp/tool_views.task
echo "mappings $(wc -l < /proc/"$pid"/maps)"
kill -CONT "$pid"
