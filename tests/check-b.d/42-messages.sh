#!/bin/sh
# section: run-time messages: causes named, values shown, context kept
#
# tests/messages/: a flow and input lines whose answers must name their
# cause (issue 14): get_single says which operation never ran and which
# input it lacked, an operation error shows the value, a line with a bad
# value keeps its context name, a repeated "context" key is an error.
# The interpreter and executables built at -O0 and -O2 must print
# exactly tests/messages/expected.jsonl; --trace must show the context,
# the values of each run and the operations a condition skipped.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

M=tests/messages
F=build/flowc
cat "$M/expected.jsonl" "$M/expected-ops.jsonl" >"$TMP/want"
for mode in run -O0 -O2; do
	if [ $mode = run ]; then
		$F run $M/sum.yaml -i $M/inputs.jsonl >"$TMP/got" 2>/dev/null
		$F run $M/ops.yaml -i $M/inputs-ops.jsonl >>"$TMP/got" 2>/dev/null
	else
		$F build $mode $M/sum.yaml -o "$TMP/sum" 2>/dev/null &&
			$F build $mode $M/ops.yaml -o "$TMP/ops" 2>/dev/null &&
			{ "$TMP/sum" -i $M/inputs.jsonl; "$TMP/ops" -i $M/inputs-ops.jsonl; } >"$TMP/got"
	fi
	if cmp -s "$TMP/got" "$TMP/want"; then
		pass "messages ($mode)"
	else
		fail "messages ($mode)" "$(diff "$TMP/want" "$TMP/got")"
	fi
done

# --trace
C=$SHARED/conformance/cases/condition_truthiness
$F run $M/sum.yaml -i $M/inputs.jsonl --trace >/dev/null 2>"$TMP/trace"
$F run "$C/flow.yaml" -i "$C/inputs.jsonl" --trace >/dev/null 2>>"$TMP/trace"
for want in 'flowrt: context ok' 'flowrt: run add(a=2, b=3) -> ok 5' \
	"flowrt: run get_single(spec=[\"sum\"]) -> error: definition 'sum' never appeared" \
	'flowrt: skip up: no condition is true'; do
	if grep -qF -- "$want" "$TMP/trace"; then
		pass "--trace shows: $want"
	else
		fail "--trace shows: $want" "$(head -n 20 "$TMP/trace")"
	fi
done
done_counting
