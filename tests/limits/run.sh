#!/bin/sh
# limits/run.sh: hostile sizes get clear errors, never crashes or hangs.
#
#   nesting    manifests nested 150 deep load (and the value comes back
#              from a run); 250 and 10^6 deep (YAML flow, block, compact;
#              JSON) are errors at a line, exit 1 -- no stack overflow;
#   aliases    a "billion laughs" YAML is an error, a 10^5 one loads;
#   deep line  an input value 2000 arrays deep is echoed; 10^5 deep is a
#              line error and the next context still runs; a literal_eval
#              source 10^5 lists deep is that context's error;
#   long line  a line over the driver's 64 MiB cap is a line error, a
#              60 MB string line still runs, and so does the next line;
#   product    --max-permutations: a context whose gather exceeds it gets
#              an error naming the operation, the others run; the default
#              bound stops a 1001 x 1000 product at once;
#   cycle      --max-firings stops a context that loops forever, the
#              others run;
#   defaults   with no flags at all, the looping context and a cascading
#              product (each gather under the bound, the total not) must
#              still end with a per-context error within 60 s and 1 GiB
#              (skipped in sanitizer builds, which cannot run under
#              ulimit -v);
#   chain      5000 operations in a chain check, run and emit C;
#   typos      20 misspelled 5000-byte names: flowc check within 10 s;
#   subflows   dffml.dataflow.run nested 8 deep runs; 9 and 40 deep are
#              errors at a line (the checker's bound), not a stack overflow.
# The runtime cases run on flowc run and compiled -O0 and -O2 executables.
# Prints PASS/FAIL lines and "N passed, M failed".
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
FLOWC=${FLOWC:-build/flowc}
L=tests/limits
GEN="python3 $L/gen.py"
EXPECT="python3 tests/hostile/expect.py"

detail() {
	printf '%s' "$1" | tr '\n' ' ' | head -c 400 | sed 's/\\/\\\\/g'
}

# limited CMD...: CMD with 1 GiB of address space and 60 s, output in
# $TMP/out and $TMP/err.
limited() {
	sh -c 'ulimit -v 1048576; exec timeout 60 "$@"' sh "$@" >"$TMP/out" 2>"$TMP/err"
}

sanitized() {
	nm "$FLOWC" 2>/dev/null | grep -q __asan_init
}

# expect_diag NAME FILE: flowc check exits 1 with an error at a line.
expect_diag() {
	"$FLOWC" check "$2" >"$TMP/diag" 2>&1
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$1" "exit $rc, expected 1: $(detail "$(head -c 300 "$TMP/diag")")"
	elif ! grep -q "^$2:[0-9][0-9]*:[0-9][0-9]*: error: " "$TMP/diag"; then
		fail "$1" "no positioned error: $(detail "$(head -c 300 "$TMP/diag")")"
	else
		pass "$1"
	fi
}

# expect_run NAME RC EXPECTED CMD...: CMD exits RC and writes EXPECTED.
expect_run() {
	name=$1 want=$2 exp=$3
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -ne "$want" ]; then
		fail "$name" "exit $rc, expected $want: $(detail "$(head -c 300 "$TMP/err")")"
	elif ! out=$($EXPECT "$exp" "$TMP/out"); then
		fail "$name" "$(detail "$out")"
	else
		pass "$name"
	fi
}

# backends FLOW: set $RUNNERS to the interpreter and compiled executables.
backends() {
	base=$(basename "$1" .yaml)
	RUNNERS="run"
	for O in 0 2; do
		exe=$TMP/$base-O$O
		if [ -x "$exe" ] || "$FLOWC" build -O$O "$1" -o "$exe" 2>"$TMP/err"; then
			RUNNERS="$RUNNERS $exe"
		else
			fail "$base -O$O" "flowc build failed: $(detail "$(cat "$TMP/err")")"
		fi
	done
}

# on_each NAME FLOW RC EXPECTED ARGS...: expect_run for every backend.
on_each() {
	oe_name=$1 oe_flow=$2 oe_want=$3 oe_exp=$4
	shift 4
	backends "$oe_flow"
	for r in $RUNNERS; do
		if [ "$r" = run ]; then
			expect_run "$oe_name: flowc run" "$oe_want" "$oe_exp" "$FLOWC" run "$oe_flow" "$@"
		else
			expect_run "$oe_name: ${r##*-}" "$oe_want" "$oe_exp" "$r" "$@"
		fi
	done
}

# ---- manifests ---------------------------------------------------------
for kind in deep-yaml deep-yaml-block deep-yaml-compact deep-json; do
	ext=yaml
	[ $kind = deep-json ] && ext=json
	f=$TMP/$kind.$ext
	$GEN $kind 150 >"$f"
	if "$FLOWC" check "$f" >"$TMP/diag" 2>&1; then
		pass "$kind 150 loads"
	else
		fail "$kind 150 loads" "$(detail "$(head -c 300 "$TMP/diag")")"
	fi
	$GEN $kind 250 >"$f"
	expect_diag "$kind 250 is an error" "$f"
	big=1000000
	[ $kind = deep-yaml-block ] && big=3000
	$GEN $kind $big >"$f"
	expect_diag "$kind $big is an error" "$f"
