#!/bin/sh
# run.sh: user operations in C, end to end.  Each tests/userops/NAME.yaml
# is built with `flowc build --ops NAME.c` at -O0 and at -O2, run on
# NAME.jsonl, and its standard output must equal NAME.expected (exit
# status 1: each file has a failing context on purpose); the two
# builds' C must be deterministic and compile warning-free with
# -Wall -Wextra -Werror.  examples/user-op is run the same way against
# its expected.jsonl.  With FLOWC_INTERP=1, `flowc run --ops` too.
# strace shows that libclang looks for no CUDA or GCC installation.
# Prints PASS/FAIL per test and "N passed, M failed".
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

run_one() {         # name flow ops inputs expected
	name=$1 flow=$2 ops=$3 inputs=$4 expected=$5
	for O in 0 2; do
		exe=$TMP/$name-O$O
		if ! build/flowc build -O$O "$flow" --ops "$ops" -o "$exe" 2>"$TMP/err"; then
			fail "$name -O$O" "flowc build failed: $(head -5 "$TMP/err")"
			continue
		fi
		"$exe" -i "$inputs" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		if [ "$rc" != 1 ] && [ "$rc" != 0 ]; then
			fail "$name -O$O" "exit status $rc: $(head -5 "$TMP/err")"
		elif ! cmp -s "$TMP/out" "$expected"; then
			fail "$name -O$O" "$(diff "$expected" "$TMP/out" | head -10)"
		else
			pass "$name -O$O"
		fi
		build/flowc build -S -O$O "$flow" --ops "$ops" -o "$TMP/a.c" &&
		    build/flowc build -S -O$O "$flow" --ops "$ops" -o "$TMP/b.c" || {
			fail "$name -O$O C" "flowc build -S failed"; continue; }
		if ! cmp -s "$TMP/a.c" "$TMP/b.c"; then
			fail "$name -O$O C" "two builds differ"
		elif ! out=$(cc -std=c99 -Wall -Wextra -Werror -Ibuild/include -c "$TMP/a.c" -o "$TMP/a.o" 2>&1 &&
		    cc -std=c99 -Wall -Wextra -Werror -Ibuild/include -c "$ops" -o "$TMP/ops.o" 2>&1); then
			fail "$name -O$O C" "$out"
		else
			pass "$name -O$O C"
		fi
	done
	if [ "${FLOWC_INTERP:-0}" = 1 ]; then
		build/flowc run "$flow" --ops "$ops" -i "$inputs" >"$TMP/out" 2>"$TMP/err"
		if ! cmp -s "$TMP/out" "$expected"; then
			fail "$name run" "$(cat "$TMP/err" | head -5; diff "$expected" "$TMP/out" | head -10)"
		else
			pass "$name run"
		fi
	fi
}

for f in tests/userops/*.yaml; do
	base=${f%.yaml}
	run_one "${base##*/}" "$f" "$base.c" "$base.jsonl" "$base.expected"
done
run_one example-user-op examples/user-op/flow.yaml examples/user-op/ops.c \
	examples/user-op/inputs.jsonl examples/user-op/expected.jsonl

# libclang's driver looks for no CUDA and no GCC installation (flowc(1):
# they do not change a C parse, and on a machine with CUDA they were a
# third of the time of a small file).  LeakSanitizer does not run under
# ptrace, so a SANITIZE=1 build does this one without it.
: >"$TMP/probes"
if ! command -v strace >/dev/null; then
	fail "libclang probes" "strace is not installed (make deps installs it)"
elif ! ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    strace -f -e trace=%file -o "$TMP/strace" build/flowc build -S examples/user-op/flow.yaml \
    --ops examples/user-op/ops.c -o "$TMP/probe.c" 2>"$TMP/err"; then
	fail "libclang probes" "flowc build -S failed: $(head -5 "$TMP/err")"
elif grep -qE '/stdint.h", O_RDONLY[^=]*= [0-9]' "$TMP/strace" &&
    ! grep -E '/cuda|/lib/gcc/' "$TMP/strace" >"$TMP/probes"; then
	pass "libclang probes: no CUDA or GCC installation looked for, system headers found"
else
	fail "libclang probes" "no system stdint.h, or $(grep -c . "$TMP/probes") probes: $(head -3 "$TMP/probes")"
fi
done_counting
