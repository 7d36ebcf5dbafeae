#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make run`: build for the default kernel, boot it, run the demo: a Go
# service in a runc container, then a forking workload in a cgroup.
set -eu
. "$(dirname "$0")/common.sh"
k=${KERNEL:-6.12}
"$TOP/scripts/deps.sh" experiment
"$TOP/scripts/fetch-kernels.sh"
"$TOP/scripts/build-module.sh" "$k"
"$TOP/scripts/build-user.sh"
"$TOP/scripts/build-container.sh"
EXTRA_ROOT=$BUILD/container/root "$TOP/scripts/mkinitramfs.sh" "$k"
"$TOP/scripts/vm.sh" "$k" run
