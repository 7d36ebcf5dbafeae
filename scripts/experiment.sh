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
{
	cat "$TOP/docs/experiments/container-memory-intro.md"
	echo
	echo "## Results ($(date -u +%Y-%m-%d), Debian 6.12.117 in QEMU TCG, runc $(runc --version | head -n 1 | cut -d' ' -f3), $(go version | cut -d' ' -f3))"
	echo
	echo "$table"
	cat "$TOP/docs/experiments/container-memory-explained.md"
} > "$out"
echo "experiment: wrote $out"
