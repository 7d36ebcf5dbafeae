#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fleet path with Debian's own Prometheus (selftests/t/75-prometheus.sh):
# prometheus and prometheus-node-exporter are unpacked from Debian's
# packages (downloaded, never installed here: their postinst would start
# services) into a root added to a pinned kernel's initramfs, which boots
# that test alone. Then promtool, from the same package, checks the
# textfile the guest exported and docs/deploy: the rules, the scrape
# configuration and the dashboard's queries.
# Usage: prom-test.sh [KERNEL]   (after build-module.sh and build-user.sh)
set -eu
. "$(dirname "$0")/common.sh"
k=${1:-6.12}
p=$BUILD/prom
rm -rf "$p"
mkdir -p "$p/deb" "$p/root"
(cd "$p/deb" && apt-get download prometheus prometheus-node-exporter) \
	> "$p/download.log" 2>&1 ||
	{ cat "$p/download.log" >&2; die "apt-get download prometheus prometheus-node-exporter failed"; }
for d in "$p"/deb/*.deb; do
	dpkg -x "$d" "$p/x"
done
for b in prometheus prometheus-node-exporter; do
	with_libs "$p/root" "$p/x/usr/bin/$b" "/usr/bin/$b"
done
promtool=$p/x/usr/bin/promtool
"$promtool" --version > /dev/null || die "promtool from the package does not run"

rc=0
export VM_NAME=prom-$k
EXTRA_ROOT=$p/root "$TOP/scripts/mkinitramfs.sh" "$k" > /dev/null
VM_CMDLINE="memacct_only=75-prometheus.sh" "$TOP/scripts/vm.sh" "$k" check \
	> "$p/vm.log" 2>&1 || rc=$?
log=$BUILD/vm/$VM_NAME/results.log
grep -E '^(not )?ok |^# ' "$log" | grep -v '^# prometheus: ' || true
[ "$rc" = 0 ] || { tail -n 30 "$p/vm.log"; die "the Prometheus test failed in the $k VM"; }
grep -q '^ok .*# SKIP' "$log" && die "the $k guest had no Prometheus"

# promtool on what the guest exported, and on the deployment's rules.
sed -n '/^@@prom textfile$/,/^@@end$/p' "$log" | sed '1d;$d' > "$p/memacct.prom"
[ -s "$p/memacct.prom" ] || die "the guest printed no textfile"
"$promtool" check metrics < "$p/memacct.prom" || die "promtool check metrics rejects the textfile"
echo "prom-test: promtool check metrics accepts the textfile ($(grep -c '^memacct_' "$p/memacct.prom") samples)"
d=$TOP/docs/deploy
"$promtool" check rules "$d/memacct-rules.yml" || die "promtool check rules rejects memacct-rules.yml"
# Debian's Prometheus has no Kubernetes discovery: the scrape config is
# checked with that block replaced by a static target (docs/deploy/README.md).
mkdir -p "$p/config"
cp "$d/memacct-rules.yml" "$p/config/"
sed '/kubernetes_sd_configs:/,/names:/c\    static_configs:\n      - targets: ["127.0.0.1:9101"]' \
	"$d/prometheus-scrape.yml" > "$p/config/prometheus.yml"
# The replacement must have taken only the discovery block.
if grep -q kubernetes_sd_configs "$p/config/prometheus.yml" ||
   ! grep -q relabel_configs "$p/config/prometheus.yml"; then
	die "prometheus-scrape.yml: the discovery block was not replaced as expected"
fi
"$promtool" check config "$p/config/prometheus.yml" || die "promtool check config rejects prometheus-scrape.yml"
# Every query of the dashboard parses as PromQL (as a recording rule), and
# it and the rules name only families the guest's textfile has.
/usr/bin/python3 - "$d/grafana-dashboard.json" "$p/memacct.prom" "$p/dash-rules.yml" \
	"$d/memacct-rules.yml" <<'PY' ||
import json, re, sys
dash, prom, out, rules = sys.argv[1:]
have = {l.split("{")[0].split(" ")[0] for l in open(prom) if l.startswith("memacct_")}
exprs = [t["expr"] for p in json.load(open(dash))["panels"] for t in p.get("targets", [])]
named = {m for e in exprs + [open(rules).read()] for m in re.findall(r"(?<![:a-z_])memacct_[a-z_]+", e)}
bad = sorted(named - have)
if bad:
    sys.exit("the dashboard or the rules name families memacct does not export: " + " ".join(bad))
with open(out, "w") as f:
    f.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, e in enumerate(exprs):
        e = e.replace("$instance", ".*").replace("$pod", ".*")
        f.write("      - record: dashboard_query_%d\n        expr: %s\n" % (i, json.dumps(e)))
print("prom-test: the dashboard's %d queries name only exported families" % len(exprs))
PY
	die "the dashboard or the rules do not match the export"
"$promtool" check rules "$p/dash-rules.yml" > /dev/null || die "a dashboard query is not PromQL"
echo "prom-test: promtool accepts the rules, the scrape config and every dashboard query"
echo "prom-test: node_exporter served it, Prometheus scraped it, PromQL answered as the reader"
