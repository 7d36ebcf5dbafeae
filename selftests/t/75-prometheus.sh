#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fleet path end to end, with Debian's own Prometheus: memacct export
# writes node_exporter's textfile (as the packaged timer does), Debian's
# prometheus-node-exporter serves it, Debian's prometheus scrapes it over
# loopback, and a PromQL query through Prometheus' HTTP API gives the
# reader's value for a pod's container, found by its Kubernetes labels.
# The binaries are in the initramfs only where scripts/prom-test.sh put
# them (one 6.12 boot); elsewhere this skips.
. /selftests/lib.sh
if [ ! -x /usr/bin/prometheus ]; then
	plan 1
	ok "# SKIP no Prometheus in this initramfs (scripts/prom-test.sh boots 6.12 with it)"
	exit 0
fi
plan 12
CG=/sys/fs/cgroup
POD=0f6a9a2c-5b1e-4c77-9d3a-7e2b8c1d4f60
CID=5d8e0a4c1f2b3e6d7a8c9b0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c
S=kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$(echo $POD | tr - _).slice
P=/$S/cri-containerd-$CID.scope
TF=/var/lib/prometheus/node-exporter
API=http://127.0.0.1:9090/api/v1

# query PROMQL: the value of a one-sample instant query, or nothing.
# Prometheus' JSON is one line; the value is the string after the time.
query() {
	q=$(printf '%s' "$1" | sed 's/%/%25/g; s/ /%20/g; s/"/%22/g; s/{/%7B/g; s/}/%7D/g; s/=/%3D/g; s/!/%21/g; s/,/%2C/g; s/(/%28/g; s/)/%29/g; s/+/%2B/g; s/&/%26/g; s/#/%23/g; s/;/%3B/g')
	wget -q -O /tmp/prom.json "$API/query?query=$q" 2> /dev/null || return 1
	sed -n 's/.*"value":\[[0-9.]*,"\([^"]*\)"\].*/\1/p' /tmp/prom.json
}

echo "+memory" > $CG/cgroup.subtree_control
mkdir -p "$CG/kubepods.slice/kubepods-besteffort.slice"
echo "+memory" > $CG/kubepods.slice/cgroup.subtree_control
echo "+memory" > $CG/kubepods.slice/kubepods-besteffort.slice/cgroup.subtree_control
mkdir -p "$CG/$S"
echo "+memory" > "$CG/$S/cgroup.subtree_control"
mkdir "$CG$P"
rm -f /tmp/demo.out
sh -c "echo \$\$ > '$CG$P/cgroup.procs'; exec demo_workload" > /tmp/demo.out &
demo=$!
wait_for grep -q child /tmp/demo.out || diag "the workload did not say it forked"
# Frozen, so that nothing it owns moves between the export and the query.
echo 1 > "$CG$P/cgroup.freeze"
wait_for grep -qx 'frozen 1' "$CG$P/cgroup.events" ||
	diag "the cgroup did not say frozen: the comparisons below may race"

mkdir -p $TF /tmp/prom
# memacct mirrors a cgroup whose parent enabled memory within a second.
wait_for [ -r "$MEMACCT$P/stat" ] || diag "memacct does not mirror $P"
check "memacct export --textfile (the packaged service's command)" \
	memacct export --textfile $TF
memacct cgroup "$P" --json > /tmp/prom-cg.json
# For the host's promtool check metrics (scripts/prom-test.sh).
echo "@@prom textfile"
cat $TF/memacct.prom
echo "@@end"
/usr/bin/prometheus-node-exporter --web.listen-address=127.0.0.1:9100 \
	--collector.disable-defaults --collector.textfile \
	--collector.textfile.directory=$TF > /tmp/ne.log 2>&1 &
ne=$!
cat > /tmp/prom/prometheus.yml <<EOF
global:
  scrape_interval: 2s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ["127.0.0.1:9100"]
EOF
/usr/bin/prometheus --config.file=/tmp/prom/prometheus.yml \
	--storage.tsdb.path=/tmp/prom/data --web.listen-address=127.0.0.1:9090 \
	> /tmp/prom.log 2>&1 &
prom=$!

# Up to 120 s for the first scrape (TCG starts Prometheus slowly).
sel="{pod_uid=\"$POD\",container_id=\"$CID\"}"
i=0
while [ $i -lt 120 ]; do
	first=$(query "memacct_cgroup_rss_bytes$sel")
	[ -n "$first" ] && break
	sleep 1
	i=$((i + 1))
done
check "node_exporter serves the textfile and Prometheus scrapes it (after $i s)" \
	[ -n "$first" ]
if [ -z "$first" ]; then
	tail -n 15 /tmp/prom.log | sed 's/^/# prometheus log: /'
	tail -n 15 /tmp/ne.log | sed 's/^/# node_exporter log: /'
fi
scrape_ok() {
	[ "$(query 'up{job="node"}')" = 1 ] && [ "$(query 'node_textfile_scrape_error')" = 0 ]
}
check "the scrape is up and the textfile collector had no error" scrape_ok

# Each value Prometheus returns equals the textfile's line and the reader's
# JSON read at the same moment: a frozen cgroup's mapped counters do not
# move; memory.current may, by kernel memory freed later (counters.md).
same() {
	key=$1
	got=$(query "memacct_cgroup_${key}_bytes$sel")
	file=$(grep "^memacct_cgroup_${key}_bytes{cgroup=\"$P\"" $TF/memacct.prom | sed 's/.* //')
	want=$(num "$key" /tmp/prom-cg.json)
	diag "$key: Prometheus $got, textfile $file, reader $want"
	[ -n "$got" ] && [ "$got" = "$file" ] && [ "$got" = "$want" ]
}
for key in rss rss_anon rss_file zero cow_pending private; do
	check "PromQL memacct_cgroup_${key}_bytes by pod_uid and container_id = the reader's" same $key
done
check "labels from the path: container_runtime containerd, the cgroup's own path" \
	[ "$(query "count(memacct_cgroup_rss_bytes{container_runtime=\"containerd\",cgroup=\"$P\"})")" = 1 ]
# Counts are hierarchical: the pod's slice has pod_uid too, and no
# container_id; a sum over a pod's containers selects container_id!="".
check "sum over the pod's containers (container_id!=\"\") = the container's rss; the pod's own series equals it" \
	sh -c "[ -n \"\$3\" ] && [ \"\$1\" = \"\$3\" ] && [ \"\$2\" = \"\$3\" ]" sh \
	"$(query "sum(memacct_cgroup_rss_bytes{pod_uid=\"$POD\",container_id!=\"\"})")" \
	"$(query "memacct_cgroup_rss_bytes{pod_uid=\"$POD\",container_id=\"\"}")" \
	"$(num rss /tmp/prom-cg.json)"
{ cat /tmp/prom.json; echo; } | sed 's/^/# prometheus: /'

kill $prom $ne 2> /dev/null
wait $prom $ne 2> /dev/null
gone=1
kill -0 $prom 2> /dev/null && gone=0
kill -0 $ne 2> /dev/null && gone=0
# The workload and the child it forked.
echo 1 > "$CG$P/cgroup.kill"
wait $demo 2> /dev/null
wait_for grep -qx 'populated 0' "$CG$P/cgroup.events"
rmdir "$CG$P" "$CG/$S" "$CG/kubepods.slice/kubepods-besteffort.slice" "$CG/kubepods.slice" 2> /dev/null
cleaned() { [ $gone = 1 ] && [ ! -d "$CG/kubepods.slice" ]; }
check "Prometheus and node_exporter are gone, the cgroups removed" cleaned
