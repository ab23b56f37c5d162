#!/bin/sh
# section: random flows: a fixed-seed batch through the interpreter, -O0, -O2 and HLS (tests/randflow)
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
# 240 flows, one in three restricted to what the HLS target takes; `make
# difftest N=... SEED=...` runs longer campaigns (tests/randflow/README.md).
out=$(python3 tests/randflow/difftest.py --seed 424242 --count 240 --jobs 2 --keep "$TMP/randflow" 2>&1)
summary=$(printf '%s\n' "$out" | grep '^difftest: seeds')
if [ $? -eq 0 ] && printf '%s\n' "$summary" | grep -q ', 0 disagreements$'; then
	pass "${summary#difftest: }"
else
	fail "random flows" "$(printf '%s\n' "$out" | head -n 12)"
fi
# the generator is reproducible: one seed, the same files twice
python3 tests/randflow/gen.py 77 "$TMP/g1" >/dev/null && python3 tests/randflow/gen.py 77 "$TMP/g2" >/dev/null
if diff -r "$TMP/g1" "$TMP/g2" >/dev/null; then
	pass "gen.py: the same seed gives the same flow and contexts"
else
	fail "gen.py reproducible" "$(diff -r "$TMP/g1" "$TMP/g2" | head -n 5)"
fi
# every batch flow must be exercised: most checked, and HLS reached
n=$(printf '%s\n' "$summary" | sed -n 's/.*: \([0-9]*\) flows run.*/\1/p')
h=$(printf '%s\n' "$summary" | sed -n 's/.*hls \([0-9]*\)).*/\1/p')
if [ "${n:-0}" -ge 200 ] && [ "${h:-0}" -ge 20 ]; then
	pass "random flows: $n of 240 run, $h through the HLS test bench"
else
	fail "random flow coverage" "$summary"
fi
done_counting
