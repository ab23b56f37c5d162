#!/bin/sh
# section: scale-out: GNU parallel --pipe over a compiled flow gives the same multiset of lines as one process
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
done_counting
