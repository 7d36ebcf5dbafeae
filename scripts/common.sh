# SPDX-License-Identifier: GPL-2.0
# Sourced by the other scripts: paths and the pinned kernel list.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
CONF=$TOP/scripts/kernels.conf

# Names of the pinned kernels (6.1 6.12), in file order.
kernels() { awk '!/^#/ && NF { print $1 }' "$CONF"; }
# The debug kernel (scripts/debug-kernel.sh) is not pinned: it is built, and
# its tree under $BUILD/kernels/debug says what it is.
kernel_abi() {
	if [ -f "$BUILD/kernels/$1/abi" ]; then
		cat "$BUILD/kernels/$1/abi"
	else
		awk -v k="$1" '!/^#/ && $1 == k { print $2 }' "$CONF"
	fi
}
kernel_kdir() {
	if [ -e "$BUILD/kernels/$1/kdir" ]; then
		readlink -f "$BUILD/kernels/$1/kdir"
	else
		echo "/usr/src/linux-headers-$(kernel_abi "$1")"
	fi
}

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
