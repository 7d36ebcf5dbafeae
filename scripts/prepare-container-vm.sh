#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Everything a VM with the container case needs, for one kernel: packages
# (runc, Go, procps, smem), the kernel, the module, the static programs,
# runc's bundles and the initramfs that carries them. Used by `make run`
# and `make experiment`. Usage: prepare-container-vm.sh KERNEL
set -eu
. "$(dirname "$0")/common.sh"
k=${1:?kernel name}
"$TOP/scripts/deps.sh" experiment
"$TOP/scripts/fetch-kernels.sh"
"$TOP/scripts/build-module.sh" "$k"
"$TOP/scripts/build-user.sh"
"$TOP/scripts/build-container.sh"
EXTRA_ROOT=$BUILD/container/root "$TOP/scripts/mkinitramfs.sh" "$k"
