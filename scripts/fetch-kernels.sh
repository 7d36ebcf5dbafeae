#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Download the pinned kernel images from Debian's archive and unpack them into
# $BUILD/kernels/<name>/ (vmlinuz, config, modules). Cached: a kernel already
# unpacked is not fetched again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$here/../build}
mkdir -p "$BUILD/kernels"

while read -r name abi ver; do
	case "$name" in ''|\#*) continue ;; esac
	dest=$BUILD/kernels/$name
	[ -f "$dest/.done-$ver" ] && continue
	rm -rf "$dest"
	mkdir -p "$dest/deb"
	(cd "$dest/deb" && apt-get download -q "linux-image-$abi=$ver")
	dpkg -x "$dest"/deb/*.deb "$dest/root"
	ln -s "root/boot/vmlinuz-$abi" "$dest/vmlinuz"
	ln -s "root/boot/config-$abi" "$dest/config"
	ln -s "root/lib/modules/$abi" "$dest/modules"
	echo "$abi" > "$dest/abi"
	rm -rf "$dest/deb"
	touch "$dest/.done-$ver"
	echo "fetch-kernels: $name ($abi $ver) ready"
done < "$here/kernels.conf"
