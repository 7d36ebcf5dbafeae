#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make experiment`: the Go service in a runc container with a
# 128 MiB limit, called twice with N = 3,000,000, every view of its memory
# recorded after each step, for the static and the cgo build; a watch
# recording across the calls, their diff, the report and explain --go.
insmod /lib/memacct.ko || exit 1
/selftests/setup.sh > /dev/null
mkdir -p /run/runc
R="/usr/sbin/runc --root /run/runc"
M=/sys/kernel/debug/memacct
N=3000000

# num KEY: the first number after "KEY": in the JSON on stdin.
num() { sed -n "s/.*\"$1\": *\([0-9][0-9]*\).*/\1/p" | head -n 1; }
# kv KEY FILE: the value of a "key value" line.
kv() { sed -n "s/^$1 //p" "$2" | head -n 1; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

record() {
	v=$1
	step=$2
	cg=/container-go-$v
	wget -q -O /tmp/stats http://127.0.0.1:8080/stats
	# memacct's figures as the reader gives them (the stat's LRU view, its
	# kernel pages from the summary), one "key value" line each; the
	# cgroup's counters come before its processes'.
	memacct cgroup $cg --json | tr ',{' '\n\n' |
		sed -n 's/^ *"\([a-z_]*\)": *\(-\{0,1\}[0-9][0-9]*\).*/\1 \2/p' > /tmp/stat
	heap=$(num heap_alloc < /tmp/stats)
	gosys=$(num sys < /tmp/stats)
	# procps' ps: its RSS column, in KiB.
	rss=$(($(/usr/bin/ps -o rss= -p $pid | tr -d ' ') * 1024))
	pss=$(($(sed -n 's/^Pss: *\([0-9]*\) kB/\1/p' /proc/$pid/smaps_rollup) * 1024))
	cur=$(cat /sys/fs/cgroup$cg/memory.current)
	ev=$($R events --stats go-$v | sed -n 's/.*"memory":{[^{]*"usage":{[^}]*"usage":\([0-9]*\).*/\1/p')
	inact=$(sed -n 's/^inactive_file //p' /sys/fs/cgroup$cg/memory.stat)
	cache=$(($(kv charged_file_mapped /tmp/stat) + $(kv charged_file_unmapped /tmp/stat)))
	echo "| $v | $step | $(mib $heap) | $(mib $gosys) | $(mib $rss) | $(mib $pss) |" \
		"$(mib $cur) | $(mib $ev) | $(mib $((cur - inact))) |" \
		"$(mib $(kv charged_anon /tmp/stat)) | $(mib $(kv cow_pending_zero /tmp/stat)) |" \
		"$(mib $(kv mapped_charged_elsewhere /tmp/stat)) | $(mib $cache) |" \
		"$(mib $(kv charged_kernel_pages /tmp/stat)) | $(mib $(kv unexplained /tmp/stat)) |"
}

echo "@@md"
echo "All figures in MiB. Go: what runtime.MemStats says (HeapAlloc, Sys). RSS: what procps' ps prints (its RSS column; top shows the same VmRSS). PSS: smaps_rollup, what smem shows. memory.current: the cgroup's page counter. runc events: \`runc events --stats\` usage, what docker stats starts from. docker stats: memory.current - inactive_file. Then memacct's breakdown of the container's cgroup: anonymous pages charged to it, zero-page mappings (read, never written: not charged), pages it maps that other cgroups pay for, page cache, kernel pages, and what is left (slab, percpu, charge batching)."
echo
echo "| build | step | Go heap | Go Sys | ps RSS | PSS | memory.current | runc events | docker stats | memacct: anon charged | zero page | charged elsewhere | page cache | kernel | unexplained |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for v in static cgo; do
	$R run -d --no-pivot --bundle /bundles/$v go-$v > /tmp/$v.log 2>&1
	i=0
	while ! grep -q listening /tmp/$v.log && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if ! grep -q listening /tmp/$v.log; then
		echo "the $v container did not start:"
		cat /tmp/$v.log
		exit 1
	fi
	pid=$($R state go-$v | num pid)
	i=0
	while [ ! -e $M/container-go-$v/stat ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	record $v "started"
	# A recording across both calls, and snapshots after each.
	memacct watch /container-go-$v -d 0.5 -o /tmp/rec-$v.json > /tmp/watch-$v.txt 2>&1 &
	watch=$!
	sleep 1
	wget -q -O /dev/null "http://127.0.0.1:8080/alloc?n=$N"
	record $v "1st call, N = $N"
	memacct snapshot /container-go-$v -o /tmp/snap1-$v.json
	wget -q -O /dev/null "http://127.0.0.1:8080/alloc?n=$N"
	record $v "2nd call, N = $N"
	memacct snapshot /container-go-$v -o /tmp/snap2-$v.json
	sleep 1
	kill $watch
	wait $watch
	memacct diff /tmp/snap1-$v.json /tmp/snap2-$v.json > /tmp/diff-$v.txt 2>&1
	memacct report /tmp/rec-$v.json -o /tmp/report-$v.html
	/selftests/tool_views.sh $pid > /tmp/views-$v
	memacct explain /container-go-$v --go "http://127.0.0.1:8080/debug/pprof/heap?debug=1" \
		> /tmp/explain-$v.txt 2>&1
	$R kill go-$v KILL
	sleep 1
	$R delete -f go-$v 2> /dev/null
done
echo
echo "What smem, top and ps say of the service after the second call, next to memacct's counters for the same process, taken with it stopped (selftests/tool_views.sh). KiB."
echo
echo "| build | quantity | smem | top | ps | memacct |"
echo "|---|---|---|---|---|---|"
for v in static cgo; do
	f=/tmp/views-$v
	echo "| $v | RSS | $(kv smem_rss $f) | $(kv top_res $f) (RES) | $(kv ps_rss $f) | $(kv memacct_rss $f) (rss) |"
	echo "| | PSS | $(kv smem_pss $f) | | | $(kv memacct_pss $f) (pss) |"
	echo "| | USS | $(kv smem_uss $f) | | | $(kv memacct_uss $f) (uss) |"
	echo "| | shared | | $(kv top_shr $f) (SHR) | | $(($(kv memacct_rss_file $f) + $(kv memacct_rss_shmem $f))) (rss_file + rss_shmem) |"
	echo "| | swap | $(kv smem_swap $f) | | | $(kv memacct_swap $f) (swap) |"
done
for v in static cgo; do
	echo
	echo "\`memacct diff\` of the snapshots after the first and the second call ($v):"
	echo
	echo '```'
	cat /tmp/diff-$v.txt
	echo '```'
done
for v in static cgo; do
	echo
	echo "\`memacct explain /container-go-$v --go http://127.0.0.1:8080/debug/pprof/heap?debug=1\` after the second call:"
	echo
	echo '```'
	cat /tmp/explain-$v.txt
	echo '```'
done
echo "@@end"
# The static build's report, for the host to keep and picture.
echo "@@html report-static"
cat /tmp/report-static.html
echo "@@end"
echo "@@text watch-static"
cat /tmp/watch-static.txt
echo "@@end"
