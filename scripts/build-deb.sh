#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make deb`: memacct-dkms and memacct with Debian's own tooling
# (dpkg-buildpackage, debhelper, dh_dkms), from a copy of the tracked
# source under build/deb, then lintian. The packages land in build/deb.
set -eu
. "$(dirname "$0")/common.sh"
"$TOP/scripts/deps.sh" deb
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
out=$BUILD/deb
src=$out/memacct-$ver
rm -rf "$out"
mkdir -p "$src"
# What git tracks, as it is in the work tree (nothing from build/).
(cd "$TOP" && git ls-files -z --cached --others --exclude-standard) |
	(cd "$TOP" && xargs -0 cp --parents -t "$src")
(cd "$src" && dpkg-buildpackage -us -uc -b > "$out/build.log" 2>&1) ||
	{ tail -n 40 "$out/build.log"; die "dpkg-buildpackage failed (see $out/build.log)"; }
ls "$out"/*.deb
# Errors fail the build; warnings are shown.
if ! lintian --fail-on error --tag-display-limit 0 "$out"/*.changes > "$out/lintian.log" 2>&1; then
	cat "$out/lintian.log"
	die "lintian reports errors"
fi
sed 's/^/lintian: /' "$out/lintian.log"
echo "build-deb: $(cd "$out" && ls ./*.deb | tr '\n' ' ')"
