#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the test VM's initramfs for one kernel: busybox, the guest init, the
# module built for that kernel, the kernel modules the tests load (zram,
# brd), the static reader and selftest binaries, and the selftest scripts.
# Usage: mkinitramfs.sh KERNEL   (after build-module.sh and build-user.sh)
set -eu
. "$(dirname "$0")/common.sh"
k=${1:?kernel name}
abi=$(kernel_abi "$k")
kmods=$(readlink -f "$BUILD/kernels/$k/modules")
# MEMACCT_KO: another build of the module (the packaged one, deb-test.sh).
ko=${MEMACCT_KO:-$BUILD/obj/$k/module/memacct.ko}
[ -f "$ko" ] || die "no module for $k: run build-module.sh $k"
[ -d "$BUILD/bin" ] || die "no binaries: run build-user.sh"

# VM_NAME: a guest of its own beside the suite's (deb-test, prom-test).
dir=$BUILD/vm/${VM_NAME:-$k}
root=$dir/root
rm -rf "$root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" \
	"$root/data" "$root/lib/modules/$abi" "$root/selftests"
cp /bin/busybox "$root/bin/busybox"
# The kernel runs /sbin/modprobe to load crypto algorithms on demand.
ln -s bin "$root/sbin"
cp "$TOP/scripts/guest-init.sh" "$root/init"
chmod 755 "$root/init"
cp "$ko" "$root/lib/memacct.ko"
# Signed copies for the lockdown selftests: one with a throwaway key no
# kernel trusts, and, where the kernel was built here (the debug kernel),
# one with the build's own key, which that kernel trusts.
kdir=$(kernel_kdir "$k")
if [ -x "$kdir/scripts/sign-file" ]; then
	openssl req -new -nodes -x509 -newkey rsa:2048 -days 2 -batch \
		-subj "/CN=memacct untrusted test key/" -outform PEM \
		-keyout "$dir/untrusted.pem" -out "$dir/untrusted.crt" 2> /dev/null
	cp "$ko" "$root/lib/memacct-untrusted.ko"
	# The kernel's own sign-file, where its tools run (common.sh).
	kernel_exec "$k" "$kdir/scripts/sign-file" sha256 "$dir/untrusted.pem" \
		"$dir/untrusted.crt" "$root/lib/memacct-untrusted.ko"
	if [ -f "$kdir/certs/signing_key.pem" ]; then
		cp "$ko" "$root/lib/memacct-trusted.ko"
		kernel_exec "$k" "$kdir/scripts/sign-file" sha256 "$kdir/certs/signing_key.pem" \
			"$kdir/certs/signing_key.x509" "$root/lib/memacct-trusted.ko"
	fi
fi
cp "$BUILD/bin/"* "$root/bin/"
cp "$TOP/selftests/"*.sh "$root/selftests/"
mkdir -p "$root/selftests/t" "$root/selftests/lockdown"
cp "$TOP"/selftests/t/* "$root/selftests/t/"
cp "$TOP"/selftests/lockdown/* "$root/selftests/lockdown/"
cp "$TOP/scripts/load-module.sh" "$root/bin/memacct-load"
# The C tests run after the shell tests numbered below 50.
for b in "$BUILD"/bin/test_*; do
	[ -e "$b" ] || continue
	ln -sf "/bin/$(basename "$b")" "$root/selftests/t/50-$(basename "$b")"
done

# A kernel module and, recursively, what it depends on; decompressed so
# busybox modprobe can load it. Modules the kernel has built in are skipped.
add_kmod() {
	f=$(find "$kmods/kernel" -name "$1.ko" -o -name "$1.ko.xz" | head -n 1)
	if [ -z "$f" ]; then
		grep -q "/$1.ko\$" "$kmods/modules.builtin" ||
			die "$k has no module $1"
		return 0
	fi
	rel=${f#"$kmods"/}
	dest=$root/lib/modules/$abi/${rel%.xz}
	[ -f "$dest" ] && return 0
	mkdir -p "$(dirname "$dest")"
	case "$f" in
	*.xz) xz -dc "$f" > "$dest" ;;
	*) cp "$f" "$dest" ;;
	esac
	for d in $(modinfo -F depends "$f" | tr ',' ' '); do
		add_kmod "$d"
	done
}
# zram's default compressor is a module on some kernels (lzo-rle on 6.1);
# ext4 (for ext2 on brd: page cache that is evictable) on the rt kernel.
for m in zram brd lzo lzo-rle ext4; do
	add_kmod "$m"
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	cp "$kmods/$f" "$root/lib/modules/$abi/"
done
depmod -b "$root" "$abi"

# Anything else a caller wants in the VM (make experiment: runc, bundles).
if [ -n "${EXTRA_ROOT:-}" ]; then
	cp -a "$EXTRA_ROOT/." "$root/"
fi

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$dir/initramfs.gz"
echo "mkinitramfs: $dir/initramfs.gz"
