#!/bin/sh
# Installs every build, test and VM dependency from Debian packages (Debian 12).
set -eu
PKGS="make gcc clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev liblua5.4-dev lua5.4 \
libcmocka-dev pkg-config qemu-system-x86 busybox-static cpio gzip kmod apt-file \
systemd man-db groff-base fapolicyd libclang-rt-14-dev nodejs"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi
