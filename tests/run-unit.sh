#!/bin/sh
# run-unit.sh: run each cmocka test binary given as an argument, print
# PASS or FAIL per binary (the binary's own output only when it fails)
# and a final "N passed, M failed" line; exit 1 if any failed.
pass=0
fail=0
log=${TMPDIR:-/tmp}/run-unit.$$
for t in "$@"; do
	if "$t" >"$log" 2>&1; then
		echo "PASS $t"
		pass=$((pass + 1))
	else
		cat "$log"
		echo "FAIL $t"
		fail=$((fail + 1))
	fi
done
rm -f "$log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
