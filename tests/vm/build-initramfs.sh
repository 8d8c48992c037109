#!/bin/sh
# Builds the VM test initramfs (cpio newc + gzip): busybox-static, our
# binaries with every shared library ldd names, policies, Lua runtime,
# the test scripts, selected kernel modules and /init.
#
# Usage: tests/vm/build-initramfs.sh OUTPUT.cpio.gz
# Env:   BUILD          build directory (default build)
#        MG_MODULES_DIR lib/modules/<ver> of the VM kernel
#                       (default: scripts/fetch-kernel.sh --modules)
#        MG_VM_MODULES  modules to include with their deps (default: overlay)
#        MG_VM_EXTRA    extra "HOSTPATH:GUESTPATH" pairs, space-separated
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
out=${1:?usage: $0 OUTPUT.cpio.gz}
build=${BUILD:-build}
modules_dir=${MG_MODULES_DIR:-$(./scripts/fetch-kernel.sh --modules)}
want_modules=${MG_VM_MODULES:-overlay}

# Only a static busybox runs without libraries (package busybox-static).
busybox=$(command -v busybox || echo /bin/busybox)
if ! ldd "$busybox" 2>&1 | grep -q 'not a dynamic executable'; then
	echo "build-initramfs: $busybox is not a static busybox (apt-get install busybox-static)" >&2
	exit 1
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/mg-initramfs.XXXXXX")
# mktemp makes it 0700: it becomes the guest's /, which every user must traverse.
chmod 0755 "$stage"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/bin "$stage"/sbin "$stage"/usr/bin "$stage"/usr/sbin \
	"$stage"/dev "$stage"/proc "$stage"/sys "$stage"/tmp "$stage"/run \
	"$stage"/etc "$stage"/root "$stage"/var/log "$stage"/mg/scenarios \
	"$stage"/usr/share/minerguard/policies "$stage"/usr/share/minerguard/lua

# busybox and one symlink per applet (the list names each applet's dir).
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list-full); do
	[ -e "$stage/$applet" ] || [ -L "$stage/$applet" ] ||
		ln -s /bin/busybox "$stage/$applet"
done

. tests/vm/copy_with_libs.sh

if [ -x "$build/minerguard" ]; then
	copy_with_libs "$stage" "$build/minerguard" /usr/bin/minerguard
else
	echo "build-initramfs: $build/minerguard absent; only kernel sanity scenarios can pass" >&2
fi
if [ ! -x "$build/mg-probe" ]; then
	echo "build-initramfs: $build/mg-probe missing (make $build/mg-probe)" >&2
	exit 1
fi
copy_with_libs "$stage" "$build/mg-probe" /usr/bin/mg-probe
[ -x "$build/mg-xmrig-like" ] && cp "$build/mg-xmrig-like" "$stage/mg/xmrig-like"
cp policies/fixtures/xmrig-config.json "$stage/mg/xmrig-config.json"
# bpftool lets scenarios tamper with pinned maps (e.g. an incompatible ABI).
bpftool=$(command -v bpftool || echo /usr/sbin/bpftool)
[ -x "$bpftool" ] && copy_with_libs "$stage" "$bpftool" /usr/sbin/bpftool

cp -R policies/. "$stage/usr/share/minerguard/policies/"
cp -R lua/. "$stage/usr/share/minerguard/lua/"
cp tests/vm/lib.sh "$stage/mg/lib.sh"
# test-only policies and generators used by scenarios
[ -d tests/vm/policies ] && cp -R tests/vm/policies "$stage/mg/policies"
for g in tests/vm/*.awk; do
	[ -e "$g" ] && cp "$g" "$stage/mg/"
done
for s in tests/vm/scenarios/*.sh; do
	[ -e "$s" ] && cp "$s" "$stage/mg/scenarios/"
done
[ -d tests/corpus ] && cp -R tests/corpus "$stage/mg/corpus"
for pair in ${MG_VM_EXTRA:-}; do
	mkdir -p "$stage$(dirname "${pair#*:}")"
	cp -R "${pair%%:*}" "$stage${pair#*:}"
done
install -m 0755 tests/vm/init "$stage/init"

cat >"$stage/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$stage/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP

# Kernel modules of the VM kernel (same .deb), with their dependencies;
# depmod makes `modprobe NAME` work in the guest.
kver=$(basename "$modules_dir")
find_module() { find "$modules_dir/kernel" -name "$1.ko" -o -name "$1.ko.*" | head -n 1; }
todo=$want_modules done_mods=
while [ -n "$todo" ]; do
	set -- $todo
	m=$1; shift; todo=$*
	case " $done_mods " in *" $m "*) continue ;; esac
	done_mods="$done_mods $m"
	ko=$(find_module "$m")
	if [ -z "$ko" ]; then
		echo "build-initramfs: module $m not found in $modules_dir" >&2
		exit 1
	fi
	install -D -m 0644 "$ko" "$stage/lib/modules/$kver/${ko#"$modules_dir"/}"
	deps=$(modinfo -F depends "$ko" | tr ',' ' ')
	todo=$(echo $todo $deps)
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -e "$modules_dir/$f" ] && cp "$modules_dir/$f" "$stage/lib/modules/$kver/"
done
depmod -b "$stage" "$kver"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -n -6 >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
