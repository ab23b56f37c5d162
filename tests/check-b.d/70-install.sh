#!/bin/sh
# section: make install / uninstall: the installed flowc builds flows from any directory
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
top=$(pwd)
root=$TMP/root
if make -s install DESTDIR="$root" PREFIX=/opt/flowc >"$TMP/log" 2>&1; then
	pass "make install DESTDIR=... PREFIX=/opt/flowc"
else
	fail "make install" "$(tail -5 "$TMP/log")"
fi
for f in bin/flowc lib/libflowrt.a include/flowrt.h include/flowops.h include/flowhls.h \
    lib/pkgconfig/flowrt.pc share/man/man1/flowc.1 share/man/man5/flowc-manifest.5 \
    share/man/man7/flowc-ops.7 share/man/man3/flowrt.3 share/flowc/hls-lint.sh; do
	[ -f "$root/opt/flowc/$f" ] && pass "installed $f" || fail "installed $f" "missing"
done
# From another directory, with the runtime found next to the installed
# flowc (../include, ../lib), not in the build tree.
mkdir -p "$TMP/elsewhere"
if (cd "$TMP/elsewhere" && "$root/opt/flowc/bin/flowc" build "$top/examples/wordcount/flow.yaml" -o wc &&
    ./wc -i "$top/examples/wordcount/inputs.jsonl" >out && cmp -s out "$top/examples/wordcount/expected.jsonl"); then
	pass "the installed flowc builds and the program runs from another directory"
else
	fail "installed flowc" "build or run failed"
fi
make -s uninstall DESTDIR="$root" PREFIX=/opt/flowc >/dev/null 2>&1
left=$(find "$root" -type f | head -3)
[ -z "$left" ] && pass "make uninstall removes every file" || fail "make uninstall" "$left"
done_counting