done
$GEN deep-yaml 150 >"$TMP/deep.yaml"
python3 -c 'print("{\"context\": \"c\", \"results\": {\"value\": " + "["*150 + "1" + "]"*150 + "}}")' >"$TMP/deep.exp"
echo '{"context": "c"}' >"$TMP/c.jsonl"
on_each "150-deep seed value" "$TMP/deep.yaml" 0 "$TMP/deep.exp" -i "$TMP/c.jsonl"

$GEN laughs 4 >"$TMP/laughs4.yaml"
if "$FLOWC" check "$TMP/laughs4.yaml" >"$TMP/diag" 2>&1; then
	pass "aliases: 10^4 expanded loads"
else
	fail "aliases: 10^4 expanded loads" "$(detail "$(head -c 300 "$TMP/diag")")"
fi
$GEN laughs 9 >"$TMP/laughs9.yaml"
expect_diag "aliases: a billion laughs is an error" "$TMP/laughs9.yaml"

# ---- input lines -------------------------------------------------------
{
	$GEN deep-line 2000
	$GEN deep-line 100000
	$GEN deep-literal 150
	$GEN deep-literal 100000
	echo '{"context": "next", "inputs": [{"definition": "str_length.inputs.s", "value": "abc"}]}'
} >"$TMP/deep.jsonl"
python3 - "$TMP/deep-lines.exp" <<'EOF'
import json, sys
n = lambda k: json.loads('[' * k + '1' + ']' * k) if k < 900 else None
with open(sys.argv[1], 'w') as f:
    f.write('{"context": "deep", "results": {"value": ' + '[' * 2000 + '1' + ']' * 2000 + '}}\n')
    f.write('{"line": 2, "context": "deep", "error": {}}\n')
    f.write(json.dumps({'context': 'deep-literal', 'results': {'EvaluatedStr': n(150)}}) + '\n')
    f.write('{"context": "deep-literal", "error": {"operation": "lit"}}\n')
    f.write('{"context": "next", "results": {"str_length.outputs.result": 3}}\n')
EOF
on_each "deep input lines" $L/echo.yaml 1 "$TMP/deep-lines.exp" -i "$TMP/deep.jsonl"

{
	$GEN long-line 69000000
	$GEN long-line 60000000
	echo '{"context": "next", "inputs": [{"definition": "str_length.inputs.s", "value": "abc"}]}'
} >"$TMP/long.jsonl"
cat >"$TMP/long.exp" <<'EOF'
{"line": 1, "error": {}}
{"context": "long", "results": {"str_length.outputs.result": 60000000}}
{"context": "next", "results": {"str_length.outputs.result": 3}}
EOF
expect_run "long lines: flowc run" 1 "$TMP/long.exp" "$FLOWC" run $L/echo.yaml -i "$TMP/long.jsonl"
backends $L/echo.yaml
[ -x "$TMP/echo-O2" ] && expect_run "long lines: O2" 1 "$TMP/long.exp" "$TMP/echo-O2" -i "$TMP/long.jsonl"
rm -f "$TMP/long.jsonl"

# ---- products and cycles -----------------------------------------------
{
	echo '{"context": "small", "inputs": [{"definition": "add.inputs.a", "value": 1}, {"definition": "add.inputs.b", "value": 10}]}'
	$GEN product 40
	echo '{"context": "after", "inputs": [{"definition": "add.inputs.a", "value": 5}, {"definition": "add.inputs.b", "value": 6}]}'
} >"$TMP/product.jsonl"
cat >"$TMP/product.exp" <<'EOF'
{"context": "small", "results": {"add.outputs.result": [11]}}
{"context": "explodes", "error": {"operation": "add"}}
{"context": "after", "results": {"add.outputs.result": [11]}}
EOF
on_each "--max-permutations 1000" $L/product.yaml 1 "$TMP/product.exp" -i "$TMP/product.jsonl" --max-permutations 1000
$GEN product 1001 >"$TMP/product-big.jsonl"
echo '{"context": "explodes", "error": {"operation": "add"}}' >"$TMP/product-big.exp"
on_each "default permutation bound" $L/product.yaml 1 "$TMP/product-big.exp" -i "$TMP/product-big.jsonl"

cat >"$TMP/cycle.jsonl" <<'EOF'
{"context": "stops", "inputs": [{"definition": "x", "value": 3}, {"definition": "go", "value": false}]}
{"context": "spins", "inputs": [{"definition": "x", "value": 3}, {"definition": "go", "value": true}]}
{"context": "after", "inputs": [{"definition": "x", "value": 5}]}
EOF
cat >"$TMP/cycle.exp" <<'EOF'
{"context": "stops", "results": {"x": 3}}
{"context": "spins", "error": {"operation": "neg"}}
{"context": "after", "results": {"x": 5}}
EOF
on_each "--max-firings 1000" $L/cycle.yaml 1 "$TMP/cycle.exp" -i "$TMP/cycle.jsonl" --max-firings 1000

