#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build memacct.ko for one pinned kernel, with W=1, in its own copy of the
# sources (out-of-tree builds write next to the sources). Any compiler
# warning fails the build. Usage: build-module.sh KERNEL [make args...]
set -eu
. "$(dirname "$0")/common.sh"
k=${1:?kernel name}; shift
kdir=$(kernel_kdir "$k")
[ -d "$kdir" ] || die "no headers for $k (run scripts/fetch-kernels.sh)"
out=$BUILD/obj/$k
rm -rf "$out"
mkdir -p "$out"
cp -r "$TOP/Kbuild" "$TOP/module" "$out/"
# In the kernel's own build root where it has one (common.sh kernel_exec),
# with the compiler it was built with (Debian's headers name it too).
[ -z "$(kernel_root "$k")" ] || set -- CC="x86_64-linux-gnu-$(kernel_cc "$k")" "$@"
if ! kernel_exec "$k" make -C "$kdir" M="$out" W=1 "$@" modules \
	> "$out/build.log" 2>&1; then
	cat "$out/build.log"
	die "build failed for $k"
fi
if grep -E 'warning:|error:' "$out/build.log"; then
	die "compiler warnings for $k (W=1)"
fi
echo "build-module: $out/module/memacct.ko ($k, W=1, no warnings)"
