#!/bin/sh
# section: golden generated code: C at -O0 and -O2, the -d dump, the HLS kernel
#
# cproc's golden tests for what flowc writes.  tests/golden/code/NAME/flow
# names a flow of the repository (one line, relative to its root); the
# directory holds what flowc must write for it, byte for byte:
#   O0.c.expected, O2.c.expected   flowc build -S -O0 / -O2
#   d.expected         standard error of flowc build -d -S -O2 (the IR
#                      after each pass)
#   kernel.c.expected  the kernel of flowc build --target=hls (when the
#                      flow is eligible; the file is then present)
# (.expected, so that tools reading the tree's C do not count them).
# Any change to generated code shows in review as a change to these
# files.  FLOWC_REGEN=1 rewrites them (read the diff before committing).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

# golden_cmp NAME FILE GOT: GOT against tests/golden/code/NAME/FILE
golden_cmp() {
	want=tests/golden/code/$1/$2
	if [ "${FLOWC_REGEN:-0}" = 1 ]; then
		cp "$3" "$want"
	fi
	if [ ! -f "$want" ]; then
		fail "$1 $2" "no $want (FLOWC_REGEN=1 writes it)"
	elif cmp -s "$3" "$want"; then
		pass "$1 $2"
	else
		fail "$1 $2" "$(diff "$want" "$3" | head -20)"
	fi
}

for dir in tests/golden/code/*/; do
	[ -f "$dir/flow" ] || continue
	name=$(basename "$dir")
	flow=$(cat "$dir/flow")
	for O in 0 2; do
		build/flowc build -S -O$O "$flow" -o "$TMP/$name.O$O.c" 2>/dev/null
		golden_cmp "$name" O$O.c.expected "$TMP/$name.O$O.c"
	done
	build/flowc build -d -S -O2 "$flow" -o /dev/null 2>"$TMP/$name.d"
	golden_cmp "$name" d.expected "$TMP/$name.d"
	if [ -f "$dir/kernel.c.expected" ] || [ "${FLOWC_REGEN:-0}" = 1 ]; then
		rm -rf "$TMP/$name.hls"
		if build/flowc build --target=hls "$flow" -o "$TMP/$name.hls" >/dev/null 2>&1; then
			golden_cmp "$name" kernel.c.expected "$(ls "$TMP/$name.hls"/*_kernel.c)"
		fi
	fi
done
done_counting
