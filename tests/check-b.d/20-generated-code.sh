#!/bin/sh
# section: generated C: deterministic and warning-free (-std=c99 -Wall -Wextra -Werror)
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
for f in "$SHARED"/conformance/cases/*/flow.yaml "$SHARED"/conformance/bench/*/flow.yaml examples/*/flow.yaml; do
	[ -f "$f" ] || continue
	name=${f%/flow.yaml}
	name=${name##*/}
	ops=""
	[ -f "${f%/flow.yaml}/ops.c" ] && ops="--ops ${f%/flow.yaml}/ops.c"
	for O in 0 2; do
		# shellcheck disable=SC2086
		build/flowc build -S -O$O $ops "$f" -o "$TMP/a.c" && build/flowc build -S -O$O $ops "$f" -o "$TMP/b.c" || { fail "$name -O$O" "flowc build -S failed"; continue; }
		if ! cmp -s "$TMP/a.c" "$TMP/b.c"; then
			fail "$name -O$O" "two builds differ"
		elif ! out=$(cc -std=c99 -Wall -Wextra -Werror -Ibuild/include -c "$TMP/a.c" -o "$TMP/a.o" 2>&1); then
			fail "$name -O$O" "$out"
		else
			pass "$name -O$O"
		fi
	done
done
done_counting
