#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Stand-in for kbuild's scripts/checker-valid.sh, which Debian's
# linux-kbuild-7.x packages leave out (kbuild then skips sparse with only
# a warning). kbuild runs it as "checker-valid.sh CHECK CHECKFLAGS..." and
# runs the checker only if it prints 1: it does when the checker exists
# and checks a trivial file without a word.
command -v "$1" > /dev/null 2>&1 || exit 0
f=$(mktemp --suffix=.c) || exit 0
trap 'rm -f "$f"' EXIT
echo 'static inline int memacct_checker_probe(void) { return 0; }' > "$f"
out=$("$@" "$f" 2>&1) && [ -z "$out" ] && echo 1
exit 0
