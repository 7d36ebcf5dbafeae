#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest environment the selftests rely on: swap on zram (MADV_PAGEOUT needs
# somewhere to put pages). Prints what it did as TAP comments.
modprobe lzo-rle 2>/dev/null
if modprobe zram num_devices=1 2>/dev/null &&
   echo 256M > /sys/block/zram0/disksize &&
   mkswap /dev/zram0 > /dev/null && swapon /dev/zram0; then
	echo "# setup: 256M swap on zram0"
else
	echo "# setup: no zram swap; swap tests will skip"
fi
