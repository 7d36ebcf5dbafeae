# SPDX-License-Identifier: GPL-2.0
# memacct: see README.md. `make run` and `make check` do everything.

KDIR ?= /lib/modules/$(shell uname -r)/build
BUILD ?= $(CURDIR)/build

.PHONY: all module userspace clean run check check-debug bench experiment lint deb \
	bump-kernels install uninstall

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

check-debug:
	scripts/check-debug.sh

deb:
	scripts/build-deb.sh

bench:
	scripts/bench.sh

experiment:
	scripts/experiment.sh

lint:
	scripts/lint.sh

# Pins in scripts/kernels.conf to the newest kernel of each series.
bump-kernels:
	scripts/bump-kernels.sh

# On a real host: the module under updates/, the reader in /usr/local/bin.
PREFIX ?= /usr/local
KRELEASE ?= $(shell uname -r)

# Secure Boot: SIGN_KEY=KEY SIGN_CERT=CERT.der sign the module with a key
# the kernel trusts (README, "Secure Boot and lockdown"). Installing for
# the running kernel ends by loading the module: a refusal fails install.
install: all
ifneq ($(SIGN_KEY),)
	$(KDIR)/scripts/sign-file sha256 $(SIGN_KEY) $(SIGN_CERT) module/memacct.ko
endif
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(KRELEASE)
	install -D -m 0755 userspace/memacct $(DESTDIR)$(PREFIX)/bin/memacct
	install -D -m 0644 docs/memacct.1 $(DESTDIR)$(PREFIX)/share/man/man1/memacct.1
	@if [ -z "$(DESTDIR)" ] && [ "$(KRELEASE)" = "$$(uname -r)" ]; then \
		scripts/load-module.sh; \
	else \
		echo "memacct: installed for $(KRELEASE); not loaded here"; \
	fi

uninstall:
	rm -f /lib/modules/$(KRELEASE)/updates/module/memacct.ko*
	depmod -a $(KRELEASE)
	rm -f $(DESTDIR)$(PREFIX)/bin/memacct
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/memacct.1
