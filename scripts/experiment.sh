#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make experiment`: a Go service (static, and dynamically linked with cgo)
# in a real OCI container (Debian's runc) limited to 128 MiB, called twice
# with N = 3,000,000, every view of its memory recorded after each step;
# the table goes to stdout and to docs/experiments/container-memory.md.
set -eu
. "$(dirname "$0")/common.sh"
k=6.12
"$TOP/scripts/prepare-container-vm.sh" "$k"
VM_MEM=${VM_MEM:-2G} VM_TIMEOUT=${VM_TIMEOUT:-900} "$TOP/scripts/vm.sh" "$k" experiment
table=$(sed -n '/^@@md$/,/^@@end$/p' "$BUILD/vm/$k/results.log" | sed '1d;$d')
[ -n "$table" ] || die "the experiment printed no table"
out=$TOP/docs/experiments/container-memory.md
mkdir -p "$(dirname "$out")"
# The report of the static build's recording, and a picture of it in
# Debian's chromium.
html=$TOP/docs/experiments/container-memory.html
sed -n '/^@@html report-static$/,/^@@end$/p' "$BUILD/vm/$k/results.log" | sed '1d;$d' > "$html"
[ -s "$html" ] || die "the experiment printed no report"
/usr/bin/python3 "$TOP/scripts/check_report.py" render "$html" \
	"$TOP/docs/experiments/container-memory.png" ||
	die "chromium could not render $html"
watch=$(sed -n '/^@@text watch-static$/,/^@@end$/p' "$BUILD/vm/$k/results.log" | sed '1d;$d')
{
	cat "$TOP/docs/experiments/container-memory-intro.md"
	echo
	echo "## Results ($(date -u +%Y-%m-%d), Debian 6.12.117 in QEMU TCG, runc $(runc --version | head -n 1 | cut -d' ' -f3), $(go version | cut -d' ' -f3))"
	echo
	echo "$table"
	echo
	echo "## The static build over time"
	echo
	echo "\`memacct watch /container-go-static -d 0.5 -o rec.json\` across both calls:"
	echo
	echo '```'
	echo "$watch"
	echo '```'
	echo
	echo "\`memacct report rec.json -o container-memory.html\` ([the page](container-memory.html)), in Debian's chromium:"
	echo
	echo "![memacct report of the static build's recording](container-memory.png)"
	cat "$TOP/docs/experiments/container-memory-explained.md"
} > "$out"
echo "experiment: wrote $out"
