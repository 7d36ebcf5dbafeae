#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the reader and the selftest programs, statically linked for the
# test VM, into $BUILD/bin.
set -eu
. "$(dirname "$0")/common.sh"
mkdir -p "$BUILD/bin"
make -s -C "$TOP/userspace" LDFLAGS=-static O="$BUILD/bin"
make -s -C "$TOP/selftests" O="$BUILD/bin"
echo "build-user: $BUILD/bin"
