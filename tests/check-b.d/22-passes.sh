#!/bin/sh
# section: optimizer passes: seed folding and dead-operation elimination change nothing observable
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
F=tests/passes/fold-dce.yaml
out=$(build/flowc build -d -S -O2 "$F" -o "$TMP/fd.c" 2>&1)
for want in "pass_static: static schedule" "pass_fold: 3 operations folded" "pass_dce: 2 operations dropped"; do
	if printf '%s\n' "$out" | grep -qF "$want"; then pass "$want"; else fail "$want" "$out"; fi
done
# kept: 'risky' is dead but can fail (int_divide), so it stays in the fast path
if grep -q "risky: int_divide" "$TMP/fd.c" && ! grep -q "dup: str_upper (processing)" "$TMP/fd.c"; then
	pass "a dead operation that can fail is kept, one that cannot is dropped"
else
	fail "dead operations" "$(grep -n 'risky\|dup' "$TMP/fd.c" | head)"
fi
python3 tests/mutate.py tests/passes/fold-dce.jsonl --variants 20 --seed 3 >"$TMP/m.jsonl"
build/flowc run "$F" -i "$TMP/m.jsonl" >"$TMP/i.out"
for O in 0 2; do
	build/flowc build -O$O "$F" -o "$TMP/exe" && "$TMP/exe" -i "$TMP/m.jsonl" >"$TMP/c.out"
	if cmp -s "$TMP/i.out" "$TMP/c.out"; then
		pass "folded and dropped at -O$O: same output as the interpreter on $(wc -l <"$TMP/m.jsonl") contexts"
	else
		fail "-O$O output" "$(diff "$TMP/i.out" "$TMP/c.out" | head -5)"
	fi
done
# an operation that fails on its seeds is not folded, and says so
sed 's/  value: 5$/  value: 9223372036854775807/' "$F" >"$TMP/ovf.yaml"
out=$(build/flowc build -S -O2 "$TMP/ovf.yaml" -o "$TMP/o.c" 2>&1)
if printf '%s\n' "$out" | grep -q "warning: operation 'ksum' fails in every context on its seed values: integer overflow"; then
	pass "folding warns about an operation that always fails"
else
	fail "fold warning" "$out"
fi
done_counting
