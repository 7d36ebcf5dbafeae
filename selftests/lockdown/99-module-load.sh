#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Loading memacct under lockdown, as on a Secure Boot host that has not
# enrolled a key: the kernel refuses unsigned modules and modules signed
# with a key it does not trust, and memacct-load (what make install runs)
# says so and fails instead of claiming success. Where a copy is signed
# with a key the kernel trusts (the debug kernel's own), it loads. Last of
# all tests: it may leave the module unloaded.
. /selftests/lib.sh
plan 7

check "lockdown is integrity" grep -q '\[integrity\]' /sys/kernel/security/lockdown
# The kernel's "Lockdown:" notices are rate limited (10 per 5 s), and the
# tests before this one used them up.
sleep 6
insmod /lib/memacct.ko 2> /tmp/ld.err
check "the kernel refuses the unsigned module: $(cat /tmp/ld.err)" \
	grep -q 'not permitted' /tmp/ld.err
check "and logs the lockdown reason" \
	sh -c 'dmesg | tail -n 20 | grep -q "unsigned module loading is restricted"'
memacct-load /lib/memacct.ko > /tmp/ld.out 2> /tmp/ld.err
rc=$?
sed 's/^/# /' /tmp/ld.err
check "memacct-load refuses an unsigned module and says why (exit $rc)" \
	sh -c "[ $rc -eq 1 ] && grep -q 'locked down (integrity)' /tmp/ld.err && grep -q README /tmp/ld.err"
check "and keeps the loaded memacct" grep -q '^memacct ' /proc/modules

if [ -f /lib/memacct-untrusted.ko ]; then
	memacct-load /lib/memacct-untrusted.ko > /tmp/ld.out 2> /tmp/ld.err
	rc=$?
	sed 's/^/# /' /tmp/ld.err
	check "signed with a key the kernel does not trust: refused, explained (exit $rc)" \
		sh -c "[ $rc -eq 1 ] && grep -q 'refused' /tmp/ld.err && grep -q 'does not trust' /tmp/ld.err"
else
	ok "# SKIP no sign-file for this kernel"
fi

if [ -f /lib/memacct-trusted.ko ]; then
	memacct-load /lib/memacct-trusted.ko > /tmp/ld.out 2>&1
	rc=$?
	sed 's/^/# /' /tmp/ld.out
	check "signed with a key the kernel trusts: loads under lockdown (exit $rc)" \
		sh -c "[ $rc -eq 0 ] && grep -q '^memacct_version\\|^format 1' $MEMACCT/version"
else
	ok "# SKIP no key this kernel trusts (only the debug kernel has one)"
fi
