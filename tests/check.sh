#!/bin/sh
# check.sh: the whole test suite, run by `make check`.
#
# Sections run in order; each prints PASS/FAIL lines and its own
# "N passed, M failed" summary and how long it took, "(N s)", to keep
# the whole under the 15 minutes it may take on 2 cores.  The script ends with the overall line
# and exits 1 if anything failed.  ../shared is found next to the
# checkout (FLOWC_SHARED overrides it).
set -u
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
start=$(date +%s)

section "unit tests (cmocka)"
run_counted sh tests/run-unit.sh build/tests/test_*

section "bad flows: rejected at the expected line"
run_counted python3 "$SHARED/conformance/compare.py" --all-bad "$SHARED/conformance/bad" \
	--cmd 'build/flowc check {flow}'
run_counted python3 "$SHARED/conformance/compare.py" --all-bad tests/bad \
	--cmd 'build/flowc check {flow}'

section "golden diagnostics"
run_counted sh tests/golden.sh

section "conformance flows pass flowc check"
run_counted sh tests/check-flows.sh

section "real-world DFFML flows"
run_counted sh tests/realworld.sh

section "conformance: interpreter (flowc run)"
run_counted python3 "$SHARED/conformance/compare.py" --all "$SHARED/conformance/cases" \
	--cmd 'build/flowc run {flow} -i {inputs}'
run_counted python3 "$SHARED/conformance/compare.py" --all "$SHARED/conformance/bench" \
	--cmd 'build/flowc run {flow} -i {inputs}'
run_counted python3 "$SHARED/conformance/compare.py" --all tests/cases \
	--cmd 'build/flowc run {flow} -i {inputs}'

section "user operations in C (--ops)"
run_counted env FLOWC_INTERP=1 sh tests/userops/run.sh

for extra in tests/check-*.d/*.sh; do  # sorted: a.d before b.d
	[ -f "$extra" ] || continue
	section "$(sed -n 's/^# section: //p' "$extra")"
	run_counted sh "$extra"
done

printf '\nmake check took %s s\n' "$(($(date +%s) - start))"
summary
