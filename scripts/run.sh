#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make run`: build for the default kernel, boot it, run the demo.
set -eu
. "$(dirname "$0")/common.sh"
k=${KERNEL:-6.12}
"$TOP/scripts/deps.sh"
"$TOP/scripts/fetch-kernels.sh"
"$TOP/scripts/build-module.sh" "$k"
"$TOP/scripts/build-user.sh"
"$TOP/scripts/mkinitramfs.sh" "$k"
"$TOP/scripts/vm.sh" "$k" run
