#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The mirror of the memory cgroup hierarchy follows mkdir, rmdir and
# +memory/-memory in subtree_control; cgroups named like memacct's files
# are reachable with an '@'; a file whose cgroup is removed reads ENOENT.
. /selftests/lib.sh
plan 16
CG=/sys/fs/cgroup
M=$MEMACCT


check "root stat readable" grep -q '^memory_current ' $M/stat
# A cgroup has a memory css (and a mirror) only if its parent enables
# the controller for its children.
mkdir $CG/mt_a
echo "+memory" > $CG/mt_a/cgroup.subtree_control
mkdir $CG/mt_a/mt_b
check "mkdir a/b: mirrored" wait_for [ -r $M/mt_a/mt_b/stat ]
check "a/b has stat, tasks, maps and files" \
	sh -c "[ -r $M/mt_a/mt_b/tasks ] && [ -r $M/mt_a/mt_b/maps ] && [ -r $M/mt_a/mt_b/files ]"
check "a/b stat: nr_processes 0" wait_for grep -qx 'nr_processes 0' $M/mt_a/mt_b/stat

mkdir $CG/mt_a/stat $CG/mt_a/@x
check "cgroup named stat mirrored as @stat" wait_for [ -r $M/mt_a/@stat/stat ]
check "cgroup named @x mirrored as @@x" wait_for [ -r $M/mt_a/@@x/stat ]

sh -c "echo \$\$ > $CG/mt_a/mt_b/cgroup.procs; exec sleep 100" &
pid=$!
check "a process in a/b is counted" \
	wait_for grep -qx 'nr_processes 1' $M/mt_a/mt_b/stat
check "and in a (hierarchical)" grep -qx 'nr_processes 1' $M/mt_a/stat
check "b's tasks lists it" grep -q "^$pid " $M/mt_a/mt_b/tasks
check "b's maps has its mappings, and only its" \
	sh -c "grep -q '^$pid ' $M/mt_a/mt_b/maps && ! grep -v -e '^$pid ' -e '^pid ' $M/mt_a/mt_b/maps"
# Reads that stop anywhere, mid-row included, resume where they stopped:
# with four sleeping processes (more than the page seq_file fills at
# first) nothing changes between the reads but the PSS columns (cat and
# dd are busybox too, and so share its pages with them), left out.
more=
for i in 2 3 4; do
	sh -c "echo \$\$ > $CG/mt_a/mt_b/cgroup.procs; exec sleep 100" &
	more="$more $!"
done
pid2=$!
wait_for grep -qx 'nr_processes 4' $M/mt_a/mt_b/stat
wait_for sh -c "[ \$(grep -c ' /bin/busybox$' $M/mt_a/mt_b/maps) -ge 16 ]"
nopss='NR == 1 { for (i = 1; i <= NF; i++) p[i] = $i ~ /^pss/ }
	{ for (i = 1; i <= NF; i++) if (p[i]) $i = "-"; print }'
cat $M/mt_a/mt_b/maps | awk "$nopss" > /tmp/maps.cat
dd if=$M/mt_a/mt_b/maps bs=1 2> /dev/null | awk "$nopss" > /tmp/maps.dd1
dd if=$M/mt_a/mt_b/maps bs=77 2> /dev/null | awk "$nopss" > /tmp/maps.dd77
check "maps read a byte, or 77, at a time is what one read gives ($(wc -c < /tmp/maps.cat) bytes)" \
	sh -c "cmp -s /tmp/maps.cat /tmp/maps.dd1 && cmp -s /tmp/maps.cat /tmp/maps.dd77 && grep -q '^$pid2 ' /tmp/maps.cat && [ \$(wc -c < /tmp/maps.cat) -gt 4096 ]"
diff /tmp/maps.cat /tmp/maps.dd1 | head -20 | sed 's/^/# bs=1: /'
diff /tmp/maps.cat /tmp/maps.dd77 | head -20 | sed 's/^/# bs=77: /'
kill $pid $more
wait $pid $more 2>/dev/null

exec 3< $M/mt_a/mt_b/stat 4< $M/mt_a/mt_b/tasks 5< $M/mt_a/mt_b/maps
rmdir $CG/mt_a/mt_b
check "rmdir a/b: mirror removed" wait_for [ ! -e $M/mt_a/mt_b ]
cat <&3 > /dev/null 2> /tmp/err3
cat <&4 > /dev/null 2> /tmp/err4
cat <&5 > /dev/null 2> /tmp/err5
check "stat, tasks and maps opened before rmdir: ENOENT ($(cat /tmp/err3 /tmp/err4 /tmp/err5 | tr '\n' ' '))" \
	sh -c 'grep -q "No such file" /tmp/err3 && grep -q "No such file" /tmp/err4 && grep -q "No such file" /tmp/err5'
exec 3<&- 4<&- 5<&-

mkdir $CG/mt_a/mt_c
wait_for [ -d $M/mt_a/mt_c ]
rmdir $CG/mt_a/stat $CG/mt_a/@x
echo "-memory" > $CG/mt_a/cgroup.subtree_control
check "-memory in a's subtree_control: a/c's mirror goes" \
	wait_for [ ! -e $M/mt_a/mt_c ]
echo "+memory" > $CG/mt_a/cgroup.subtree_control
check "+memory: it comes back" wait_for [ -r $M/mt_a/mt_c/stat ]
rmdir $CG/mt_a/mt_c $CG/mt_a
check "everything removed" wait_for [ ! -e $M/mt_a ]
