#!/bin/sh
# Fetches Debian's current linux-image-*-amd64 into a cache and unpacks it,
# so the VM tests boot the kernel Debian ships (this host's kernel refuses
# BPF LSM programs). Idempotent: a second run only prints the paths.
#
# Usage: scripts/fetch-kernel.sh [--modules]
#   prints the vmlinuz path (default) or the lib/modules/<ver> directory.
# Env: MG_CACHE  cache directory (default <repo>/.cache/kernel)
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${MG_CACHE:-$repo/.cache/kernel}
want=vmlinuz
case "${1:-}" in
	"") ;;
	--modules) want=modules ;;
	*) echo "usage: $0 [--modules]" >&2; exit 2 ;;
esac

resolve_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: *\(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1
}

pkg=$(resolve_pkg)
if [ -z "$pkg" ]; then
	# Empty package lists (fresh container): fetch them once and retry.
	if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
	$SUDO apt-get update -q >&2
	pkg=$(resolve_pkg)
fi
if [ -z "$pkg" ]; then
	echo "fetch-kernel: cannot resolve linux-image-amd64 via apt-cache" >&2
	exit 1
fi

root=$cache/$pkg
if [ ! -f "$root/.unpacked" ]; then
	mkdir -p "$cache"
	dl=$(mktemp -d "$cache/dl.XXXXXX")
	chmod 0777 "$dl" # apt drops to user _apt for the download
	trap 'rm -rf "$dl"' EXIT
	# apt-get download writes into the current directory.
	(cd "$dl" && apt-get download -q "$pkg" >&2)
	deb=$(ls "$dl"/*.deb | head -n 1)
	rm -rf "$root"
	mkdir -p "$root"
	dpkg-deb -x "$deb" "$root"
	touch "$root/.unpacked"
fi

vmlinuz=$(ls "$root"/boot/vmlinuz-* 2>/dev/null | head -n 1)
if [ -z "$vmlinuz" ]; then
	echo "fetch-kernel: no boot/vmlinuz-* in $pkg" >&2
	exit 1
fi
ver=${vmlinuz##*/vmlinuz-}
if [ "$want" = modules ]; then
	echo "$root/lib/modules/$ver"
else
	echo "$vmlinuz"
fi
