# SPDX-License-Identifier: GPL-2.0
# Sourced by the other scripts: paths and the pinned kernel list.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
CONF=$TOP/scripts/kernels.conf

# Names of the pinned kernels (6.1 6.12), in file order.
kernels() { awk '!/^#/ && NF { print $1 }' "$CONF"; }
kernel_abi() { awk -v k="$1" '!/^#/ && $1 == k { print $2 }' "$CONF"; }
kernel_kdir() { echo "/usr/src/linux-headers-$(kernel_abi "$1")"; }

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
