#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The memacct reader end to end, against live workloads: every command in
# every format, its errors and exit codes, explain on the 120,000,000-byte
# workload. JSON and Prometheus outputs are printed between @@ markers; the
# host parses them with real parsers afterwards (scripts/check-outputs.py).
. /selftests/lib.sh
# Brief (the debug kernels): the reader's logic is the same on every
# kernel, and every module file it reads is read by the tests before it.
if [ -n "${MEMACCT_BRIEF:-}" ]; then
	plan 1
	ok "# SKIP brief: the reader's tests run on the Debian kernels"
	exit 0
fi
plan 58
CG=/sys/fs/cgroup
R=$CG/reader\ demo

# emit KIND NAME CMD...: run CMD, print its output between markers.
emit() {
	e_kind=$1
	e_name=$2
	shift 2
	echo "@@$e_kind $e_name"
	# stderr apart: a notice (the lockdown fallback's) is not output.
	"$@" 2> /tmp/emit.err
	e_rc=$?
	echo "@@end"
	sed 's/^/# stderr: /' /tmp/emit.err
	return $e_rc
}


mkdir "$R"
sh -c "echo \$\$ > '$R/cgroup.procs'; exec demo_workload" > /tmp/demo.out &
demo=$!
sh -c "echo \$\$ > '$R/cgroup.procs'; exec jump_workload" > /tmp/jump.out &
jump=$!
i=0
while ! grep -q read /tmp/jump.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1

check "memacct (tree) runs" sh -c 'memacct > /tmp/tree.txt'
sed 's/^/# /' /tmp/tree.txt
check "the tree shows the cgroup with a space in its name" grep -q "reader demo" /tmp/tree.txt
check "memacct -b prints bytes" sh -c 'memacct -b | grep -q "reader demo"'
check "tree --json" emit json tree memacct --json
check "tree --prometheus" emit prom tree memacct --prometheus
check "cgroup human" sh -c "memacct cgroup '/reader demo' > /tmp/cg.txt"
sed 's/^/# /' /tmp/cg.txt
check "cgroup lists its processes" grep -q demo_workload /tmp/cg.txt
check "cgroup --json" emit json cgroup memacct cgroup "/reader demo" --json
check "cgroup --prometheus" emit prom cgroup memacct cgroup "reader demo" --prometheus
mkdir -p /tmp/textfile
check "export --textfile writes memacct.prom, and nothing else" \
	sh -c 'memacct export --textfile /tmp/textfile && [ "$(ls /tmp/textfile)" = memacct.prom ]'
check "export --prometheus text" emit prom export cat /tmp/textfile/memacct.prom
check "export: a family per counter, the cgroup as a label" \
	sh -c "grep -q '^memacct_cgroup_rss_bytes{cgroup=\"/reader demo\"} [0-9]' /tmp/textfile/memacct.prom && grep -q '^# HELP memacct_cgroup_zero_bytes Bytes of zero-page mappings' /tmp/textfile/memacct.prom"
check "export without --textfile: exit 2" \
	sh -c 'memacct export 2> /dev/null; [ $? -eq 2 ]'
check "task human" sh -c "memacct task $demo > /tmp/task.txt"
sed 's/^/# /' /tmp/task.txt
check "task --json" emit json task memacct task $demo --json
check "task --json has the counters" sh -c "memacct task $demo --json | grep -q '\"cow_pending_anon\"'"
check "maps human: grouped, the stack among them" sh -c "memacct maps $demo | grep -q '\[stack\] (1)'"
check "maps --json" emit json maps memacct maps $demo --json
check "maps --json: mappings with start, end and counters" \
	sh -c "memacct maps $demo --json | grep -q '\"mappings\": \[' && memacct maps $demo --json | grep -q '\"start\": [0-9]*, \"end\": [0-9]*, .*\"lazyfree\": '"
check "files human: the demo's binary among the cgroup's objects" \
	sh -c "memacct files '/reader demo' > /tmp/files.txt && grep -q demo_workload /tmp/files.txt"
head -n 12 /tmp/files.txt | sed 's/^/# /'
check "files --json" emit json files memacct files "/reader demo" --json
check "files of the root cgroup: every process's objects" \
	sh -c "memacct files / > /tmp/rootfiles.txt && grep -q /bin/busybox $MEMACCT/files"
head -n 5 /tmp/rootfiles.txt | sed 's/^/# /'
check "files --json: objects with a path, a payer and counters" \
	sh -c "memacct files '/reader demo' --json | grep -q '\"objects\": \[' && memacct files '/reader demo' --json | grep -q '\"path\": .*\"payer\": .*\"charged_elsewhere\": '"

