#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The container case, fast: the Go service in Debian's runc with 128 MiB,
# static and cgo builds, called twice with N = 3,000,000 (120,000,000
# bytes). After each call the batch is either resident or mapped to the
# zero page, and memacct accounts the container's memory.current exactly
# as the kernel and runc report it. Skips where runc is not in the VM.
. /selftests/lib.sh
RUNC=/usr/sbin/runc
if [ ! -x $RUNC ]; then
	plan 1
	echo "ok 1 # SKIP no runc in this VM"
	exit 0
fi
plan 61
R="$RUNC --root /run/runc"
M=$MEMACCT
mkdir -p /run/runc
num() { sed -n "s/.*\"$1\": *\([0-9][0-9]*\).*/\1/p" | head -n 1; }
kv() { sed -n "s/^$1 //p" "$2" | head -n 1; }

step() {
	v=$1
	what=$2
	cg=/container-go-$v
	wget -q -O /tmp/stats http://127.0.0.1:8080/stats
	heap=$(num heap_alloc < /tmp/stats)
	cat $M$cg/stat > /tmp/stat
	# The reader's: the LRU view (the default) with the summary's kernel pages.
	memacct cgroup $cg --json > /tmp/cgstat.json
	cur=$(cat /sys/fs/cgroup$cg/memory.current)
	ev=$($R events --stats go-$v | sed -n 's/.*"memory":{[^{]*"usage":{[^}]*"usage":\([0-9]*\).*/\1/p')
	exec 3<> $M/task
	echo $pid >&3
	cat <&3 > /tmp/task
	exec 3>&-
	bound=$(kv charge_batch_bound /tmp/stat)
	kslab=$(($(sed -n 's/^slab //p; s/^percpu //p; s/^sock //p' /sys/fs/cgroup$cg/memory.stat | tr '\n' '+')0))
	mine=$(($(kv rss_anon /tmp/task) + $(kv zero /tmp/task) + $(kv swap /tmp/task)))
	theirs=$(($(kv charged_anon /tmp/stat) + $(kv zero /tmp/stat) + $(kv swap /tmp/stat)))
	diag "$v $what: Go heap $heap, memory.current $cur, runc $ev, charged_anon $(kv charged_anon /tmp/stat), zero page $(kv zero /tmp/stat)"
	check "$v $what: the process's anon + zero page + swap ($mine) hold the 120,000,000 bytes" \
		[ "$mine" -ge 120000000 ]
	check "$v $what: so do the container's charged anon + zero page + swap ($theirs)" \
		[ "$theirs" -ge 120000000 ]
	d=$(($(kv memory_current /tmp/stat) - cur))
	check "$v $what: memacct's memory_current is memory.current (off by $d, bound $bound)" \
		[ "${d#-}" -le "$bound" ]
	d=$((ev - cur))
	check "$v $what: runc events reports the same counter (off by $d)" [ "${d#-}" -le "$bound" ]
	d=$(($(cnum unexplained /tmp/cgstat.json) - kslab))
	check "$v $what: unexplained (the reader's) less slab, percpu, sock is $d, within 2 x $bound" \
		[ "${d#-}" -le $((2 * bound)) ]
}

# The Go runtime's own numbers (pprof's MemStats block, expvar's memstats)
# set against the kernel's. Known answers: the batch of 120,000,000 bytes
# is in the Go heap arenas memacct recognises (resident or zero page), and
# the MemStats values come through unchanged.
GOURL="http://127.0.0.1:8080/debug/pprof/heap?debug=1"
gocheck() {
	v=$1
	call=$2
	wget -q -O /tmp/heap.txt "$GOURL"
	memacct task $pid --go /tmp/heap.txt --json > /tmp/go.json 2> /tmp/go.err
	check "$v call $call: task --go from a saved heap profile" [ $? -eq 0 ]
	sed 's/^/# /' /tmp/go.err
	held=$(sed -n 's/.*"arenas": {[^}]*"rss_anon": \([0-9]*\), [^}]*"zero": \([0-9]*\), "swap": \([0-9]*\)}.*/\1 + \2 + \3/p' /tmp/go.json)
	diag "$v call $call: Go heap arenas: rss_anon + zero + swap = $held"
	check "$v call $call: the Go heap arenas hold the batch ($held)" \
		sh -c "[ -n '$held' ] && [ \$(($held)) -ge 120000000 ]"
	[ "$call" = 2 ] || return 0
	for f in HeapInuse HeapIdle HeapReleased StackSys; do
		if [ $f = StackSys ]; then
			want=$(sed -n 's|^# Stack = [0-9]* / \([0-9]*\)$|\1|p' /tmp/heap.txt)
		else
			want=$(sed -n "s/^# $f = \([0-9]*\)$/\1/p" /tmp/heap.txt)
		fi
		got=$(sed -n "s/.*\"$f\": \([0-9]*\).*/\1/p" /tmp/go.json)
		check "$v: --go --json has $f $got, as the profile says ($want)" \
			sh -c "[ -n '$want' ] && [ '$got' = '$want' ]"
	done
	memacct explain /container-go-$v --go "$GOURL" > /tmp/goex.txt 2>&1
	sed -n '/the Go runtime of process/,$p' /tmp/goex.txt | sed 's/^/# /'
	check "$v: explain --go from the service's URL walks its process $pid" \
		grep -q "the Go runtime of process $pid against the kernel (pprof heap profile" /tmp/goex.txt
	check "$v: explain --go --json from the saved profile" \
		emit json "go-explain-$v" memacct explain /container-go-$v --go /tmp/heap.txt --json
	check "$v: explain --go --json has the profile's HeapInuse" \
		sh -c "memacct explain /container-go-$v --go /tmp/heap.txt --json | grep -q '\"go\": {\"pid\": $pid, .*\"HeapInuse\": $(sed -n 's/^# HeapInuse = //p' /tmp/heap.txt),'"
	check "$v: task --go from expvar's /debug/vars" \
		emit json "go-$v" memacct task $pid --go http://127.0.0.1:8080/debug/vars --json
}

