#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make check`: install what is missing, lint, build for every pinned
# kernel, run the whole selftest suite in a VM of each, and end with one
# "N passed, N failed" line. Exit status 1 on any failure or kernel splat.
# The VMs run VM_JOBS at a time (default 2: each TCG guest is one host
# thread); the wall time of every phase goes to $BUILD/timing.txt.
set -eu
. "$(dirname "$0")/common.sh"

mkdir -p "$BUILD"
timing=$BUILD/timing.txt
: > "$timing"
# phase NAME CMD...: run CMD, and note how long it took.
phase() {
	name=$1
	shift
	t0=$(date +%s)
	rc=0
	"$@" || rc=$?
	printf '%-44s %5d s\n' "$name" $(($(date +%s) - t0)) >> "$timing"
	return $rc
}

phase "deps (apt-get)" "$TOP/scripts/deps.sh" experiment
phase "kernels, headers, build roots" "$TOP/scripts/fetch-kernels.sh"

summary=$BUILD/summary.txt
: > "$summary"
# step NAME CMD...: a host-side step counted as one test.
step() {
	name=$1
	shift
	if phase "$name" "$@"; then
		echo "ok $name" >> "$summary"
	else
		echo "not ok $name" >> "$summary"
	fi
}

step "lint: checkpatch --strict, sparse" "$TOP/scripts/lint.sh"
step "build: reader and selftests" "$TOP/scripts/build-user.sh"
# The reader's unit tests, on the host: every case into the summary.
mkdir -p "$BUILD/host"
if make -s -C "$TOP/userspace" O="$BUILD/host" test > "$BUILD/host/unit.log" 2>&1; then
	echo "ok host: reader unit tests" >> "$summary"
else
	echo "not ok host: reader unit tests" >> "$summary"
fi
grep -E '^(not )?ok ' "$BUILD/host/unit.log" |
	sed 's/^\(not ok\|ok\) [0-9]* */\1 host: /' >> "$summary" || true
step "dkms: builds for every kernel" "$TOP/scripts/dkms-test.sh"
step "build: runc and the Go service's bundles" "$TOP/scripts/build-container.sh"

build_one() {
	"$TOP/scripts/build-module.sh" "$1" &&
	EXTRA_ROOT=$BUILD/container/root "$TOP/scripts/mkinitramfs.sh" "$1"
}
booted=
for k in $(kernels); do
	if phase "$k: module (W=1) and initramfs" build_one "$k"; then
		echo "ok $k: build (W=1, no warnings)" >> "$summary"
		booted="$booted $k"
	else
		echo "not ok $k: build" >> "$summary"
	fi
done

# Each guest's output goes to build/vm/<k>/vm.out, and is shown when it
# ends; vm.rc says how it ended.
run_vms() {
	echo "$booted" | tr ' ' '\n' | grep . |
		xargs -P "${VM_JOBS:-2}" -I{} sh -c '
			"$1/scripts/vm.sh" "$2" check > "$3/vm/$2/vm.out" 2>&1
			echo $? > "$3/vm/$2/vm.rc"
			cat "$3/vm/$2/vm.out"' sh "$TOP" {} "$BUILD"
}
phase "VMs, $(echo $booted | wc -w) kernels, ${VM_JOBS:-2} at a time" run_vms || true

for k in $booted; do
	if [ "$(cat "$BUILD/vm/$k/vm.rc" 2> /dev/null)" = 0 ]; then
		echo "ok $k: VM finished cleanly, no kernel reports" >> "$summary"
	else
		echo "not ok $k: VM finished cleanly, no kernel reports: $(cat "$BUILD/vm/$k/why" 2> /dev/null)" >> "$summary"
	fi
	# Every test case of the guest, named with its kernel.
	grep -E '^(not )?ok ' "$BUILD/vm/$k/results.log" |
		sed "s/^\\(not ok\\|ok\\) [0-9-]* */\\1 $k: /" >> "$summary" || true
	# The reader's JSON and Prometheus outputs, through real parsers.
	/usr/bin/python3 "$TOP/scripts/check-outputs.py" "$k" \
		"$BUILD/vm/$k/results.log" >> "$summary" || true
done

# The Debian packages, as a user installs them (after the suites: it
# boots 6.12 once more, with the module DKMS built from the package).
step "deb: make deb and lintian, apt-get install, DKMS build for 6.12, its smoke tests, apt-get remove leaves nothing" \
	"$TOP/scripts/deb-test.sh" 6.12
# The fleet path: Debian's node_exporter and Prometheus in a 6.12 guest.
step "prometheus: node_exporter serves memacct export's textfile, Prometheus scrapes it, PromQL equals the reader; promtool checks metrics and rules" \
	"$TOP/scripts/prom-test.sh" 6.12

echo
echo "== wall time by phase"
cat "$timing"
echo
echo "== summary"
grep '^not ok' "$summary" || true
passed=$(grep -c '^ok ' "$summary" || true)
failed=$(grep -c '^not ok' "$summary" || true)
skipped=$(grep -c '# SKIP' "$summary" || true)
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
