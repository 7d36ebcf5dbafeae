#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dkms.conf really builds: `dkms build` against every pinned kernel's
# headers, in a private DKMS tree under $BUILD (nothing is installed), and
# the modules come out signed. Kernels of other releases are built by
# their build root's own DKMS (common.sh kernel_exec).
set -eu
. "$(dirname "$0")/common.sh"
command -v dkms > /dev/null || die "dkms is not installed (scripts/deps.sh)"
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' "$TOP/dkms.conf")
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
src=$BUILD/dkms/src
tree=$BUILD/dkms/tree
rm -rf "$BUILD/dkms"
mkdir -p "$src/$name-$ver" "$tree"
cp -r "$TOP/Kbuild" "$TOP/Makefile" "$TOP/dkms.conf" "$TOP/module" \
	"$src/$name-$ver/"
dkms="dkms --dkmstree $tree --sourcetree $src"
$dkms add -m "$name" -v "$ver" > "$BUILD/dkms/log" 2>&1
for k in $(kernels); do
	abi=$(kernel_abi "$k")
	# DKMS looks for sign-file in installed headers; these are unpacked.
	if ! kernel_exec "$k" env sign_file="$(kernel_kdir "$k")/scripts/sign-file" \
		$dkms build -m "$name" -v "$ver" -k "$abi" \
		--kernelsourcedir "$(kernel_kdir "$k")" >> "$BUILD/dkms/log" 2>&1; then
		cat "$BUILD/dkms/log"
		die "dkms build failed for $k"
	fi
	f=$(find "$tree/$name/$ver/$abi" -name "$name.ko*" | head -n 1)
	[ -n "$f" ] || die "dkms built no $name.ko for $k"
	# Debian's DKMS signs with its own key (/var/lib/dkms/mok.key), the
	# one Secure Boot users enroll (README).
	signer=$(kernel_exec "$k" modinfo -F signer "$f")
	[ -n "$signer" ] || die "dkms did not sign $name.ko for $k"
	echo "dkms-test: $k: $(basename "$f") built, signed by \"$signer\""
done
