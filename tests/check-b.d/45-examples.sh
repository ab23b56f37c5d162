#!/bin/sh
# section: examples: each built (-O0, -O2) and interpreted, output as expected.jsonl
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
for d in examples/*/; do
	d=${d%/}
	[ -f "$d/flow.yaml" ] && [ -f "$d/inputs.jsonl" ] && [ -f "$d/expected.jsonl" ] || continue
	ops=""
	[ -f "$d/ops.c" ] && ops="--ops $d/ops.c"
	# shellcheck disable=SC2086
	build/flowc run $ops "$d/flow.yaml" -i "$d/inputs.jsonl" >"$TMP/out" 2>"$TMP/err"
	if cmp -s "$TMP/out" "$d/expected.jsonl"; then pass "$d: flowc run"; else fail "$d: flowc run" "$(diff "$d/expected.jsonl" "$TMP/out" | head -4; cat "$TMP/err")"; fi
	for O in 0 2; do
		# shellcheck disable=SC2086
		if ! build/flowc build -O$O $ops "$d/flow.yaml" -o "$TMP/exe" 2>"$TMP/err"; then
			fail "$d: build -O$O" "$(cat "$TMP/err")"
			continue
		fi
		"$TMP/exe" -i "$d/inputs.jsonl" >"$TMP/out"
		if cmp -s "$TMP/out" "$d/expected.jsonl"; then pass "$d: -O$O"; else fail "$d: -O$O" "$(diff "$d/expected.jsonl" "$TMP/out" | head -4)"; fi
	done
done
done_counting
