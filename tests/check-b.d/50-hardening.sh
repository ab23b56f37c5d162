#!/bin/sh
# section: hardening: fuzz regressions, hostile names, limits, nothing lost
#
# The regression inputs the fuzzers found (tests/fuzz/replay.sh), flows
# with hostile names (tests/hostile/run.sh), size and work limits
# (tests/limits/run.sh) and streams with failing contexts
# (tests/nothing-lost/run.sh).  Under `make check SANITIZE=1` build/flowc
# and every executable it compiles are instrumented, so these run under
# ASan and UBSan too.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
# A sanitizer report must not pass for flowc's ordinary exit status 1.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=99"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=99:print_stacktrace=1"
export ASAN_OPTIONS UBSAN_OPTIONS
for t in tests/fuzz/replay.sh tests/hostile/run.sh tests/limits/run.sh tests/nothing-lost/run.sh; do
	run_later sh -c 'echo "-- $1"; sh "$1"' sh "$t"
done
collect
echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
[ "$TOTAL_FAIL" -eq 0 ]
