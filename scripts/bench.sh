#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make bench`: boot Debian's 6.12 kernel with enough memory for a 4 GiB
# process, run selftests/bench.c, print its table and write it, with how
# it was measured, to docs/performance.md. BENCH_ONLY=SECTION (process,
# cgroup, lockdown, latency, scale, profile) runs one section and only
# prints it.
set -eu
. "$(dirname "$0")/common.sh"
k=6.12
"$TOP/scripts/deps.sh"
"$TOP/scripts/deps.sh" bench
"$TOP/scripts/fetch-kernels.sh"
"$TOP/scripts/build-module.sh" "$k"
"$TOP/scripts/build-user.sh"
# Debian 12's perf (6.1's: its clock sampling and report work against
# 6.12) and its libraries, in the VM.
extra=$BUILD/bench-root
rm -rf "$extra"
with_libs "$extra" /usr/bin/perf
EXTRA_ROOT=$extra "$TOP/scripts/mkinitramfs.sh" "$k"
VM_CMDLINE="${VM_CMDLINE:-} ${BENCH_ONLY:+bench_only=$BENCH_ONLY}" \
	VM_MEM=${VM_MEM:-8G} VM_TIMEOUT=${VM_TIMEOUT:-1500} \
	"$TOP/scripts/vm.sh" "$k" bench
table=$(sed -n '/^@@md$/,/^@@end$/p' "$BUILD/vm/$k/results.log" | sed '1d;$d')
[ -n "$table" ] || die "the benchmark printed no table"
if [ -n "${BENCH_ONLY:-}" ]; then
	echo "$table"
	exit 0
fi
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
out=$TOP/docs/performance.md
svg=$TOP/docs/performance-scale.svg
# The scale section's rows, drawn (scripts/plot-scale.awk).
echo "$table" | sed -n '/^### A cgroup.s cost against the host/,/^### Where/p' |
	awk -f "$TOP/scripts/plot-scale.awk" > "$svg.tmp"
mv "$svg.tmp" "$svg"
{
	cat "$TOP/docs/performance-method.md"
	echo
	echo "## Results ($(date -u +%Y-%m-%d), host CPU: $cpu, $(nproc) cores, QEMU TCG)"
	echo
	echo "$table"
} > "$out"
echo "bench: wrote $out and $svg"
