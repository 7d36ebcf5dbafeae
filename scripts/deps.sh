#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install everything memacct's build and tests need, from Debian's archive only.
# Idempotent: does nothing when all packages are already present.
set -eu
here=$(dirname "$0")

pkgs="make gcc libc6-dev busybox-static qemu-system-x86 cpio gzip xz-utils
      sparse perl python3 python3-prometheus-client kmod dkms
      flex bison bc libelf-dev libssl-dev openssl dwarves debootstrap
      linux-source-6.12"
# The kernels themselves, their headers and the build roots of other
# Debian releases are unpacked under build/ (scripts/fetch-kernels.sh),
# never installed.
# make experiment: a real container runtime and Go; chromium renders the
# reader's HTML reports.
[ "${1:-}" = experiment ] && pkgs="$pkgs runc golang-go procps smem chromium"
# make bench: perf samples the guest's kernel (its profile section).
[ "${1:-}" = bench ] && pkgs="$pkgs linux-perf"
# make deb: Debian's own packaging tools.
[ "${1:-}" = deb ] && pkgs="$pkgs debhelper dh-dkms lintian dpkg-dev fakeroot"

missing=
for p in $pkgs; do
	n=${p%%=*}
	want=${p#*=}
	have=$(dpkg-query -W -f='${Status} ${Version}' "$n" 2>/dev/null || true)
	case "$have" in
	"install ok installed $want"|"install ok installed "*)
		[ "$n" = "$p" ] || [ "$have" = "install ok installed $want" ] || missing="$missing $p"
		;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

[ "$(id -u)" = 0 ] || { echo "deps: need root to install:$missing" >&2; exit 1; }
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
