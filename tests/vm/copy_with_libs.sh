# Sourced by tests/vm/build-initramfs.sh and tests/bench/run.sh.
# copy_with_libs ROOT SRC DST: a dynamically linked program installed as
# ROOT/DST, plus its loader and every library ldd resolves, at the paths
# ldd printed, so the loader's default search finds them in the VM.
copy_with_libs() {
	install -D -m 0755 "$2" "$1$3"
	ldd "$2" 2>/dev/null | awk '
		$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }' | while read -r lib; do
		[ -e "$1$lib" ] || install -D -m 0755 "$lib" "$1$lib"
	done
}
