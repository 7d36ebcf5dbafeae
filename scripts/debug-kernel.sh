#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build a debug kernel (KASAN, lockdep, DEBUG_VM, DEBUG_ATOMIC_SLEEP,
# kmemleak, debug objects, fault injection) from Debian's linux-source-6.12,
# and lay it out like the Debian kernels under $BUILD/kernels/debug so the
# same scripts build the module for it and boot it. Cached: rebuilt only
# when the config fragment or the source package changes.
set -eu
. "$(dirname "$0")/common.sh"
tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || die "linux-source-6.12 is not installed (scripts/deps.sh)"
frag=$TOP/scripts/debug/memacct-debug.config
dir=$BUILD/debug-kernel
dest=$BUILD/kernels/debug
stamp="$(cat "$frag" | md5sum | cut -c1-12)-$(stat -c %Y "$tarball")"
if [ -f "$dest/.done-$stamp" ]; then
	echo "debug-kernel: cached ($dest)"
	exit 0
fi

start=$(date +%s)
rm -rf "$dir" "$dest"
mkdir -p "$dir"
tar -xJf "$tarball" -C "$dir"
src=$dir/linux-source-6.12
out=$dir/out
make -s -C "$src" O="$out" tinyconfig
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" > /dev/null
make -s -C "$src" O="$out" olddefconfig
# Every line of the fragment must have survived (a dependency not met
# silently drops an option).
missing=$(grep '^CONFIG_.*=y' "$frag" | while read -r l; do
	grep -qx "$l" "$out/.config" || echo "$l"
done)
[ -z "$missing" ] || die "debug config lost: $missing"
make -s -C "$src" O="$out" -j"$(nproc)" bzImage modules
abi=$(cat "$out/include/config/kernel.release")
mkdir -p "$dest/root/boot"
cp "$out/arch/x86/boot/bzImage" "$dest/root/boot/vmlinuz-$abi"
cp "$out/.config" "$dest/root/boot/config-$abi"
make -s -C "$src" O="$out" INSTALL_MOD_PATH="$dest/root" modules_install
ln -s "root/boot/vmlinuz-$abi" "$dest/vmlinuz"
ln -s "root/boot/config-$abi" "$dest/config"
ln -s "root/lib/modules/$abi" "$dest/modules"
ln -s "$out" "$dest/kdir"
echo "$abi" > "$dest/abi"
touch "$dest/.done-$stamp"
echo "debug-kernel: $abi built in $(($(date +%s) - start)) s"
