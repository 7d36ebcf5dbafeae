#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Static checks of the module: checkpatch --strict (taken from Debian's
# linux-source-6.12 tarball at check time, never committed) and sparse
# (C=2) against every pinned kernel. Any finding fails.
set -eu
. "$(dirname "$0")/common.sh"
lint=$BUILD/lint
mkdir -p "$lint"
tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null) ||
	die "linux-source-6.12 is not installed (run scripts/deps.sh)"
cp_dir=$lint/linux-source-6.12/scripts
if [ ! -f "$cp_dir/checkpatch.pl" ]; then
	tar -xJf "$tarball" -C "$lint" \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch
fi

fail=0
echo "lint: checkpatch --strict module/"
if ! (cd "$TOP" && perl "$cp_dir/checkpatch.pl" --no-tree --strict --quiet \
	--ignore FILE_PATH_CHANGES -f $(cd "$TOP" && ls module/*.[ch] | grep -v '\.mod\.c$')); then
	fail=1
fi

for k in $(kernels); do
	echo "lint: sparse (C=2) against $k"
	out=$BUILD/obj/sparse-$k
	rm -rf "$out"
	mkdir -p "$out"
	cp -r "$TOP/Kbuild" "$TOP/module" "$out/"
	make -C "$(kernel_kdir "$k")" M="$out" C=2 modules > "$out/sparse.log" 2>&1 ||
		{ cat "$out/sparse.log"; fail=1; continue; }
	if grep -E 'warning:|error:' "$out/sparse.log"; then
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "lint: clean"
exit $fail
