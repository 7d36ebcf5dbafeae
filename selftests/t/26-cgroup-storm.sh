#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An unprivileged mkdir/rmdir storm in a delegated subtree: memacct
# rebuilds its mirror at most ten times a second however fast the storm,
# and is exact again once it ends. The storm lasts SECS, or longer until
# it has done 50 mkdir+rmdir (cgroup_storm.c). The latencies root sees for its own
# cgroup operations and for a stat read are printed for
# docs/reliability.md, with memacct loaded and not (never asserted: TCG).
. /selftests/lib.sh
CG=/sys/fs/cgroup
M=$MEMACCT
SECS=5
plan 6
grep -q '^memacct ' /proc/modules || insmod /lib/memacct.ko
mkdir $CG/storm
echo +memory > $CG/storm/cgroup.subtree_control
# Delegated as systemd delegates user@UID.service: the directory and its
# cgroup.procs, subtree_control and threads belong to the user.
chown 65534:65534 $CG/storm $CG/storm/cgroup.procs \
	$CG/storm/cgroup.subtree_control $CG/storm/cgroup.threads
internal() { grep "^$1 " $M/internals | cut -d' ' -f2; }
# field OUTPUT KEY
field() { printf '%s\n' "$1" | sed -n "s/^$2=//p"; }
idle=$(cgroup_storm $CG/storm 0 $M/stat)
e0=$(internal cgroup_events)
u0=$(internal mirror_updates)
r0=$(internal mirror_rebuilds)
t0=$(date +%s)
loaded=$(cgroup_storm $CG/storm $SECS $M/stat)
t1=$(date +%s)
e1=$(internal cgroup_events)
u1=$(internal mirror_updates)
r1=$(internal mirror_rebuilds)
events=$((e1 - e0))
updates=$((u1 - u0))
rebuilds=$((r1 - r0))
ops=$(field "$loaded" storm_ops)
diag "storm: $ops mkdir+rmdir in $(field "$loaded" storm_secs) s as uid 65534; memacct saw $events events, applied $updates one by one, rescanned $rebuilds times in $((t1 - t0)) s"
check "the storm ran ($ops mkdir+rmdir)" [ "${ops:-0}" -ge 20 ]
check "memacct saw every mkdir and rmdir ($events events)" \
	[ "${events:-0}" -ge $((2 * ${ops:-1})) ]
# A batch holds 2048 events: more in 100 ms (not under TCG) means a rescan.
check "events applied one by one ($updates of $events)" \
	[ "${updates:-0}" -ge $((events / 2)) ]
check "at most ten rebuilds a second ($rebuilds in $((t1 - t0)) s, $events events)" \
	[ "$rebuilds" -le $((10 * (t1 - t0 + 1))) ]
rmdir $CG/storm/s* 2> /dev/null
check "the mirror has the delegated cgroup and nothing the storm left" \
	wait_for sh -c "[ -d $M/storm ] && [ -z \"\$(find $M/storm -mindepth 1 -type d)\" ]"
rmmod memacct
unloaded=$(cgroup_storm $CG/storm $SECS)
insmod /lib/memacct.ko
check "memacct loads again after the storm" wait_for [ -e $M/storm/stat ]
for v in idle loaded unloaded; do
	eval out=\$$v
	diag "$v: storm_ops $(field "$out" storm_ops)," \
		"root mkdir+rmdir median $(field "$out" root_mkdir_rmdir_median_us) us" \
		"max $(field "$out" root_mkdir_rmdir_max_us) us," \
		"stat read median $(field "$out" stat_read_median_us) us" \
		"max $(field "$out" stat_read_max_us) us"
done
rmdir $CG/storm/s* 2> /dev/null
rmdir $CG/storm
