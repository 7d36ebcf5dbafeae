#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Static checks of the module: checkpatch --strict (taken from Debian's
# linux-source-6.12 tarball at check time, never committed) and sparse
# (C=2) against every pinned kernel, in the kernel's build root where it
# has one (common.sh kernel_exec). Any finding fails.
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

# Kernels of other releases are checked with the newest sparse among the
# build roots (trixie's 0.6.4 cannot parse 7.3's __typeof_unqual__), with
# the kernel's compiler added to that root.
sparse_root=
sparse_ver=0
for r in "$BUILD"/roots/*/; do
	[ -f "$r/.memacct-root" ] || continue
	v=$(dpkg-query --admindir="$r/var/lib/dpkg" -W -f='${Version}' sparse)
	if dpkg --compare-versions "$v" gt "$sparse_ver"; then
		sparse_root=${r%/}
		sparse_ver=$v
	fi
done

for k in $(kernels); do
	echo "lint: sparse (C=2) against $k"
	run=
	if [ -n "$(kernel_root "$k")" ]; then
		"$TOP/scripts/buildroot.sh" "$(basename "$sparse_root")" \
			"$(kernel_cc "$k")"
		run="root_exec $sparse_root"
	fi
	out=$BUILD/obj/sparse-$k
	rm -rf "$out"
	mkdir -p "$out"
	cp -r "$TOP/Kbuild" "$TOP/module" "$out/"
	$run make -C "$(kernel_kdir "$k")" M="$out" C=2 modules \
		> "$out/sparse.log" 2>&1 ||
		{ cat "$out/sparse.log"; fail=1; continue; }
	# A borrowed root's pahole is not the kernel's: that only matters
	# to BTF, which sparse does not look at.
	if grep -v 'pahole version differs' "$out/sparse.log" |
	   grep -E 'warning:|error:|not available'; then
		fail=1
	fi
	# kbuild skips the checker with no more than a warning: make sure it ran.
	if ! grep -q '^  CHECK ' "$out/sparse.log"; then
		echo "lint: sparse did not run against $k" >&2
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "lint: clean"
exit $fail
