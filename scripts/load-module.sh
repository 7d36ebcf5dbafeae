#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Load memacct (replacing a loaded one) and, if the kernel refuses or is
# sure to, say why and what to do instead of claiming success. make
# install runs it; the lockdown selftest runs it on an unsigned module.
#   load-module.sh           modprobe memacct (after make install)
#   load-module.sh FILE.ko   insmod FILE.ko
# Exit status: 0 loaded, 1 not.
ko=${1:-}
file=${ko:-$(modinfo -n memacct 2> /dev/null)}
mode=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/security/lockdown 2> /dev/null)
[ "$mode" = none ] && mode=

# Signed: kmod's modinfo names the signer (also inside .ko.xz); a plain
# .ko ends with the signature's magic string.
signer=$(modinfo -F signer "$file" 2> /dev/null)
signed=$signer
if [ -z "$signed" ] && [ -f "$file" ] &&
   tail -c 28 "$file" | grep -q 'Module signature appended'; then
	signed=yes
fi

explain() {
	if [ -n "$mode" ]; then
		echo "memacct: the kernel is locked down ($mode), as under Secure Boot, and loads only modules signed with a key it trusts" >&2
	else
		echo "memacct: the kernel enforces module signatures and loads only modules signed with a key it trusts" >&2
	fi
	if [ -n "$signed" ]; then
		echo "memacct: $file is signed${signer:+ by \"$signer\"}, with a key the kernel does not trust: enroll the key's certificate (mokutil --import CERT.der, reboot, confirm)" >&2
	else
		echo "memacct: $file is not signed: install it with DKMS, which signs it, or sign it with scripts/sign-file" >&2
	fi
	echo "memacct: see \"Secure Boot and lockdown\" in the README" >&2
}

# Under lockdown an unsigned module cannot load: keep the loaded one.
if [ -n "$mode" ] && [ -z "$signed" ]; then
	echo "memacct: not loading ${file:-memacct}: it is unsigned and the kernel is locked down" >&2
	explain
	exit 1
fi
if grep -q '^memacct ' /proc/modules && ! rmmod memacct; then
	echo "memacct: the loaded memacct is in use (a file open?); unload it with rmmod memacct, then load the new one" >&2
	exit 1
fi
if [ -n "$ko" ]; then
	err=$(insmod "$ko" 2>&1) && loaded=1
else
	err=$(modprobe memacct 2>&1) && loaded=1
fi
if [ -n "${loaded:-}" ]; then
	echo "memacct: loaded; its files are in /sys/kernel/debug/memacct"
	exit 0
fi
echo "memacct: the kernel refused to load the module: $err" >&2
case "$err" in
*"not permitted"* | *"rejected"* | *"Required key"*) explain ;;
esac
exit 1
