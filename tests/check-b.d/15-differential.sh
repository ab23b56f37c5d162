#!/bin/sh
# section: differential: interpreter, -O0 and -O2 give byte-identical output on mutated inputs, at -j 1 and -j 2
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
# same_j2 NAME RC1 RC2 OUT1 OUT2 ERR1 ERR2: -j 2 gave what -j 1 gave.
same_j2() {
	if [ "$2" != "$3" ]; then
		fail "$1" "exit status $3 at -j 2, $2 at -j 1"
	elif ! cmp -s "$4" "$5"; then
		fail "$1" "$(diff "$4" "$5" | head -6)"
	elif ! cmp -s "$6" "$7"; then
		fail "$1" "standard error differs: $(diff "$6" "$7" | head -4)"
	else
		pass "$1"
	fi
}
# diff_case NAME FLOW INPUTS: interpreter, -O0 and -O2 agree, each at
# -j 1 and -j 2 (byte for byte, exit status and standard error too).  A
# file "args" next to the flow holds options for every run (the limits);
# with one, each input line is also run alone through the interpreter
# and must give the line it gave in the stream.
diff_case() {
	name=$1 flow=$2 inputs=$3
	args=
	[ -f "${flow%/*}/args" ] && args=$(cat "${flow%/*}/args")
	# shellcheck disable=SC2086
	build/flowc run "$flow" $args -i "$inputs" >"$TMP/i.out" 2>"$TMP/i.err"
	rci=$?
	# shellcheck disable=SC2086
	build/flowc run "$flow" $args -j 2 -i "$inputs" >"$TMP/j.out" 2>"$TMP/j.err"
	same_j2 "$name run -j 2" $rci $? "$TMP/i.out" "$TMP/j.out" "$TMP/i.err" "$TMP/j.err"
	[ -n "$args" ] && alone_case "$name" "$flow" "$inputs" "$args"
	for O in 0 2; do
		if ! build/flowc build -O$O "$flow" -o "$TMP/exe" 2>"$TMP/err"; then
			fail "$name -O$O" "$(cat "$TMP/err")"
			continue
		fi
		# shellcheck disable=SC2086
		"$TMP/exe" $args -i "$inputs" >"$TMP/c.out" 2>"$TMP/c.err"
		rcc=$?
		# shellcheck disable=SC2086
		"$TMP/exe" $args -j 2 -i "$inputs" >"$TMP/j.out" 2>"$TMP/j.err"
		same_j2 "$name -O$O -j 2" $rcc $? "$TMP/c.out" "$TMP/j.out" "$TMP/c.err" "$TMP/j.err"
		if [ $rci != $rcc ]; then
			fail "$name -O$O" "exit status $rcc, interpreter $rci"
		elif ! cmp -s "$TMP/i.out" "$TMP/c.out"; then
			fail "$name -O$O" "$(diff "$TMP/i.out" "$TMP/c.out" | head -6)"
		else
			pass "$name -O$O"
		fi
	done
}
# alone_case NAME FLOW INPUTS ARGS: each line of INPUTS run by itself
# gives what it gave in the stream ($TMP/i.out, one line each).
alone_case() {
	k=0 bad=
	while IFS= read -r line; do
		k=$((k + 1))
		# shellcheck disable=SC2086
		got=$(printf '%s\n' "$line" | build/flowc run "$2" $4 2>/dev/null |
		    sed 's/^{"line": 1,/{"line": '$k',/')
		[ "$got" = "$(sed -n ${k}p "$TMP/i.out")" ] || bad="$bad $k"
	done <"$3"
	if [ -n "$bad" ]; then
		fail "$1 each context alone" "lines$bad differ from the stream's"
	else
		pass "$1 each context alone"
	fi
}
# The runs, one line each (number, kind, name, flow), with their inputs in
# in.NUMBER; two workers take every other one (gcc dominates), and their
# lines are printed in the list's order.
W=$TMP
n=0
item() {
	n=$((n + 1))
	printf '%s\t%s\t%s\t%s\n' $n "$1" "$2" "$3" >>"$W/items"
}
: >"$W/items"
for d in "$SHARED"/conformance/cases/*/ tests/cases/*/; do
	[ -f "$d/flow.yaml" ] || continue
	name=${d%/}
	name=${name##*/}
	item case "$name" "$d/flow.yaml"
	python3 tests/mutate.py "$d/inputs.jsonl" --variants 6 --seed 7 >"$W/in.$n"
done
# Reproducers of disagreements between modes where DFFML has no answer to
# record (it crashes the whole run): every mode, HLS too where eligible.
for d in tests/difftest/*/; do
	name=${d%/}
	name=${name##*/}
	item difftest "difftest $name" "$d/flow.yaml"
	cp "$d/inputs.jsonl" "$W/in.$n"
done
for b in text_wordcount numeric_conditions record_mapping fanout_expand; do
	for seed in 1 2; do
		item case "bench $b seed $seed" "$SHARED/conformance/bench/$b/flow.yaml"
		python3 "$SHARED/conformance/bench/gen_inputs.py" $b 300 --seed $seed >"$TMP/g.jsonl"
		python3 tests/mutate.py "$TMP/g.jsonl" --variants 2 --seed $seed >"$W/in.$n"
	done
done

# hls_case NAME FLOW INPUTS: the HLS test bench agrees with flowc run
# where the flow is eligible.
hls_case() {
	rm -rf "$TMP/h"
	build/flowc build "$2" --target=hls -o "$TMP/h" >/dev/null 2>&1 || return
	make -s -C "$TMP/h" >/dev/null 2>&1 && "$TMP/h/tb" -i "$3" >"$TMP/h.out" 2>/dev/null
	if build/flowc run "$2" -i "$3" 2>/dev/null | cmp -s - "$TMP/h.out"; then
		pass "$1 HLS"
	else
		fail "$1 HLS" "$(build/flowc run "$2" -i "$3" 2>/dev/null | diff - "$TMP/h.out" | head -6)"
	fi
}

worker() {
	TMP=$W/w$1
	mkdir -p "$TMP"
	tab=$(printf '\t')
	while IFS=$tab read -r i kind name flow; do
		[ $((i % 2)) -eq "$1" ] || continue
		{
			diff_case "$name" "$flow" "$W/in.$i"
			[ "$kind" = difftest ] && [ ! -f "${flow%/*}/args" ] &&
			    hls_case "$name" "$flow" "$W/in.$i"
		} >"$W/out.$i"
	done <"$W/items"
}
worker 0 &
worker 1
wait
i=1
while [ $i -le $n ]; do
	cat "$W/out.$i"
	i=$((i + 1))
done
PASSES=$(cat "$W"/out.* | grep -c '^PASS')
FAILS=$(cat "$W"/out.* | grep -c '^FAIL')
done_counting
