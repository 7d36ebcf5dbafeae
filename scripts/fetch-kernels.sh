#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Download every pinned kernel (scripts/kernels.conf) from Debian's archive
# and unpack it under $BUILD/kernels/<name>/: root/ (the image: vmlinuz,
# config, modules) and hdr/ (the headers, never installed on the machine),
# with the links vmlinuz, config, modules and kdir. Kernels of other
# suites also get their build root (scripts/buildroot.sh). Cached: a kernel
# already unpacked is not fetched again.
set -eu
. "$(dirname "$0")/common.sh"
. "$TOP/scripts/apt-private.sh"
mkdir -p "$BUILD/kernels"

suites=$(private_suites)
# shellcheck disable=SC2086
[ -z "$suites" ] || papt_update $suites

# A pin Debian dropped: say which line to change, and to what.
gone() {
	newest=$("$TOP/scripts/bump-kernels.sh" --print "$1" 2> /dev/null || true)
	die "kernels.conf: $1 pins $2=$3, which Debian's $(kernel_suite "$1") no longer serves${newest:+; newest is $newest}. Run 'make bump-kernels' (or edit that line)."
}

# A package the headers depend on, as NAME=VERSION where they name the
# exact version, else NAME (the suite's current one: kbuild says ">=").
dep_of() {
	kernel_apt "$1" apt-cache show "linux-headers-$2=$3" |
		sed -n 's/^Depends: //p' | tr ',' '\n' |
		sed -n -e "s/^ *\\($4\\) (= \\(.*\\))\$/\\1=\\2/p" \
		       -e "s/^ *\\($4\\)\\( .*\\)\\{0,1\\}\$/\\1/p" | head -n 1
}

for k in $(kernels); do
	abi=$(kernel_field "$k" 2)
	ver=$(kernel_field "$k" 3)
	dest=$BUILD/kernels/$k
	stamp=$dest/.done-$abi-$ver
	if [ ! -f "$stamp" ]; then
		kernel_apt "$k" apt-cache show "linux-headers-$abi=$ver" \
			> /dev/null 2>&1 || gone "$k" "linux-headers-$abi" "$ver"
		# 7.x splits the image: kernel, config + System.map, modules.
		if kernel_apt "$k" apt-cache show "linux-binary-$abi=$ver" \
			> /dev/null 2>&1; then
			image="linux-binary-$abi linux-base-$abi linux-modules-$abi"
		else
			image="linux-image-$abi"
		fi
		common=$(dep_of "$k" "$abi" "$ver" 'linux-headers-[^ ]*-common')
		kbuild=$(dep_of "$k" "$abi" "$ver" 'linux-kbuild-[^ ]*')
		[ -n "$common" ] && [ -n "$kbuild" ] ||
			die "linux-headers-$abi=$ver: no -common or kbuild dependency"
		rm -rf "$dest"
		mkdir -p "$dest/deb"
		pkgs=
		for p in $image "linux-headers-$abi"; do
			pkgs="$pkgs $p=$ver"
		done
		pkgs="$pkgs $common $kbuild"
		# shellcheck disable=SC2086
		(cd "$dest/deb" && kernel_apt "$k" apt-get download $pkgs) \
			> "$dest/download.log" 2>&1 ||
			{ cat "$dest/download.log" >&2; die "download of $k failed"; }
		for d in "$dest"/deb/*.deb; do
			case "$d" in
			*/linux-headers-*|*/linux-kbuild-*) dpkg -x "$d" "$dest/hdr" ;;
			*) dpkg -x "$d" "$dest/root" ;;
			esac
		done
		rm -rf "$dest/deb"
		img=boot/vmlinuz-$abi
		[ -e "$dest/root/$img" ] || img=usr/lib/modules/$abi/vmlinuz
		cfg=boot/config-$abi
		[ -e "$dest/root/$cfg" ] || cfg=usr/lib/modules/$abi/config
		mods=lib/modules/$abi
		[ -d "$dest/root/$mods/kernel" ] || mods=usr/lib/modules/$abi
		for f in "$img" "$cfg" "$mods/kernel"; do
			[ -e "$dest/root/$f" ] || die "$k: no $f in its packages"
		done
		ln -s "root/$img" "$dest/vmlinuz"
		ln -s "root/$cfg" "$dest/config"
		ln -s "root/$mods" "$dest/modules"
		# The headers' Makefile names its trees by absolute path.
		h=$dest/hdr/usr/src/linux-headers-$abi
		sed -i "s|/usr/src/|$dest/hdr/usr/src/|g" "$h/Makefile"
		ln -s "hdr/usr/src/linux-headers-$abi" "$dest/kdir"
		cv=$(readlink -f "$h/scripts")/checker-valid.sh
		[ -e "$cv" ] || cp "$TOP/scripts/checker-valid.sh" "$cv"
		echo "$abi" > "$dest/abi"
		touch "$stamp"
		echo "fetch-kernels: $k ($abi $ver) ready"
	fi
	# The compiler this kernel was built with, where its modules build.
	cc=$(kernel_cc "$k")
	if [ -n "$(kernel_root "$k")" ]; then
		"$TOP/scripts/buildroot.sh" "$(kernel_rootsuite "$k")" "$cc"
	elif ! command -v "x86_64-linux-gnu-$cc" > /dev/null; then
		die "$k was built with $cc, which is not installed (scripts/deps.sh)"
	fi
done
