#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cgroups created, enabled, disabled and removed while readers read every
# memacct file: nothing breaks (the harness watches the console for
# splats), and afterwards the mirror is exactly the memory hierarchy.
. /selftests/lib.sh
plan 3
CG=/sys/fs/cgroup
M=$MEMACCT
SECONDS_=10

reader() {
	end=$(($(date +%s) + SECONDS_))
	n=0
	while [ "$(date +%s)" -lt $end ]; do
		for f in $(find $M -name stat -o -name tasks -o -name summary); do
			cat "$f" > /dev/null 2>&1
		done
		n=$((n + 1))
	done
	echo $n > /tmp/reader.$1
}

# The memory hierarchy as cgroupfs has it, and as the mirror has it, with
# the mirror's '@' escape undone.
hierarchy() {
	cd $CG && find . -mindepth 1 -type d | while read -r d; do
		[ -e "$d/memory.current" ] && echo "${d#./}"
	done | sort
}
mirror() {
	cd $M && find . -mindepth 1 -type d | sed 's|^\./||; s|^@||; s|/@|/|g' | sort
}

reader 1 &
r1=$!
reader 2 &
r2=$!
mkdir $CG/churn
echo "+memory" > $CG/churn/cgroup.subtree_control
i=0
end=$(($(date +%s) + SECONDS_ - 2))
while [ "$(date +%s)" -lt $end ]; do
	i=$((i + 1))
	mkdir -p $CG/churn/c$i
	echo "+memory" > $CG/churn/c$i/cgroup.subtree_control
	mkdir $CG/churn/c$i/d $CG/churn/c$i/stat
	sh -c "echo \$\$ > $CG/churn/c$i/d/cgroup.procs; exec true"
	[ $((i % 3)) -eq 0 ] && echo "-memory" > $CG/churn/c$i/cgroup.subtree_control
	rmdir $CG/churn/c$i/d $CG/churn/c$i/stat
	[ $((i % 2)) -eq 0 ] && rmdir $CG/churn/c$i
done
wait $r1 $r2
diag "$i churn rounds; reader passes $(cat /tmp/reader.1) and $(cat /tmp/reader.2)"
ok "readers and churn ran side by side"

sleep 2
hierarchy > /tmp/h
mirror > /tmp/m
if cmp -s /tmp/h /tmp/m; then
	ok "the mirror equals the memory hierarchy ($(wc -l < /tmp/h) cgroups)"
else
	not_ok "the mirror equals the memory hierarchy"
	diff /tmp/h /tmp/m | sed 's/^/# /'
fi
find $CG/churn -mindepth 1 -maxdepth 1 -type d -exec rmdir {} +
rmdir $CG/churn
sleep 2
check "after cleanup no churn cgroup is left in the mirror" [ ! -e $M/churn ]
