#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fleet path with Debian's own Prometheus (selftests/t/75-prometheus.sh):
# prometheus and prometheus-node-exporter are unpacked from Debian's
# packages (downloaded, never installed here: their postinst would start
# services) into a root added to a pinned kernel's initramfs, which boots
# that test alone. Then promtool, from the same package, checks the
# textfile the guest exported and the deployment rules of docs/deploy.
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

export VM_NAME=prom-$k
EXTRA_ROOT=$p/root "$TOP/scripts/mkinitramfs.sh" "$k" > /dev/null
VM_CMDLINE="memacct_only=75-prometheus.sh" "$TOP/scripts/vm.sh" "$k" check \
	> "$p/vm.log" 2>&1 || rc=$?
log=$BUILD/vm/$VM_NAME/results.log
grep -E '^(not )?ok |^# ' "$log" | grep -v '^# prometheus: ' || true
[ "${rc:-0}" = 0 ] || { tail -n 30 "$p/vm.log"; die "the Prometheus test failed in the $k VM"; }
grep -q '^ok .*# SKIP' "$log" && die "the $k guest had no Prometheus"

# promtool on what the guest exported, and on the deployment's rules.
sed -n '/^@@prom textfile$/,/^@@end$/p' "$log" | sed '1d;$d' > "$p/memacct.prom"
[ -s "$p/memacct.prom" ] || die "the guest printed no textfile"
"$promtool" check metrics < "$p/memacct.prom" || die "promtool check metrics rejects the textfile"
echo "prom-test: promtool check metrics accepts the textfile ($(grep -c '^memacct_' "$p/memacct.prom") samples)"
for r in "$TOP"/docs/deploy/*rules*.yml; do
	[ -e "$r" ] || continue
	"$promtool" check rules "$r" || die "promtool check rules rejects $r"
done
echo "prom-test: node_exporter served it, Prometheus scraped it, PromQL answered as the reader"
