#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# <cgroup>/stat's LRU view (lru_view=1, the default) against its scan view
# (lru_view=0), with page
# cache on the LRU lists (ext2 on a RAM disk: /data is ramfs, whose pages
# are unevictable and on no list) and shmem; and the view's documented
# blind spot, known to the byte: 2 MiB of unmapped ramfs page cache.
. /selftests/lib.sh
plan 16
CG=/sys/fs/cgroup
M=$MEMACCT
P=/sys/module/memacct/parameters/lru_view
ic() { sed -n "s/^$1 //p" $M/internals; }
kv() { sed -n "s/^$1 //p" "$2"; }

# Before anything here writes the parameter: the module's default.
check "the default charged view is the LRU lists' (lru_view $(cat $P), the root's stat says $(kv charged_view $M/stat))" \
	[ "$(cat $P)" = Y -a "$(kv charged_view $M/stat)" = lru ]

modprobe brd rd_nr=1 rd_size=32768
mke2fs /dev/ram0 > /dev/null
mkdir -p /mnt/lru /mnt/shm
mount -t ext2 /dev/ram0 /mnt/lru
mount -t tmpfs tmpfs /mnt/shm
mkdir $CG/lv
wait_for [ -r $M/lv/stat ]
sh -c "echo \$\$ > $CG/lv/cgroup.procs
	dd if=/dev/zero of=/mnt/lru/f bs=1M count=16 2> /dev/null
	dd if=/dev/zero of=/mnt/shm/f bs=1M count=4 2> /dev/null
	dd if=/dev/zero of=/data/lv.f bs=1M count=2 2> /dev/null
	sync"

# A quiet cgroup, its per-CPU LRU batches drained (compaction does that):
# read scan, lru, scan until the two scans agree.
views() {
	for try in 1 2 3 4 5; do
		echo 1 > /proc/sys/vm/compact_memory
		echo 0 > $P
		cat $M/lv/stat > /tmp/lv.scan
		echo 1 > $P
		s0=$(ic charge_scans)
		f0=$(ic lru_folios)
		cat $M/lv/stat > /tmp/lv.lru
		s1=$(ic charge_scans)
		f1=$(ic lru_folios)
		echo 0 > $P
		cat $M/lv/stat > /tmp/lv.again
		echo 1 > $P
		cmp -s /tmp/lv.scan /tmp/lv.again && break
		diag "the cgroup changed while it was read: again"
	done
}

# The multi-gen LRU's lists and the classic ones (switched at run time),
# each; a kernel without CONFIG_LRU_GEN (the debug kernels) has the latter.
G=/sys/kernel/mm/lru_gen/enabled
gen0=$(cat $G 2> /dev/null || true)
for mode in y n; do
	if [ -z "$gen0" ] && [ $mode = y ]; then
		for i in 1 2 3 4 5; do
			ok "# SKIP no multi-gen LRU in this kernel"
		done
		continue
	fi
	[ -z "$gen0" ] || echo $mode > $G
	views
	w="lru_gen $mode ($(cat $G 2> /dev/null || echo none))"
	diag "$w: scan: file_unmapped $(kv charged_file_unmapped /tmp/lv.scan) shmem $(kv charged_shmem /tmp/lv.scan) anon $(kv charged_anon /tmp/lv.scan)"
	diag "$w: lru:  file_unmapped $(kv charged_file_unmapped /tmp/lv.lru) shmem $(kv charged_shmem /tmp/lv.lru) anon $(kv charged_anon /tmp/lv.lru); $((f1 - f0)) folios looked at"
	check "$w: each view names itself ($(kv charged_view /tmp/lv.scan), $(kv charged_view /tmp/lv.lru))" \
		[ "$(kv charged_view /tmp/lv.scan)" = scan -a "$(kv charged_view /tmp/lv.lru)" = lru ]
	# 16 MiB of ext2 page cache is 8 folios at the least (2 MiB each).
	check "$w: the LRU view makes no pass over physical memory, and walks the cgroup's lists" \
		[ "$s1" = "$s0" -a $((f1 - f0)) -ge 8 ]
	check "$w: unmapped page cache: the LRU view is the scan's less the 2 MiB on ramfs" \
		[ $(($(kv charged_file_unmapped /tmp/lv.scan) - $(kv charged_file_unmapped /tmp/lv.lru))) -eq 2097152 ]
	# Clean page cache may be reclaimed meanwhile (the debug kernels' small
	# guests): what is left of the 16 MiB, but some of it.
	check "$w: the ext2 file's page cache is in both ($(kv charged_file_unmapped /tmp/lv.lru) bytes)" \
		[ "$(kv charged_file_unmapped /tmp/lv.lru)" -ge 1048576 ]
	check "$w: shmem (4 MiB on tmpfs) and anonymous pages: the same in both" \
		[ "$(kv charged_shmem /tmp/lv.lru)" = "$(kv charged_shmem /tmp/lv.scan)" -a \
		  "$(kv charged_shmem /tmp/lv.lru)" -ge 4194304 -a \
		  "$(kv charged_anon /tmp/lv.lru)" = "$(kv charged_anon /tmp/lv.scan)" ]
