# SPDX-License-Identifier: GPL-2.0
# Sourced by the other scripts: paths and the pinned kernel list.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
CONF=$TOP/scripts/kernels.conf

# with_libs DEST BIN [AT]: BIN (at AT, default its own path) and the shared
# libraries it needs, at their paths, under DEST.
with_libs() {
	dest=$1
	bin=$2
	at=${3:-$2}
	mkdir -p "$dest$(dirname "$at")"
	cp "$bin" "$dest$at"
	for lib in $(ldd "$bin" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^\t\(\/[^ ]*\) .*/\1/p'); do
		mkdir -p "$dest$(dirname "$lib")"
		cp -L "$lib" "$dest$lib"
	done
}

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# Names of the pinned kernels (6.1 6.12 ...), in file order.
kernels() { awk '!/^#/ && NF { print $1 }' "$CONF"; }
# Field $2 of kernel $1's line in kernels.conf.
kernel_field() {
	awk -v k="$1" -v f="$2" '!/^#/ && $1 == k { print $f }' "$CONF"
}
# The debug kernels (scripts/debug-kernel.sh) are not pinned: they are
# built, and their tree under $BUILD/kernels/<name> says what they are.
kernel_abi() {
	if [ -f "$BUILD/kernels/$1/abi" ]; then
		cat "$BUILD/kernels/$1/abi"
	else
		kernel_field "$1" 2
	fi
}
kernel_suite() {
	if [ -f "$BUILD/kernels/$1/suite" ]; then
		cat "$BUILD/kernels/$1/suite"
	else
		kernel_field "$1" 4
	fi
}
kernel_kdir() { readlink -f "$BUILD/kernels/$1/kdir"; }
# The compiler (Debian package name) kernel $1 was built with: gcc-14.
kernel_cc() {
	sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' \
		"$(kernel_kdir "$1")/.config" | sed 's/^x86_64-linux-gnu-//'
}

# The Debian release whose userland builds modules for kernel $1, or
# nothing for the host's own (bookworm). Backports build with their base.
kernel_rootsuite() (
	s=$(kernel_suite "$1")
	case "$s" in
	''|bookworm|bookworm-*) ;;
	*-backports) echo "${s%-backports}" ;;
	*) echo "$s" ;;
	esac
)
kernel_root() (
	s=$(kernel_rootsuite "$1")
	[ -z "$s" ] || echo "$BUILD/roots/$s"
)

# root_exec ROOT CMD...: run CMD chrooted into ROOT with the project (and
# $BUILD) mounted at the same paths, so every path means the same in and
# out. The mounts live in a private namespace and vanish with it.
root_exec() (
	r=$1
	shift
	[ -x "$r/usr/bin/make" ] ||
		die "no build root at $r (run scripts/fetch-kernels.sh)"
	unshare --mount --propagation private sh -c '
		set -e
		root=$1 top=$2 build=$3
		shift 3
		for d in "$top" "$build"; do
			mkdir -p "$root$d"
			mount --bind "$d" "$root$d"
		done
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		exec chroot "$root" /usr/bin/env -i LC_ALL=C HOME=/root \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"' \
		sh "$r" "$TOP" "$BUILD" "$@"
)

# kernel_exec KERNEL CMD...: run CMD where modules for KERNEL are built:
# here, or in its suite's root.
kernel_exec() (
	root=$(kernel_root "$1")
	shift
	[ -n "$root" ] || exec "$@"
	root_exec "$root" "$@"
)
