#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make run`: build for the default kernel, boot it, run the demo: a Go
# service in a runc container, then a forking workload in a cgroup.
set -eu
. "$(dirname "$0")/common.sh"
k=${KERNEL:-6.12}
"$TOP/scripts/prepare-container-vm.sh" "$k"
"$TOP/scripts/vm.sh" "$k" run