memacct explain "/reader demo" > /tmp/ex1.txt
memacct explain "/reader demo" --json > /tmp/ex1.json
sed 's/^/# /' /tmp/ex1.txt
zero=$(num cow_pending_zero /tmp/ex1.json)
usage=$(num usage /tmp/ex1.json)
check "explain after the read phase: $zero bytes zero-page, usage $usage" \
	sh -c "[ '$zero' -ge 120000000 ] && [ '$usage' -lt 60000000 ]"
check "explain names the zero-page mappings" grep -q "zero-page mappings" /tmp/ex1.txt
# The demo's binary was read (and so charged) before it moved to the cgroup.
check "explain names the file most charged elsewhere, and who pays" \
	grep -q "/bin/demo_workload: .* of it, charged most to /" /tmp/ex1.txt
# Snapshots around the write phase, and a recording across it.
check "snapshot of the cgroup, written whole with -o" \
	memacct snapshot "/reader demo" -o /tmp/snap1.json
# Output for the host only once: the lockdown rerun would repeat it, and
# bursts on the serial line are what the rt kernels' 8250 driver reports
# as an interrupt nobody handled.
if [ -z "${MEMACCT_LOCKDOWN:-}" ]; then
	check "snapshot of every cgroup" emit json snapshot memacct snapshot
else
	check "snapshot of every cgroup" sh -c 'memacct snapshot > /tmp/all.json'
fi
# watch -o appends: a recording of its own (this test runs again under lockdown).
rm -f /tmp/rec.json
memacct watch "/reader demo" -d 0.5 -o /tmp/rec.json > /tmp/watch.txt 2>&1 &
watch=$!
sleep 1
kill -USR1 $jump
i=0
while ! grep -q written /tmp/jump.out && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1
memacct snapshot "/reader demo" > /tmp/snap2.json
kill $watch
wait $watch
check "watch stops cleanly on SIGTERM (exit $?)" [ $? -eq 0 ]
sed 's/^/# /' /tmp/watch.txt
check "watch printed a line per snapshot, and the first write" \
	sh -c "[ \$(wc -l < /tmp/watch.txt) -ge 3 ] && [ \$(wc -l < /tmp/watch.txt) -eq \$(wc -l < /tmp/rec.json) ] && grep -q 'first write after a read' /tmp/watch.txt"
memacct diff /tmp/snap1.json /tmp/snap2.json > /tmp/diff.txt
sed 's/^/# /' /tmp/diff.txt
check "diff names the zero page written as anonymous memory" \
	grep -q "^  zero-page mappings -.*, anonymous +.*: memory read before was written now (first write after a read)" /tmp/diff.txt
check "diff names the process that wrote it" grep -q "^  $jump jump_workload " /tmp/diff.txt
check "diff --json" emit json diff memacct diff /tmp/snap1.json /tmp/snap2.json --json
memacct diff /tmp/snap1.json /tmp/snap2.json --json > /tmp/diff.json
# One line each: the cgroups' part, before the processes'.
dz=$(sed 's/"processes".*//' /tmp/diff.json | sed -n 's/.*"counters": {"zero": \(-[0-9]*\), "rss_anon": \([0-9]*\)}.*/\1 \2/p')
sed 's/"processes".*//' /tmp/snap1.json > /tmp/cg1.json
sed 's/"processes".*//' /tmp/snap2.json > /tmp/cg2.json
z1=$(num zero /tmp/cg1.json)
z2=$(num zero /tmp/cg2.json)
check "diff --json: zero moved by ${dz% *} (the snapshots: $z1 -> $z2), anonymous by ${dz#* }, each at least the 120,000,000 bytes written" \
	sh -c "[ '${dz% *}' = $((z2 - z1)) ] && [ '${dz% *}' -le -120000000 ] && [ '${dz#* }' -ge 120000000 ]"
check "diff of the recording's first and last names the first write" \
	sh -c "memacct diff /tmp/rec.json | grep -q 'first write after a read'"
head -c 300 /tmp/snap1.json > /tmp/trunc.json
check "diff of a truncated snapshot: exit 2, one line" \
	sh -c 'memacct diff /tmp/trunc.json /tmp/snap2.json 2> /tmp/err; [ $? -eq 2 ] && [ $(wc -l < /tmp/err) -eq 1 ] && grep -q "not a complete snapshot" /tmp/err'
sed 's/"kernel": "[^"]*"/"kernel": "0.0-other"/' /tmp/snap1.json > /tmp/other.json
check "diff of snapshots of different kernels: exit 2" \
	sh -c 'memacct diff /tmp/other.json /tmp/snap2.json 2> /tmp/err; [ $? -eq 2 ] && [ $(wc -l < /tmp/err) -eq 1 ] && grep -q "different kernels" /tmp/err'
check "diff of a file that is no snapshot: exit 2" \
	sh -c 'memacct diff /proc/self/status /tmp/snap2.json 2> /tmp/err; [ $? -eq 2 ] && [ $(wc -l < /tmp/err) -eq 1 ]'
