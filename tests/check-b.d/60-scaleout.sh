#!/bin/sh
# section: scale-out: GNU parallel --pipe and Dask's distributed scheduler over a compiled flow give the same multiset of lines as one process
# (also `make scale-test`)
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
if ! command -v parallel >/dev/null 2>&1; then
	fail "GNU parallel" "not installed (make deps installs it)"
	done_counting
	exit 1
fi
for b in text_wordcount numeric_conditions; do
	python3 "$SHARED/conformance/bench/gen_inputs.py" $b 20000 >"$TMP/in.jsonl"
	build/flowc build "$SHARED/conformance/bench/$b/flow.yaml" -o "$TMP/exe" || { fail "$b" "build failed"; continue; }
	"$TMP/exe" <"$TMP/in.jsonl" | sort >"$TMP/one"
	# --will-cite: no citation notice; blocks of 1000 lines, 4 jobs.
	parallel --will-cite --pipe -N 1000 -j 4 "$TMP/exe" <"$TMP/in.jsonl" | sort >"$TMP/many"
	n=$(wc -l <"$TMP/one")
	if [ "$n" -eq 20000 ] && cmp -s "$TMP/one" "$TMP/many"; then
		pass "$b: 20000 contexts, one process = parallel --pipe -j 4"
	else
		fail "$b" "$(diff "$TMP/one" "$TMP/many" | head -4)"
	fi
done

# Dask: examples/dask_pipe.py on a LocalCluster of two worker processes,
# 20,000 contexts with a failing context and a malformed line among
# them: the same lines (in the same order: the recipe keeps partition
# order and renumbers error lines) and exit status (1) as one process;
# an executable that exits 2 (a bad argument) fails the run with 2.
PY=
for p in python3 /usr/bin/python3; do
	"$p" -c 'import dask.bag, distributed' 2>/dev/null && { PY=$p; break; }
done
if [ -z "$PY" ]; then
	fail "Dask" "python3-dask and python3-distributed are not installed (make deps installs them)"
	done_counting
	exit 1
fi
b=text_wordcount
python3 "$SHARED/conformance/bench/gen_inputs.py" $b 20000 >"$TMP/in.jsonl"
{
	echo '{"context": "no-such-def", "inputs": [{"definition": "nope", "value": 1}]}'
	echo 'not json'
	echo '{"context": "last", "inputs": [{"definition": "text", "value": "a b a"}]}'
} >>"$TMP/in.jsonl"
if build/flowc build "$SHARED/conformance/bench/$b/flow.yaml" -o "$TMP/exe"; then
	"$TMP/exe" <"$TMP/in.jsonl" >"$TMP/one.out"
	rc1=$?
	sort "$TMP/one.out" >"$TMP/one"
	$PY examples/dask_pipe.py --workers 2 --blocksize 100000 "$TMP/exe" "$TMP/in.jsonl" "$TMP/dask.out" \
	    2>"$TMP/dask.err"
	rc=$?
	sort "$TMP/dask.out" >"$TMP/many"
	if [ $rc -ne $rc1 ] || [ $rc -ne 1 ]; then
		fail "Dask: $b" "exit status $rc, one process $rc1: $(tail -n 3 "$TMP/dask.err")"
	elif ! grep -q 'partitions on 2 worker processes' "$TMP/dask.err"; then
		fail "Dask: $b" "not two worker processes: $(tail -n 3 "$TMP/dask.err")"
	elif [ "$(wc -l <"$TMP/one")" -ne 20003 ] || ! cmp -s "$TMP/one" "$TMP/many"; then
		fail "Dask: $b" "$(diff "$TMP/one" "$TMP/many" | head -4)"
	elif ! cmp -s "$TMP/one.out" "$TMP/dask.out"; then
		fail "Dask: $b" "same lines, another order: $(cmp "$TMP/one.out" "$TMP/dask.out")"
	else
		pass "Dask: $b: 20003 lines, LocalCluster of 2 worker processes = one process (exit 1 kept)"
	fi
	$PY examples/dask_pipe.py --workers 2 "$TMP/exe" "$TMP/in.jsonl" "$TMP/dask.out" \
	    -- --no-such-option 2>"$TMP/dask.err"
	rc=$?
	if [ $rc -eq 2 ] && grep -q 'exited with 2' "$TMP/dask.err"; then
		pass "Dask: an executable that exits 2 fails the run (exit 2)"
	else
		fail "Dask: failing executable" "exit status $rc: $(tail -n 3 "$TMP/dask.err")"
	fi
else
	fail "Dask: $b" "build failed"
fi
done_counting
