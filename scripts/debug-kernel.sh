#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build a debug kernel (KASAN, lockdep, DEBUG_VM, DEBUG_ATOMIC_SLEEP,
# kmemleak, debug objects, fault injection) from Debian's linux-source of a
# pinned kernel's series, with that kernel's compiler, in its build root
# where it has one, and lay it out like the Debian kernels under
# $BUILD/kernels/debug-BASE so the same scripts build the module for it and
# boot it. Cached: rebuilt only when the config fragment or the source
# package changes. Usage: debug-kernel.sh BASE   (a kernels.conf name)
set -eu
. "$(dirname "$0")/common.sh"
. "$TOP/scripts/apt-private.sh"
base=${1:?base kernel (e.g. 6.12)}
ver=$(kernel_field "$base" 3)
[ -n "$ver" ] || die "$base is not in kernels.conf"
series=$(kernel_field "$base" 2 | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
name=debug-$base
frag=$TOP/scripts/debug/memacct-debug.config
dir=$BUILD/$name-kernel
dest=$BUILD/kernels/$name
stamp="$(md5sum < "$frag" | cut -c1-12)-$ver"
if [ -f "$dest/.done-$stamp" ]; then
	echo "debug-kernel: cached ($dest)"
	exit 0
fi

start=$(date +%s)
rm -rf "$dir" "$dest"
mkdir -p "$dir/deb"
(cd "$dir/deb" && kernel_apt "$base" apt-get download "linux-source-$series=$ver") \
	> "$dir/download.log" 2>&1 ||
	{ cat "$dir/download.log" >&2; die "no linux-source-$series=$ver in $(kernel_suite "$base")"; }
dpkg -x "$dir"/deb/*.deb "$dir/deb/x"
tar -xJf "$dir/deb/x/usr/src/linux-source-$series.tar.xz" -C "$dir"
rm -rf "$dir/deb"
src=$dir/linux-source-$series
out=$dir/out

# The kernel's own compiler, and what a kernel build needs besides.
cc=$(kernel_cc "$base")
mk="make -s -C $src O=$out"
if [ -n "$(kernel_root "$base")" ]; then
	"$TOP/scripts/buildroot.sh" "$(kernel_rootsuite "$base")" "$cc" flex bison
	mk="$mk CC=x86_64-linux-gnu-$cc HOSTCC=$cc"
fi
kernel_exec "$base" $mk tinyconfig
kernel_exec "$base" "$src/scripts/kconfig/merge_config.sh" -m -O "$out" \
	"$out/.config" "$frag" > /dev/null
kernel_exec "$base" $mk olddefconfig
# Every line of the fragment this kernel knows must have survived (a
# dependency not met silently drops an option); one it does not know (7.3
# folded PROC_SYSCTL into SYSCTL) is left out.
find "$src" -name 'Kconfig*' -exec sed -n 's/^[[:space:]]*\(menu\)\{0,1\}config \([A-Z0-9_]*\).*/\2/p' {} + |
	sort -u > "$dir/symbols"
missing=$(grep '^CONFIG_.*=y' "$frag" | while read -r l; do
	sym=${l#CONFIG_}
	grep -qx "${sym%%=*}" "$dir/symbols" || continue
	grep -qx "$l" "$out/.config" || echo "$l"
done)
[ -z "$missing" ] || die "debug config lost: $missing"
kernel_exec "$base" $mk -j"$(nproc)" bzImage modules
abi=$(cat "$out/include/config/kernel.release")
mkdir -p "$dest/root/boot"
cp "$out/arch/x86/boot/bzImage" "$dest/root/boot/vmlinuz-$abi"
cp "$out/.config" "$dest/root/boot/config-$abi"
kernel_exec "$base" $mk INSTALL_MOD_PATH="$dest/root" modules_install
ln -s "root/boot/vmlinuz-$abi" "$dest/vmlinuz"
ln -s "root/boot/config-$abi" "$dest/config"
ln -s "root/lib/modules/$abi" "$dest/modules"
ln -s "$out" "$dest/kdir"
echo "$abi" > "$dest/abi"
# Its module builds where the base kernel's do.
kernel_suite "$base" > "$dest/suite"
touch "$dest/.done-$stamp"
echo "debug-kernel: $name ($abi) built in $(($(date +%s) - start)) s"