done
[ -z "$gen0" ] || echo "$gen0" > $G

# The restart and fallback paths, driven by fault injection where the
# kernel has it (the debug kernels): the pinned folio looks gone each time
# the lock is taken again. The 4 MiB on tmpfs are 1024 folios on one list,
# so the walk drops the lock there.
F=/sys/kernel/debug/fail_memacct_lru
charged() { grep '^charged_' "$1"; }
# forced TIMES OUT REF: one LRU-view read into OUT with the relink failing
# TIMES times (-1: every time), between two reads of view REF (0 scan,
# 1 lru) that must agree, else again (a debug guest reclaims page cache).
forced() {
	for try in 1 2 3 4 5; do
		echo $3 > $P
		cat $M/lv/stat > /tmp/lv.ref0
		echo 1 > $P
		echo $1 > $F/times
		r0=$(ic lru_restarts) b0=$(ic lru_fallbacks)
		cat $M/lv/stat > $2
		r1=$(ic lru_restarts) b1=$(ic lru_fallbacks)
		echo 0 > $F/times
		echo $3 > $P
		cat $M/lv/stat > /tmp/lv.ref
		echo 1 > $P
		[ "$(charged /tmp/lv.ref0)" = "$(charged /tmp/lv.ref)" ] && break
		diag "the cgroup changed while it was read: again"
	done
	restarts=$((r1 - r0)) fallbacks=$((b1 - b0))
	diag "relink failing $1 times: $restarts restarts, $fallbacks fallbacks"
}
if [ -d $F ]; then
	echo 0 > $F/verbose
	echo 1 > $F/interval
	echo 100 > $F/probability
	# Every time: four restarts, then the scan view, whole.
	forced -1 /tmp/lv.fail 0
	check "a list that keeps changing: 4 restarts, then the scan view, equal to a scan read" \
		[ $restarts -eq 4 -a $fallbacks -eq 1 -a \
		  "$(kv charged_view /tmp/lv.fail)" = scan -a \
		  "$(charged /tmp/lv.fail)" = "$(charged /tmp/lv.ref)" ]
	# Twice only: two restarts, and the LRU view, each folio once.
	forced 2 /tmp/lv.twice 1
	check "a list that changed twice: 2 restarts, and the LRU view counts each folio once" \
		[ $restarts -eq 2 -a $fallbacks -eq 0 -a \
		  "$(kv charged_view /tmp/lv.twice)" = lru -a \
		  "$(charged /tmp/lv.twice)" = "$(charged /tmp/lv.ref)" ]
	echo 0 > $F/probability
else
	ok "# SKIP no fault injection in this kernel"
	ok "# SKIP no fault injection in this kernel"
fi

# Under churn: a process of the cgroup writes and deletes files (page
# cache added to and taken off its lists) and the cgroup is reclaimed
# from (folios moved between lists), while the LRU view is read back to
# back. A read that gives up on the lists says "scan", and counts in
# lru_fallbacks; restarts before that count in lru_restarts.
sh -c "echo \$\$ > $CG/lv/cgroup.procs
	while :; do
		dd if=/dev/zero of=/mnt/lru/c bs=64k count=32 2> /dev/null
		dd if=/dev/zero of=/mnt/shm/c bs=64k count=16 2> /dev/null
		rm -f /mnt/lru/c /mnt/shm/c
	done" &
churn=$!
(while :; do echo 1M > $CG/lv/memory.reclaim 2> /dev/null; done) &
reclaim=$!
r0=$(ic lru_restarts)
b0=$(ic lru_fallbacks)
echo 1 > $P
reads=0 bad=0 scans=0 n=100
[ -n "${MEMACCT_BRIEF:-}" ] && n=25
while [ $reads -lt $n ]; do
	reads=$((reads + 1))
	if ! cat $M/lv/stat > /tmp/lv.churn; then
		bad=$((bad + 1))
		continue
	fi
	case $(kv charged_view /tmp/lv.churn) in
	lru) ;;
	scan) scans=$((scans + 1)) ;;
	*) bad=$((bad + 1)) ;;
	esac
done
kill $churn $reclaim
wait $churn $reclaim 2> /dev/null
# The loop's last dd may outlive its shell.
wait_for [ -z "$(cat $CG/lv/cgroup.procs)" ]
r1=$(ic lru_restarts)
b1=$(ic lru_fallbacks)
diag "under churn: $reads reads, $((r1 - r0)) list restarts, $((b1 - b0)) fallbacks to the scan view"
check "under churn: every read of the LRU view answers, and names a view ($bad did not)" \
	[ $bad -eq 0 ]
check "under churn: the reads that say scan ($scans) are the fallbacks counted ($((b1 - b0)))" \
	[ $scans -eq $((b1 - b0)) ]
rm -f /mnt/lru/f /mnt/shm/f /data/lv.f /mnt/lru/c /mnt/shm/c
umount /mnt/lru /mnt/shm
rmdir $CG/lv
check "bad values for lru_view are refused, and it stays on, the default" \
	sh -c "! echo maybe > $P 2> /dev/null && [ \"\$(cat $P)\" = Y ]"
