#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The Debian packages, installed as a user would: `apt-get install ./*.deb`
# on this machine, then DKMS (the system's, from the package's postinst
# and source) builds and signs the module for a pinned kernel's headers,
# that module boots in the kernel's VM and passes the load and version
# tests, the packaged reader runs, and `apt-get remove --purge` leaves
# nothing of either package behind.
set -eu
. "$(dirname "$0")/common.sh"
k=${1:-6.12}
"$TOP/scripts/build-deb.sh"
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q "$BUILD/deb/memacct-dkms_${ver}_all.deb" \
	"$BUILD"/deb/memacct_"${ver}"_*.deb > "$BUILD/deb/install.log" 2>&1 ||
	{ cat "$BUILD/deb/install.log"; die "apt-get install failed"; }
dkms status -m memacct | grep -q "memacct/$ver" || die "the package did not add memacct to DKMS"

abi=$(kernel_abi "$k")
kdir=$(kernel_kdir "$k")
sign_file="$kdir/scripts/sign-file" dkms build -m memacct -v "$ver" -k "$abi" \
	--kernelsourcedir "$kdir" > "$BUILD/deb/dkms.log" 2>&1 ||
	{ cat "$BUILD/deb/dkms.log"; die "dkms build failed for $k"; }
ko=$(find "/var/lib/dkms/memacct/$ver/$abi" -name 'memacct.ko*' | head -n 1)
[ -n "$ko" ] || die "dkms built no module for $k"
signer=$(modinfo -F signer "$ko")
[ -n "$signer" ] || die "dkms did not sign the module"
echo "deb-test: $k: DKMS built $(basename "$ko"), signed by \"$signer\""
case $ko in
*.xz) xz -dc "$ko" > "$BUILD/deb/memacct.ko" ;;
*.zst) zstd -qdc "$ko" > "$BUILD/deb/memacct.ko" ;;
*) cp "$ko" "$BUILD/deb/memacct.ko" ;;
esac

# The packaged module in the pinned kernel's VM: the smoke tests, in a
# guest of its own (the suite's results stay where they are).
vmdir=$BUILD/vm/deb-$k
export VM_NAME=deb-$k
MEMACCT_KO=$BUILD/deb/memacct.ko "$TOP/scripts/mkinitramfs.sh" "$k" > /dev/null
VM_CMDLINE="memacct_only=0[01]-*" "$TOP/scripts/vm.sh" "$k" check > "$BUILD/deb/vm.log" 2>&1 ||
	{ tail -n 30 "$BUILD/deb/vm.log"; die "the packaged module failed in the $k VM"; }
unset VM_NAME
grep -q '^ok' "$vmdir/results.log" && ! grep -q '^not ok' "$vmdir/results.log" ||
	{ cat "$vmdir/results.log"; die "the packaged module's smoke tests failed"; }
echo "deb-test: $k: the packaged module passes $(grep -c '^ok' "$vmdir/results.log") smoke tests in its VM"

# The packaged reader, its man page and completion.
memacct --help > /dev/null || die "the packaged reader does not run"
man -w memacct > /dev/null || die "no man page for memacct"
bash -c '. /usr/share/bash-completion/completions/memacct && complete -p memacct' \
	> /dev/null || die "the bash completion does not load"
# systemd judges the units (offline: no running systemd needed).
if command -v systemd-analyze > /dev/null; then
	systemd-analyze verify /lib/systemd/system/memacct-export.service \
		/lib/systemd/system/memacct-export.timer ||
		die "systemd-analyze rejects the export units"
fi

apt-get remove --purge -y -q memacct memacct-dkms > "$BUILD/deb/remove.log" 2>&1 ||
	{ cat "$BUILD/deb/remove.log"; die "apt-get remove failed"; }
left=$(ls -d /usr/src/memacct-* /var/lib/dkms/memacct /usr/bin/memacct \
	/usr/share/man/man1/memacct.1.gz /usr/share/bash-completion/completions/memacct \
	/lib/systemd/system/memacct-export.* /lib/modules/*/updates/dkms/memacct.ko* 2> /dev/null || true)
[ -z "$left" ] || die "left behind after apt-get remove --purge: $left"
dpkg -l memacct memacct-dkms 2> /dev/null | grep -q '^[ir][ic]' && die "dpkg still lists the packages"
echo "deb-test: installed, built, booted and removed without a trace"
