#!/bin/sh
# section: subflows (dffml.dataflow.run): default and redefined modes agree with the subflow run on its own
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
S=tests/subflow
build/flowc run $S/sub.yaml -i $S/sub-inputs.jsonl >"$TMP/sub.out"
for how in run O0 O2; do
	for m in default custom; do
		if [ $how = run ]; then
			build/flowc run $S/$m.yaml -i $S/$m-inputs.jsonl >"$TMP/$m.out"
		else
			build/flowc build -$how $S/$m.yaml -o "$TMP/$m.exe" && "$TMP/$m.exe" -i $S/$m-inputs.jsonl >"$TMP/$m.out"
		fi
	done
	run_counted python3 $S/check.py "$TMP/default.out" "$TMP/custom.out" "$TMP/sub.out"
done
# Diagnostics: a subflow without its dataflow, and errors inside one.
for b in $S/bad-*.yaml; do
	want=$(sed -n 's/^# expect: //p' "$b")
	out=$(build/flowc check "$b" 2>&1)
	if [ $? = 1 ] && printf '%s\n' "$out" | grep -q -- "$want"; then
		pass "${b##*/}"
	else
		fail "${b##*/}" "$out"
	fi
done
PASSES=$((PASSES + TOTAL_PASS))
FAILS=$((FAILS + TOTAL_FAIL))
done_counting
