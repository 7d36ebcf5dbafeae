#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A minimal root of a Debian release, under $BUILD/roots/SUITE, to build
# modules for that release's kernels: their kbuild tools need its glibc,
# and their flags its compiler (Debian 12's gcc-12 rejects 7.x's). Made
# once with debootstrap from the system's mirror, then cached.
# Usage: buildroot.sh SUITE COMPILER [PACKAGE...]   (e.g. trixie gcc-14)
set -eu
. "$(dirname "$0")/common.sh"
. "$TOP/scripts/apt-private.sh"
suite=${1:?suite}
: "${2:?compiler package}"
shift
root=$BUILD/roots/$suite
# kbuild and sparse; libssl for sign-file, pahole for module BTF; DKMS and
# the openssl it makes its signing key with.
pkgs="$* make libelf-dev dwarves bc kmod sparse libssl-dev dkms openssl"

if [ -f "$root/.memacct-root" ]; then
	missing=
	for p in $pkgs; do
		dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' "$p" \
			2> /dev/null | grep -q 'ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && exit 0
	echo "buildroot: adding$missing to $root"
	in_root() {
		chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			DEBIAN_FRONTEND=noninteractive apt-get -q "$@"
	}
	# shellcheck disable=SC2086
	in_root update > "$root/.apt.log" 2>&1 &&
	in_root install -y --no-install-recommends $missing \
		>> "$root/.apt.log" 2>&1 ||
		{ cat "$root/.apt.log" >&2; die "could not add$missing to $root"; }
	exit 0
fi

command -v debootstrap > /dev/null || die "debootstrap is missing (scripts/deps.sh)"
# Debian 12's debootstrap has no script for releases after trixie: they
# bootstrap as sid does.
script=/usr/share/debootstrap/scripts/$suite
[ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid
rm -rf "$root"
mkdir -p "$BUILD/roots"
echo "buildroot: debootstrap $suite with $1 (about 2.5 minutes)"
if ! debootstrap --variant=minbase \
	--include="$(echo $pkgs | tr ' ' ',')" \
	"$suite" "$root" "$(system_mirror)" "$script" \
	> "$BUILD/roots/$suite.log" 2>&1; then
	tail -n 20 "$BUILD/roots/$suite.log" >&2
	die "debootstrap of $suite failed (log: $BUILD/roots/$suite.log)"
fi
# See papt_update: forky's Release file has been seen past its date.
echo 'Acquire::Check-Valid-Until "false";' > "$root/etc/apt/apt.conf.d/99memacct"
touch "$root/.memacct-root"
echo "buildroot: $root ready"