# ---- default bounds: time and memory -------------------------------------
if sanitized; then
	echo "SKIP default bounds: a sanitizer build cannot run under ulimit -v"
else
	python3 - "$TMP/cascade.jsonl" <<'EOF'
import json, sys
ins = [{'definition': 'add.inputs.a', 'value': i} for i in range(400)]
ins += [{'definition': 'add.inputs.b', 'value': 0}]
ins += [{'definition': 'c', 'value': i} for i in range(2000)]
with open(sys.argv[1], 'w') as f:
    f.write(json.dumps({'context': 'cascade', 'inputs': ins}) + '\n')
    f.write(json.dumps({'context': 'after', 'inputs': [{'definition': 'add.inputs.a', 'value': 1},
        {'definition': 'add.inputs.b', 'value': 2}, {'definition': 'c', 'value': 3}]}) + '\n')
EOF
	printf '%s\n' '{"context": "cascade", "error": {"operation": "add2"}}' '{"context": "after", "results": {"r2": [6]}}' >"$TMP/cascade.exp"
	for t in "cycle:$L/cycle.yaml:$TMP/cycle.jsonl:$TMP/cycle.exp" \
	    "cascade:$L/cascade.yaml:$TMP/cascade.jsonl:$TMP/cascade.exp"; do
		IFS=: read -r name flow in exp <<EOF
$t
EOF
		limited "$FLOWC" run "$flow" -i "$in" 2>/dev/null
		rc=$?
		if [ $rc -ne 1 ]; then
			fail "default bounds: $name" "exit $rc (124: timeout, 134: abort), expected 1 and an error for the context: $(detail "$(tail -c 200 "$TMP/err")")"
		elif ! out=$($EXPECT "$exp" "$TMP/out"); then
			fail "default bounds: $name" "$(detail "$out")"
		else
			pass "default bounds: $name"
		fi
	done
fi

# ---- flow size -----------------------------------------------------------
$GEN chain 5000 >"$TMP/chain.yaml"
echo '{"context": "c", "inputs": [{"definition": "x0", "value": 1}]}' >"$TMP/chain.jsonl"
echo '{"context": "c", "results": {"x5000": 1}}' >"$TMP/chain.exp"
expect_run "chain of 5000: flowc run" 0 "$TMP/chain.exp" "$FLOWC" run "$TMP/chain.yaml" -i "$TMP/chain.jsonl"
for O in 0 2; do
	if "$FLOWC" build -S -O$O "$TMP/chain.yaml" -o "$TMP/chain.c" 2>"$TMP/err"; then
		pass "chain of 5000: build -S -O$O"
	else
		fail "chain of 5000: build -S -O$O" "$(detail "$(cat "$TMP/err")")"
	fi
done

# "did you mean" compares every misspelled name with every definition: with
# 5000-byte names a full edit distance each is 25M steps.
$GEN typos 20 >"$TMP/typos.json"
timeout 10 "$FLOWC" check "$TMP/typos.json" >"$TMP/diag" 2>&1
rc=$?
if [ $rc -eq 124 ]; then
	fail "typos in 5000-byte names" "flowc check took more than 10 s"
elif [ $rc -ne 1 ]; then
	fail "typos in 5000-byte names" "exit $rc, expected 1"
else
	pass "typos in 5000-byte names"
fi

# Subflows nest only by writing one inside the other's config; the checker
# bounds the nesting.  8 deep runs (the same bytes everywhere), 9 and 40
# deep are errors at a line.
$GEN subflows 8 >"$TMP/sub8.json"
$GEN subflows-input 8 >"$TMP/sub8.jsonl"
if ! "$FLOWC" run "$TMP/sub8.json" -i "$TMP/sub8.jsonl" >"$TMP/sub8.out" 2>"$TMP/err"; then
	fail "subflows 8 deep: flowc run" "$(detail "$(cat "$TMP/err")")"
elif ! grep -q '{"sum": 3}' "$TMP/sub8.out"; then
	fail "subflows 8 deep: flowc run" "no sum: $(detail "$(cat "$TMP/sub8.out")")"
else
	pass "subflows 8 deep: flowc run"
	for O in 0 2; do
		if ! "$FLOWC" build -O$O "$TMP/sub8.json" -o "$TMP/sub8" 2>"$TMP/err"; then
			fail "subflows 8 deep: -O$O" "$(detail "$(cat "$TMP/err")")"
		elif ! "$TMP/sub8" -i "$TMP/sub8.jsonl" | cmp -s - "$TMP/sub8.out"; then
			fail "subflows 8 deep: -O$O" "output differs from flowc run"
		else
			pass "subflows 8 deep: -O$O"
		fi
	done
fi
for n in 9 40; do
	$GEN subflows $n >"$TMP/sub$n.json"
	expect_diag "subflows $n deep is an error" "$TMP/sub$n.json"
done

done_counting
