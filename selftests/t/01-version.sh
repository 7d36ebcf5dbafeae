#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The version file names the running kernel and the page size; files are
# root-only.
. /selftests/lib.sh
plan 6
v=$MEMACCT/version
cat $v | sed 's/^/# /'
check "version: format 1" grep -qx 'format 1' $v
check "version: kernel is $(uname -r)" grep -qx "kernel $(uname -r)" $v
# The kernel's own word for the page size: smaps' KernelPageSize.
psz=$(awk '/^KernelPageSize/ { print $2 * 1024; exit }' /proc/self/smaps)
check "version: page_size $psz" grep -qx "page_size $psz" $v
check "version: memacct version line" grep -qE '^memacct [0-9]+\.[0-9]+\.[0-9]+$' $v
modes=$(stat -c '%n %a' $MEMACCT/* | sort | tr '\n' ' ')
diag "modes: $modes"
check "files are root-only" sh -c "! stat -c '%a' $MEMACCT/* | grep -qvE '^[46]00$'"
check "no kernel pointers in version" sh -c "! grep -qE 'ffff[0-9a-f]{12}' $v"
