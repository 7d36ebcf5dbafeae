#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build what the container case needs in the VM, under $BUILD/container/root
# (copied into the initramfs by mkinitramfs.sh): Debian's runc and its
# libraries, procps' ps and top, smem with a minimal Python, and two OCI bundles running the Go service of experiment/ (a
# static and a cgo build) in a busybox root filesystem, limited to 128 MiB.
set -eu
. "$(dirname "$0")/common.sh"
ex=$BUILD/container
root=$ex/root
rm -rf "$ex"
mkdir -p "$ex/go" "$root/usr/sbin" "$root/bundles/static" "$root/bundles/cgo" \
	"$root/bundles/rootfs/bin" "$root/bundles/rootfs/lib/x86_64-linux-gnu" \
	"$root/bundles/rootfs/lib64" "$root/bundles/rootfs/proc" \
	"$root/bundles/rootfs/dev" "$root/bundles/rootfs/tmp"

# The service, built offline with Debian's Go: static, and with cgo (libc).
(
	cd "$TOP/experiment/goservice"
	export GOCACHE="$ex/go/cache" GOPATH="$ex/go/path" GOFLAGS=-mod=mod
	CGO_ENABLED=0 go build -o "$root/bundles/rootfs/service-static" .
	CGO_ENABLED=1 go build -tags netcgo -o "$root/bundles/rootfs/service-cgo" .
)

with_libs "$root" /usr/sbin/runc
# procps' ps and top, to record what they report for the service.
with_libs "$root" /usr/bin/ps
with_libs "$root" /usr/bin/top
mkdir -p "$root/lib/terminfo/d"
cp /lib/terminfo/d/dumb "$root/lib/terminfo/d/"
# smem, with Debian's python3 and only the standard library files smem
# loads (as python3 -v lists them running it here): sources, their
# compiled copies, and extension modules with their libraries. os.py is
# Python's landmark for finding its library.
py=$(readlink -f /usr/bin/python3)
with_libs "$root" "$py"
ln -s "$(basename "$py")" "$root/usr/bin/python3"
cp /usr/bin/smem "$root/usr/bin/smem"
stdlib=$("$py" -I -S -c 'import os; print(os.path.dirname(os.__file__))')
mkdir -p "$root$stdlib"
cp "$stdlib/os.py" "$root$stdlib/"
"$py" -I -S -v /usr/bin/smem -c pid 2>&1 > /dev/null |
	sed -n "s/^# \(.*\.pyc\) matches \(.*\.py\)$/\1 \2/p
		s/^# extension module .* loaded from '\(.*\)'$/\1/p" |
	tr ' ' '\n' | sort -u | while read -r f; do
		case "$f" in
		*.so) with_libs "$root" "$f" ;;
		*) mkdir -p "$root$(dirname "$f")" && cp "$f" "$root$f" ;;
		esac
	done
with_libs "$root/bundles/rootfs" "$root/bundles/rootfs/service-cgo" 2> /dev/null || true
cp -L /lib/x86_64-linux-gnu/libc.so.6 "$root/bundles/rootfs/lib/x86_64-linux-gnu/"
cp -L /lib64/ld-linux-x86-64.so.2 "$root/bundles/rootfs/lib64/"
cp /bin/busybox "$root/bundles/rootfs/bin/busybox"
for a in sh cat sleep; do
	ln -s busybox "$root/bundles/rootfs/bin/$a"
done

# OCI configs from runc's own template: 128 MiB, its own cgroup, the VM's
# network namespace (the service listens on loopback), no terminal.
(cd "$ex" && runc spec)
for v in static cgo; do
	/usr/bin/python3 - "$ex/config.json" "$root/bundles/$v/config.json" "$v" <<'PY'
import json, sys
src, dst, variant = sys.argv[1:]
c = json.load(open(src))
c["process"]["terminal"] = False
c["process"]["args"] = ["/service-" + variant, "-addr", "127.0.0.1:8080"]
c["root"] = {"path": "../rootfs", "readonly": True}
c["hostname"] = "go-" + variant
lin = c["linux"]
lin["namespaces"] = [n for n in lin["namespaces"] if n["type"] != "network"]
lin["cgroupsPath"] = "/container-go-" + variant
lin["resources"] = {"memory": {"limit": 128 * 1024 * 1024}}
c["mounts"] = [m for m in c["mounts"] if m["destination"] in ("/proc", "/dev")]
json.dump(c, open(dst, "w"), indent=1)
PY
done

echo "build-container: $root"