# snapdiff V A B: the diff of snapshots A and B of the service's cgroup
# reads the first write after a read exactly when the snapshots show one:
# zero-page mappings down and anonymous memory up, by 100 MB or more each
# (which call writes the batch is the Go runtime's choice).
snapdiff() {
	for f in $2 $3; do
		sed 's/"processes".*//' /tmp/snap$f.json > /tmp/cg$f.json
	done
	z=$(($(cnum zero /tmp/cg$3.json) - $(cnum zero /tmp/cg$2.json)))
	a=$(($(cnum rss_anon /tmp/cg$3.json) - $(cnum rss_anon /tmp/cg$2.json)))
	memacct diff /tmp/snap$2.json /tmp/snap$3.json --json > /tmp/diff.json
	memacct diff /tmp/snap$2.json /tmp/snap$3.json | sed 's/^/# /'
	sed 's/"processes".*//' /tmp/diff.json > /tmp/diffcg.json
	if [ $z -le -100000000 ] && [ $a -ge 100000000 ]; then
		check "$1 snapshots $2 -> $3: zero $z, anonymous +$a: diff reads the first write after a read, with those numbers" \
			grep -q "\"counters\": {\"zero\": $z, \"rss_anon\": $a}, \"text\": \"memory read before was written now (first write after a read)\"" /tmp/diffcg.json
	else
		check "$1 snapshots $2 -> $3: zero $z, anonymous +$a: diff reads no first write" \
			sh -c '! grep -q "first write after a read" /tmp/diffcg.json'
	fi
}
cnum() { sed -n "s/.*\"$1\": \(-*[0-9]*\).*/\1/p" "$2" | head -n 1; }

emit() {
	echo "@@$1 $2"
	shift 2
	"$@"
	e_rc=$?
	echo "@@end"
	return $e_rc
}

# expect_exit STATUS CMD...: CMD fails with STATUS and one line.
expect_exit() {
	want=$1
	shift
	"$@" > /tmp/out 2> /tmp/err
	got=$?
	sed 's/^/#   /' /tmp/err
	[ $got -eq "$want" ] && [ "$(wc -l < /tmp/err)" -eq 1 ]
}

# smem and top on the same process, stopped while measured. smem walks
# smaps, so its USS, RSS and swap are memacct's to the KiB and its PSS is
# memacct's less at most 1 KiB per mapping (smem sums per-mapping figures,
# each truncated). top and ps show the kernel's RSS counters, which are
# cached per thread or per CPU: shown, not asserted.
tools() {
	v=$1
	/selftests/tool_views.sh $pid > /tmp/views
	sed 's/^/#   /' /tmp/views | grep -E 'smem|top|ps_|_uss|_pss|_rss |swap|mappings'
	for q in uss rss swap; do
		a=$(kv smem_$q /tmp/views)
		b=$(kv memacct_$q /tmp/views)
		check "$v: smem's ${q} $a KiB is memacct's $b" \
			sh -c "[ -n '$a' ] && [ '$a' = '$b' ]"
	done
	a=$(kv smem_pss /tmp/views)
	b=$(kv memacct_pss /tmp/views)
	n=$(kv mappings /tmp/views)
	check "$v: smem's pss $a KiB is memacct's $b less at most $n" \
		sh -c "[ -n '$a' ] && [ '$a' -le '$b' ] && [ '$a' -ge $((b - n)) ]"
}

for v in static cgo; do
	$R run -d --no-pivot --bundle /bundles/$v go-$v > /tmp/$v.log 2>&1
	i=0
	while ! grep -q listening /tmp/$v.log && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	pid=$($R state go-$v | num pid)
	i=0
	while [ ! -e $M/container-go-$v/stat ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	check "$v: runc started the service in cgroup /container-go-$v, mirrored by memacct" \
		grep -qx 'nr_processes 1' $M/container-go-$v/stat
	memacct snapshot /container-go-$v -o /tmp/snap0.json
	for call in 1 2; do
		wget -q -O /dev/null "http://127.0.0.1:8080/alloc?n=3000000"
		step $v "call $call"
		memacct snapshot /container-go-$v -o /tmp/snap$call.json
		snapdiff $v $((call - 1)) $call
		gocheck $v $call
	done
	if [ $v = static ]; then
		check "--go: an unreachable URL: exit 5, one line" \
			expect_exit 5 memacct task $pid --go "http://127.0.0.1:1/debug/pprof/heap?debug=1"
		check "--go: a file that is no heap profile: exit 2, one line" \
			expect_exit 2 memacct task $pid --go /proc/self/status
		check "--go: https (no TLS): exit 2, one line" \
			expect_exit 2 memacct explain /container-go-$v --go "https://127.0.0.1:8080/debug/vars"
	fi
	tools $v
	$R kill go-$v KILL
	sleep 1
	$R delete -f go-$v 2> /dev/null
done
