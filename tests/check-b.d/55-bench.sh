#!/bin/sh
# section: flowc bench: start-up subtracted, short runs warned about, the first differing context named, --ops/--max-memory/-j passed on, --svg
#
# tests/bench/probe.yaml's user operations (probe.c) sleep a given time
# per context and report the -j and --max-memory they were given (and a
# process id for x = 7, so that the programs disagree there):
#   1. a run that is too short gets a warning (for the executables: the
#      interpreter's start-up compiles --ops, which on a busy machine
#      varies by more than its 3 contexts take);
#   2. 10 contexts of 50 ms: every program's ns/context is its best time
#      less its start-up over 10 (1% slack), and 25-200 ms (the start-up
#      of a busy machine varies by tens of ms, which must not matter);
#      the SVG shows the table's figures;
#   3. x = 7 on line 3: bench names line 3 and context "c3", exits 1 and
#      keeps the outputs, named after their programs, in which -j 2 and
#      --max-memory 64 reached the interpreter and the executables
#      (--sandbox=files lets the executables' probe read /proc).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
P=tests/bench

# contexts N MS [X7LINE]: N contexts sleeping MS ms; line X7LINE has x = 7.
contexts() {
	awk -v n="$1" -v ms="$2" -v x7="${3:-0}" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "{\"context\": \"c%d\", \"inputs\": [{\"definition\": \"x\", \"value\": %d}, " \
			    "{\"definition\": \"ms\", \"value\": %d}]}\n", i, i == x7 ? 7 : 100 + i, ms
	}'
}

bench() {
	${FLOWC:-build/flowc} bench $P/probe.yaml --ops $P/probe.c --sandbox=files "$@" >"$TMP/b.out" 2>"$TMP/b.err"
}

# 1.
contexts 3 1 >"$TMP/short.jsonl"
bench -i "$TMP/short.jsonl" --runs 1
rc=$?
n=$(grep -c 'compiled -O[02] ran .* too short to time' "$TMP/b.err")
if [ $rc -eq 0 ] && [ "$n" -eq 2 ] && grep -q 'start-up ms' "$TMP/b.out"; then
	pass "bench: a too short run is warned about"
else
	fail "bench: short run" "exit $rc, $n warnings: $(cat "$TMP/b.err" "$TMP/b.out" | head -n 12)"
fi

# 2.
contexts 10 50 >"$TMP/nap.jsonl"
bench -i "$TMP/nap.jsonl" --runs 2 --svg "$TMP/b.svg"
rc=$?
bad=$(awk '/^interpreter / { ns = $3; best = $5; st = $6 } /^compiled / { ns = $4; best = $6; st = $7 }
	/^(interpreter|compiled) / && !(ns >= 25e6 && ns <= 200e6) { print }
	/^(interpreter|compiled) / { d = ns * 10 / 1e6 - (best - st); if (d < 0) d = -d; if (d > best / 100) print }' "$TMP/b.out")
rows=$(grep -c '^\(interpreter\|compiled\) ' "$TMP/b.out")
if [ $rc -ne 0 ] || [ "$rows" -ne 3 ] || [ -n "$bad" ]; then
	fail "bench: start-up subtracted" "exit $rc: $(cat "$TMP/b.out" "$TMP/b.err")"
else
	pass "bench: start-up subtracted: ns/context = (best - start-up) / contexts, 50 ms contexts 25-200 ms"
fi
ok=1
for r in $(awk '/^interpreter / { print $2 } /^compiled / { print $3 }' "$TMP/b.out"); do
	grep -q ">$r/s, " "$TMP/b.svg" 2>/dev/null || ok=0
done
if [ $ok = 1 ] && grep -q 'start-up subtracted' "$TMP/b.svg"; then
	pass "bench: --svg shows the table's contexts/s"
else
	fail "bench: --svg" "$(cat "$TMP/b.out"; head -c 600 "$TMP/b.svg")"
fi

# 3.
contexts 5 0 3 >"$TMP/diff.jsonl"
bench -i "$TMP/diff.jsonl" --runs 1 -j 2 --max-memory 64
rc=$?
kept=$(sed -n 's/.*the outputs are kept: \(.*\) and \(.*\)$/\1 \2/p' "$TMP/b.err")
set -- $kept
if [ $rc -ne 1 ] || ! grep -q 'compiled -O0 and the interpreter disagree first at output line 3, context "c3"' "$TMP/b.err"; then
	fail "bench: differing output" "exit $rc: $(cat "$TMP/b.err")"
elif [ $# -ne 2 ] || [ "${1##*/}" != interpreter.jsonl ] || [ "${2##*/}" != O0.jsonl ] ||
    [ ! -f "$1" ] || [ ! -f "$2" ]; then
	fail "bench: differing output" "the outputs are not kept as named: $(cat "$TMP/b.err")"
elif [ "$(grep -c '"j=2 mem=64"' "$1")" -ne 4 ] || [ "$(grep -c '"j=2 mem=64"' "$2")" -ne 4 ]; then
	fail "bench: -j and --max-memory" "not passed on: $(head -n 2 "$1" "$2")"
else
	pass "bench: the first differing context is named, the outputs kept as interpreter.jsonl, O0.jsonl"
	pass "bench: --ops, -j 2 and --max-memory 64 reach the interpreter and the executables"
fi
[ $# -eq 2 ] && rm -rf "$(dirname "$1")"
done_counting
