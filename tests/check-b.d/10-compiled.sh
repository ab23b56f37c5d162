#!/bin/sh
# section: conformance: compiled executables at -O0 and -O2
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
export FLOWC_EXE_CACHE="$TMP/exe"
for O in 0 2; do
	for set in "$SHARED/conformance/cases" "$SHARED/conformance/bench" tests/cases; do
		[ -n "$(ls "$set" 2>/dev/null)" ] || continue
		run_later python3 "$SHARED/conformance/compare.py" --all "$set" \
			--cmd "sh tests/run-compiled.sh {flow} {inputs} $O"
	done
done
collect
[ "$TOTAL_FAIL" -eq 0 ] && echo "$TOTAL_PASS passed, 0 failed" || { echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"; exit 1; }
