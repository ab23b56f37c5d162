#!/bin/sh
# section: big flows: -O2 writes tables and shared functions, so that no C function, and no number of them, grows with the flow
#
# bench/gen_large.py's shapes with 300 operations, their start values
# seeded (folded at compile time) and given by each context (every
# operation runs): the -O2 executable gives the interpreter's lines, on
# good contexts, a missing input, an int64 overflow and two values of one
# definition; and the generated C has a handful of functions, none longer
# than a few hundred lines: inputs, seeds, output names and start-up are
# tables with a loop each, and operations whose code differs only in
# their numbers share one function (tplN) that a table calls.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

# inputs SHAPE: contexts giving the definitions SHAPE reads
inputs() {
	case $1 in
	chain) defs='add.inputs.a add.inputs.b' ;;
	fanout) defs='negate.inputs.a' ;;
	diamond) defs='negate.inputs.a add.inputs.a add.inputs.b' ;;
	esac
	python3 - $defs <<'PY'
import json, sys
defs = sys.argv[1:]
def line(name, vals):
    print(json.dumps({"context": name, "inputs": [{"definition": d, "value": v} for d, v in vals]}))
line("small", [(d, i + 2) for i, d in enumerate(defs)])
print(json.dumps({"context": "missing"}))
line("overflow", [(d, 9223372036854775807) for d in defs])
line("two", [(defs[0], 1), (defs[0], 5)] + [(d, 3) for d in defs[1:]])
PY
}

# longest FILE: the length in lines of FILE's longest function
longest() {
	awk '/^[a-z_][a-z_0-9]*\(/ { start = NR } /^}$/ && start { if (NR - start > max) max = NR - start; start = 0 }
	    END { print max + 0 }' "$1"
}

for shape in chain fanout diamond; do
	for how in seeded context; do
		flag=; [ $how = context ] && flag=--context
		f=$TMP/$shape-$how.yaml
		python3 bench/gen_large.py $flag $shape 300 >"$f"
		inputs $shape >"$TMP/in.jsonl"
		[ $how = seeded ] && echo '{"context": "empty"}' >"$TMP/in.jsonl"
		build/flowc run "$f" -i "$TMP/in.jsonl" >"$TMP/want" 2>/dev/null
		build/flowc build -S -O2 "$f" -o "$TMP/big.c" 2>/dev/null
		n=$(longest "$TMP/big.c")
		nf=$(grep -c '^[a-z_][a-z_0-9]*(' "$TMP/big.c")
		if grep -q '^/\* Schedule: static' "$TMP/big.c" && [ "$nf" -le 12 ] && [ "$n" -le 400 ] &&
		    { [ $how = seeded ] || grep -q '^tpl[0-9]*(' "$TMP/big.c"; }; then
			pass "$shape $how: static schedule, $nf functions, longest $n lines"
		else
			fail "$shape $how: tables and templates" "$nf functions, longest $n lines; $(head -2 "$TMP/big.c" | tail -1)"
		fi
		if build/flowc build -O2 "$f" -o "$TMP/exe" 2>"$TMP/err" &&
		    "$TMP/exe" -i "$TMP/in.jsonl" >"$TMP/got" 2>/dev/null; [ -s "$TMP/got" ] &&
		    cmp -s "$TMP/want" "$TMP/got"; then
			pass "$shape $how: -O2 gives the interpreter's $(wc -l <"$TMP/got") lines"
		else
			fail "$shape $how: -O2 output" "$(cat "$TMP/err"; diff "$TMP/want" "$TMP/got" | head -5)"
		fi
	done
done
# Up to 128 processing operations keep their own functions (faster per
# context than the shared ones), the calls split in parts of 32.
python3 bench/gen_large.py --context diamond 100 >"$TMP/d100.yaml"
inputs diamond >"$TMP/in.jsonl"
build/flowc run "$TMP/d100.yaml" -i "$TMP/in.jsonl" >"$TMP/want" 2>/dev/null
build/flowc build -S -O2 "$TMP/d100.yaml" -o "$TMP/d100.c" 2>/dev/null
n=$(longest "$TMP/d100.c")
if build/flowc build -O2 "$TMP/d100.yaml" -o "$TMP/exe" 2>"$TMP/err" &&
    "$TMP/exe" -i "$TMP/in.jsonl" >"$TMP/got" 2>/dev/null; [ -s "$TMP/got" ] &&
    cmp -s "$TMP/want" "$TMP/got" && ! grep -q '^tpl[0-9]*(' "$TMP/d100.c" &&
    grep -q '^part[0-9]*(' "$TMP/d100.c" && [ "$n" -le 400 ]; then
	pass "100 operations: a function each, calls in parts, longest $n lines, the interpreter's lines"
else
	fail "100 operations" "longest $n; $(cat "$TMP/err"; diff "$TMP/want" "$TMP/got" | head -5)"
fi

# A big spec where a name has more sources than a table row holds (a
# producer and two seeds): that output is written as code, in functions
# of 32 names; the -O2 lines are still the interpreter's.
python3 bench/gen_large.py --context fanout 40 >"$TMP/f40.yaml"
printf '%s\n' '- definition: f00003.result' '  origin: seed' '  value: 11' \
    '- definition: f00003.result' '  origin: seed' '  value: 12' >>"$TMP/f40.yaml"
inputs fanout >"$TMP/in.jsonl"
build/flowc run "$TMP/f40.yaml" -i "$TMP/in.jsonl" >"$TMP/want" 2>/dev/null
build/flowc build -S -O2 "$TMP/f40.yaml" -o "$TMP/f40.c" 2>/dev/null
if build/flowc build -O2 "$TMP/f40.yaml" -o "$TMP/exe" 2>"$TMP/err" &&
    "$TMP/exe" -i "$TMP/in.jsonl" >"$TMP/got" 2>/dev/null; [ -s "$TMP/got" ] &&
    cmp -s "$TMP/want" "$TMP/got" && [ "$(grep -c "^/\* get_single's result, part" "$TMP/f40.c")" = 2 ]; then
	pass "a spec name with a producer and two seeds: written in 2 parts, the interpreter's lines"
else
	fail "spec name with two seeds" "$(cat "$TMP/err"; diff "$TMP/want" "$TMP/got" | head -5)"
fi
done_counting
