#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make bump-kernels`: rewrite every line of kernels.conf to the newest
# kernel Debian's index has for the same series (6.1, 7.3...), flavour
# (cloud-amd64, rt-amd64) and suite. Debian drops superseded kernels from
# its indexes, so a pin that worked last month may be gone.
# Usage: bump-kernels.sh            rewrite kernels.conf
#        bump-kernels.sh --print K  print "ABI VERSION" of K's newest
set -eu
. "$(dirname "$0")/common.sh"
. "$TOP/scripts/apt-private.sh"

# newest K: the newest "abi version" of K's series, flavour and suite.
newest() (
	abi=$(kernel_field "$1" 2)
	suite=$(kernel_field "$1" 4)
	series=$(echo "$abi" | sed 's/^\([0-9]*\.[0-9]*\)[.-].*/\1/')
	flavour=$(echo "$abi" | sed 's/^.*-\([a-z]*-amd64\)$/\1/')
	best_abi=
	best_ver=0
	for p in $(kernel_apt "$1" apt-cache pkgnames "linux-headers-$series." |
		grep -E "^linux-headers-$series[.][0-9][^ ]*-$flavour\$"); do
		# Only versions served by the pinned suite (and its security
		# and updates suites).
		for v in $(kernel_apt "$1" apt-cache madison "$p" |
			awk -F'|' -v s="$suite" '{ split($3, a, " "); split(a[2], b, "/") }
				b[1] == s || b[1] == s "-security" || b[1] == s "-updates" {
					gsub(/ /, "", $2); print $2 }'); do
			if dpkg --compare-versions "$v" gt "$best_ver"; then
				best_ver=$v
				best_abi=${p#linux-headers-}
			fi
		done
	done
	[ -n "$best_abi" ] || return 1
	echo "$best_abi $best_ver"
)

suites=$(private_suites)
# shellcheck disable=SC2086
[ -z "$suites" ] || papt_update $suites

if [ "${1:-}" = --print ]; then
	newest "${2:?kernel name}"
	exit
fi

tmp=$CONF.new
: > "$tmp"
while IFS= read -r line; do
	set -- $line
	case "${1:-#}" in
	\#*) echo "$line" >> "$tmp"; continue ;;
	esac
	n=$(newest "$1") || die "no $1 kernel in Debian's $4 index"
	set -- "$1" $n "$4"
	if [ "$2 $3" != "$(kernel_field "$1" 2) $(kernel_field "$1" 3)" ]; then
		echo "bump-kernels: $1: $(kernel_field "$1" 2) $(kernel_field "$1" 3) -> $2 $3"
	fi
	printf '%s\t%-31s %-23s %s\n' "$1" "$2" "$3" "$4" >> "$tmp"
done < "$CONF"
mv "$tmp" "$CONF"
