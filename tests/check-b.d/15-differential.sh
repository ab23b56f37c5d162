#!/bin/sh
# section: differential: interpreter, -O0 and -O2 give byte-identical output on mutated inputs
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
diff_case() {	# name flow inputs
	name=$1 flow=$2 inputs=$3
	build/flowc run "$flow" -i "$inputs" >"$TMP/i.out" 2>/dev/null
	rci=$?
	for O in 0 2; do
		if ! build/flowc build -O$O "$flow" -o "$TMP/exe" 2>"$TMP/err"; then
			fail "$name -O$O" "$(cat "$TMP/err")"
			continue
		fi
		"$TMP/exe" -i "$inputs" >"$TMP/c.out" 2>/dev/null
		rcc=$?
		if [ $rci != $rcc ]; then
			fail "$name -O$O" "exit status $rcc, interpreter $rci"
		elif ! cmp -s "$TMP/i.out" "$TMP/c.out"; then
			fail "$name -O$O" "$(diff "$TMP/i.out" "$TMP/c.out" | head -6)"
		else
			pass "$name -O$O"
		fi
	done
}
for d in "$SHARED"/conformance/cases/*/ tests/cases/*/; do
	[ -f "$d/flow.yaml" ] || continue
	n=${d%/}
	n=${n##*/}
	python3 tests/mutate.py "$d/inputs.jsonl" --variants 6 --seed 7 >"$TMP/m.jsonl"
	diff_case "$n" "$d/flow.yaml" "$TMP/m.jsonl"
done
# Reproducers of disagreements between modes where DFFML has no answer to
# record (it crashes the whole run): every mode, HLS too where eligible.
for d in tests/difftest/*/; do
	n=${d%/}
	n=${n##*/}
	diff_case "difftest $n" "$d/flow.yaml" "$d/inputs.jsonl"
	rm -rf "$TMP/h"
	build/flowc build "$d/flow.yaml" --target=hls -o "$TMP/h" >/dev/null 2>&1 || continue
	make -s -C "$TMP/h" >/dev/null 2>&1 && "$TMP/h/tb" -i "$d/inputs.jsonl" >"$TMP/h.out" 2>/dev/null
	if build/flowc run "$d/flow.yaml" -i "$d/inputs.jsonl" 2>/dev/null | cmp -s - "$TMP/h.out"; then
		pass "difftest $n HLS"
	else
		fail "difftest $n HLS" "$(build/flowc run "$d/flow.yaml" -i "$d/inputs.jsonl" 2>/dev/null | diff - "$TMP/h.out" | head -6)"
	fi
done
for b in text_wordcount numeric_conditions record_mapping fanout_expand; do
	for seed in 1 2; do
		python3 "$SHARED/conformance/bench/gen_inputs.py" $b 300 --seed $seed >"$TMP/g.jsonl"
		python3 tests/mutate.py "$TMP/g.jsonl" --variants 2 --seed $seed >"$TMP/m.jsonl"
		diff_case "bench $b seed $seed" "$SHARED/conformance/bench/$b/flow.yaml" "$TMP/m.jsonl"
	done
done
done_counting
