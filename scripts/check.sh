#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make check`: install what is missing, lint, build for every pinned
# kernel, run the whole selftest suite in a VM of each, and end with one
# "N passed, N failed" line. Exit status 1 on any failure or kernel splat.
set -eu
. "$(dirname "$0")/common.sh"

"$TOP/scripts/deps.sh" experiment
"$TOP/scripts/fetch-kernels.sh"

summary=$BUILD/summary.txt
mkdir -p "$BUILD"
: > "$summary"
# step NAME CMD...: a host-side step counted as one test.
step() {
	name=$1
	shift
	if "$@"; then
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
for k in $(kernels); do
	if ! "$TOP/scripts/build-module.sh" "$k" ||
	   ! EXTRA_ROOT=$BUILD/container/root "$TOP/scripts/mkinitramfs.sh" "$k"; then
		echo "not ok $k: build" >> "$summary"
		continue
	fi
	echo "ok $k: build (W=1, no warnings)" >> "$summary"
	if "$TOP/scripts/vm.sh" "$k" check; then
		vm="ok"
	else
		vm="not ok"
	fi
	echo "$vm $k: VM finished cleanly, no kernel reports" >> "$summary"
	# Every test case of the guest, named with its kernel.
	grep -E '^(not )?ok ' "$BUILD/vm/$k/results.log" |
		sed "s/^\\(not ok\\|ok\\) [0-9-]* */\\1 $k: /" >> "$summary" || true
	# The reader's JSON and Prometheus outputs, through real parsers.
	/usr/bin/python3 "$TOP/scripts/check-outputs.py" "$k" \
		"$BUILD/vm/$k/results.log" >> "$summary" || true
done

echo
echo "== summary"
grep '^not ok' "$summary" || true
passed=$(grep -c '^ok ' "$summary" || true)
failed=$(grep -c '^not ok' "$summary" || true)
skipped=$(grep -c '# SKIP' "$summary" || true)
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
