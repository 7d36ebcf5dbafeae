# SPDX-License-Identifier: GPL-2.0
# memacct: see README.md. `make run` and `make check` do everything.

KDIR ?= /lib/modules/$(shell uname -r)/build
BUILD ?= $(CURDIR)/build

.PHONY: all module userspace clean run check lint bench install uninstall

all: module userspace

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

# $(BUILD) goes first: kbuild's clean deletes every *.ko below M=, which
# would include the unpacked test kernels' modules.
clean:
	rm -rf $(BUILD)
	rm -f module/*.o module/*.ko module/*.mod module/*.mod.c module/.*.cmd \
		module/modules.order modules.order Module.symvers .*.cmd
	$(MAKE) -C userspace clean

run:
	scripts/run.sh

check:
	scripts/check.sh

lint:
	scripts/lint.sh
