#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Under kernel lockdown (integrity), as on Secure Boot hosts: debugfs
# refuses the writable task file and nothing else of memacct's; the reader
# says once that it falls back and then answers from the read-only tasks
# files, exactly. Runs after the runner raised lockdown.
. /selftests/lib.sh
plan 14
CG=/sys/fs/cgroup
M=$MEMACCT

# kb KEY PID: a smaps_rollup field of PID, in bytes.
kb() { echo $(($(sed -n "s/^$1: *\\([0-9]*\\) kB/\\1/p" /proc/$2/smaps_rollup) * 1024)); }

check "lockdown is integrity" grep -q '\[integrity\]' /sys/kernel/security/lockdown
check "the task file refuses writing: EPERM" \
	sh -c "! echo 1 2> /tmp/lk.err > $M/task && grep -q 'not permitted' /tmp/lk.err"
check "and reading (its mode has a write bit): EPERM" \
	sh -c "! cat $M/task 2> /tmp/lk.err && grep -q 'not permitted' /tmp/lk.err"

# Every other file is 0400 and reads, in every mirrored cgroup too.
mkdir $CG/lk
mkdir $CG/lk/inner
wait_for [ -r $M/lk/stat ]
bad=
n=0
for f in $(find $M -type f ! -name task); do
	[ "$(stat -c %a "$f")" = 400 ] || bad="$bad mode:$f"
	cat "$f" > /dev/null 2>&1 || bad="$bad read:$f"
	n=$((n + 1))
done
diag "checked $n files${bad:+; bad:$bad}"
check "all $n other files are 0400 and read under lockdown" \
	sh -c "[ -z '$bad' ] && [ $n -ge 7 ]"

# lk does not enable memory for its children: lk/inner has no memcg and
# no mirror; its processes are in lk's tasks file.
sh -c "echo \$\$ > $CG/lk/inner/cgroup.procs; exec demo_workload" > /tmp/lk.out &
demo=$!
wait_for grep -q child /tmp/lk.out
check "lk/inner is not mirrored (no memcg of its own)" [ ! -e $M/lk/inner ]
kill -STOP $demo
memacct task $demo --json > /tmp/lk.json 2> /tmp/lk.err
rc=$?
sed 's/^/# /' /tmp/lk.err
check "memacct task works under lockdown (exit $rc)" [ $rc -eq 0 ]
check "it says once, in one line, that it fell back and why" \
	sh -c "[ \$(wc -l < /tmp/lk.err) -eq 1 ] && grep -q 'lockdown (integrity)' /tmp/lk.err"
rss=$(num rss /tmp/lk.json)
pss=$(num pss /tmp/lk.json)
check "its rss $rss equals smaps_rollup's" [ "$rss" = "$(kb Rss $demo)" ]
# smaps_rollup truncates Pss to kB; memacct's is in bytes.
check "its pss $pss equals smaps_rollup's, in kB" \
	[ $((pss / 1024 * 1024)) = "$(kb Pss $demo)" ]
check "the row came from lk's tasks file" grep -q "\"cgroup\": \"/lk\"" /tmp/lk.json
kill -CONT $demo

memacct validate > /tmp/lk.val 2> /tmp/lk.err
vrc=$?
grep -E 'MISMATCH|changed' /tmp/lk.val | sed 's/^/# /'
check "validate reads every process read-only, no MISMATCH, says so once (exit $vrc)" \
	sh -c "[ $vrc -eq 0 ] && [ \$(grep -c lockdown /tmp/lk.err) -eq 1 ]"
check "init (pid 1, root cgroup) read-only" sh -c 'memacct task 1 > /dev/null 2>&1'
check "a kernel thread: exit 5" sh -c 'memacct task 2 > /dev/null 2>&1; [ $? -eq 5 ]'
check "no such process: exit 5" sh -c 'memacct task 999999 > /dev/null 2>&1; [ $? -eq 5 ]'

kill $demo
wait $demo 2> /dev/null
# A cgroup stays busy until its last task is fully gone, a little after
# cgroup.procs empties.
wait_for rmdir $CG/lk/inner && wait_for rmdir $CG/lk ||
	diag "lk not removed within 10 s"