check "diff of a missing file: exit 5" \
	sh -c 'memacct diff /tmp/none.json /tmp/snap2.json 2> /dev/null; [ $? -eq 5 ]'
# The report, of the recording ended by a snapshot of the frozen cgroup,
# with `memacct cgroup --json` read beside: the host renders it in chromium
# and sets its DOM against both (scripts/check_report.py).
echo 1 > "$R/cgroup.freeze"
memacct snapshot "/reader demo" >> /tmp/rec.json
check "report of a recording" memacct report /tmp/rec.json -o /tmp/report.html
memacct cgroup "/reader demo" --json > /tmp/report-cgroup.json
if [ -z "${MEMACCT_LOCKDOWN:-}" ]; then
	echo "@@json report-cgroup"
	cat /tmp/report-cgroup.json
	echo "@@end"
	echo "@@json report-snapshot"
	tail -n 1 /tmp/rec.json
	echo "@@end"
	# Compressed: a quarter of the bytes on the serial line.
	echo "@@htmlgz report"
	gzip -9c /tmp/report.html | base64
	echo "@@end"
fi
echo 0 > "$R/cgroup.freeze"
check "report: the waterfall, the bill, the timeline and what moved" \
	sh -c "[ \$(grep -c '<svg' /tmp/report.html) -eq 3 ] && grep -q 'first write after a read' /tmp/report.html"
check "report of the cgroup now, to stdout" \
	sh -c "memacct report '/reader demo' > /tmp/live.html && grep -q 'data-step=\"memory_current\"' /tmp/live.html && [ \$(grep -c '<svg' /tmp/live.html) -eq 2 ]"
check "report of no such cgroup: exit 5" \
	sh -c 'memacct report /no/such 2> /dev/null; [ $? -eq 5 ]'
memacct explain "/reader demo" > /tmp/ex2.txt
emit json explain memacct explain "/reader demo" --json > /tmp/ex2.json
cat /tmp/ex2.json
sed 's/^/# /' /tmp/ex2.txt
anon=$(num charged_anon /tmp/ex2.json)
usage=$(num usage /tmp/ex2.json)
check "explain after the write phase: charged_anon $anon, usage $usage" \
	sh -c "[ '$anon' -ge 120000000 ] && [ '$usage' -ge 120000000 ]"
check "explain's unexplained is within its bound" \
	sh -c '! grep -q "OUTSIDE the bound" /tmp/ex2.txt'

check "top -n 2 refreshes twice" \
	sh -c 'memacct top -n 2 -d 0.2 | grep -c "memacct top" | grep -qx 2'
check "top -p sorts processes" sh -c 'memacct top -p -n 1 | grep -q demo_workload'

echo 1 > "$R/cgroup.kill"
wait $demo $jump 2> /dev/null
i=0
while [ -s "$R/cgroup.procs" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
rmdir "$R"

# Quiescent now (only this shell and its parents): nothing may disagree.
memacct validate > /tmp/validate.txt
vrc=$?
sed 's/^/# /' /tmp/validate.txt
check "validate on a quiescent system: no MISMATCH (exit $vrc)" [ $vrc -eq 0 ]
check "validate --json" emit json validate memacct validate --json

expect_exit() {
	want=$1
	shift
	"$@" > /tmp/out 2>&1
	got=$?
	head -n 3 /tmp/out | sed 's/^/#   /'
	[ $got -eq "$want" ]
}
check "no such process: exit 5" expect_exit 5 memacct task 999999
check "maps of no such process: exit 5" expect_exit 5 memacct maps 999999
check "files of no such cgroup: exit 5" expect_exit 5 memacct files /no/such
check "no such cgroup: exit 5" expect_exit 5 memacct cgroup /no/such
check "unknown command: exit 2" expect_exit 2 memacct frobnicate
check "not root: exit 3" expect_exit 3 as_nobody memacct
mkdir -p /tmp/fake
printf 'memacct 9.9.9\nformat 9\n' > /tmp/fake/version
check "unknown format version: exit 6" expect_exit 6 env MEMACCT_DIR=/tmp/fake memacct
# Under lockdown an unloaded module could not be loaded again.
if [ -n "${MEMACCT_LOCKDOWN:-}" ]; then
	ok "module not loaded # SKIP it could not be loaded again under lockdown"
else
	rmmod memacct
	check "module not loaded: exit 4, says how to load it" \
		sh -c 'expect() { memacct > /tmp/out 2>&1; [ $? -eq 4 ] && grep -q insmod /tmp/out; }; expect'
	insmod /lib/memacct.ko
fi
umount /sys/kernel/debug
check "debugfs not mounted: exit 4, says how to mount it" \
	sh -c 'expect() { memacct > /tmp/out 2>&1; [ $? -eq 4 ] && grep -q "mount -t debugfs" /tmp/out; }; expect'
mount -t debugfs debugfs /sys/kernel/debug
