#!/bin/sh
# nothing-lost/run.sh: a stream in which some contexts fail loses nothing.
#
# For every backend -- the interpreter (flowc run), compiled executables at
# -O0 and -O2, and the HLS test bench (flowc build --target=hls; skipped
# with a note while the backend cannot build the flow) -- and each stream
# (ints.jsonl on ints.yaml, every backend; rich.jsonl on rich.yaml, the
# software backends):
#   stream   every context's line is written, in input order, failures
#            included (overflow, division by zero, bad number, bad
#            literal, wrong type, unknown definition, malformed or
#            non-object lines), blank lines give none, a last line without
#            a newline counts; the exit status is 1 (expected files:
#            gen.py; compared by ../hostile/expect.py);
#   flush    ints.jsonl is fed one line at a time through a fifo: each
#            context's line must come out while the process is still
#            waiting for the next one (output flushed per line); then half
#            a line is written and the process is killed with SIGKILL: the
#            output holds every completed context, each line whole;
#   /dev/full  good contexts whose output cannot be written (ENOSPC) must
#            not exit 0: output that was lost is a failure too;
#   -j 2     the interpreter and the executables pass the three tests on
#            two threads too, with the output, standard error and exit
#            status of -j 1 (ints.jsonl, rich.jsonl, and rich.jsonl with
#            --trace, and ints.jsonl among contexts that outgrow
#            --max-memory 1).
# The test bench is built with $FLOWC_CFLAGS when set (make check
# SANITIZE=1), so it runs instrumented too.
# Prints PASS/FAIL (and SKIP) lines and "N passed, M failed".
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
FLOWC=${FLOWC:-build/flowc}
D=tests/nothing-lost
EXPECT="python3 tests/hostile/expect.py"

detail() {
	printf '%s' "$1" | tr '\n' ' ' | head -c 400 | sed 's/\\/\\\\/g'
}

# stream_test NAME FLOW CMD...: run CMD -i FLOW.jsonl, compare.
stream_test() {
	name=$1 base=$2
	shift 2
	"$@" -i $D/$base.jsonl >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$name" "exit $rc, expected 1: $(detail "$(cat "$TMP/err")")"
	elif ! out=$($EXPECT $D/$base.expected "$TMP/out"); then
		fail "$name" "$(detail "$out")"
	else
		pass "$name"
	fi
}

# lines FILE: the number of complete lines in FILE.
lines() {
	wc -l <"$1" | tr -d ' '
}

# flush_test NAME CMD...: the fifo test on ints.jsonl (its first 8 lines
# each give one output line).
flush_test() {
	name=$1
	shift
	rm -f "$TMP/fifo" "$TMP/kill.out"
	mkfifo "$TMP/fifo" || { fail "$name" "mkfifo failed"; return; }
	: >"$TMP/kill.out"
	"$@" -i "$TMP/fifo" >"$TMP/kill.out" 2>"$TMP/kill.err" &
	pid=$!
	exec 3<>"$TMP/fifo"
	k=0 why=
	while [ $k -lt 8 ] && [ -z "$why" ]; do
		k=$((k + 1))
		sed -n "${k}p" $D/ints.jsonl >&3
		t=0
		while [ "$(lines "$TMP/kill.out")" -lt $k ]; do
			if [ $t -ge 200 ] || ! kill -0 $pid 2>/dev/null; then
				why="no output for line $k while the process waits for more input (not flushed?)"
				break
			fi
			sleep 0.05
			t=$((t + 1))
		done
	done
	printf '{"context": "in-flight", "inputs": [{"defin' >&3
	sleep 0.2
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	exec 3>&-
	head -n 8 $D/ints.expected >"$TMP/kill.exp"
	if [ -n "$why" ]; then
		fail "$name" "$why"
	elif [ -n "$(tail -c 1 "$TMP/kill.out")" ]; then
		fail "$name" "a partial line after SIGKILL"
	elif ! out=$($EXPECT "$TMP/kill.exp" "$TMP/kill.out"); then
		fail "$name" "$(detail "$out")"
	else
		pass "$name"
	fi
}

# full_test NAME CMD...: the output goes to /dev/full.
full_test() {
	name=$1
	shift
	[ -w /dev/full ] || { echo "SKIP $name: no /dev/full"; return; }
	grep '"ok-' $D/ints.jsonl >"$TMP/ok.jsonl"
	"$@" -i "$TMP/ok.jsonl" >/dev/null 2>"$TMP/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$name" "exit $rc on good contexts written to /dev/null"
		return
	fi
	"$@" -i "$TMP/ok.jsonl" >/dev/full 2>"$TMP/err"
	rc=$?
	if [ $rc -eq 0 ]; then
		fail "$name" "exit 0 although no output could be written"
	elif [ $rc -ge 128 ]; then
		fail "$name" "killed by signal $((rc - 128))"
	else
		pass "$name"
	fi
}

# Interpreter.
for s in ints rich; do
	stream_test "$s: flowc run" $s "$FLOWC" run $D/$s.yaml
done
flush_test "flush: flowc run" "$FLOWC" run $D/ints.yaml
full_test "write error: flowc run" "$FLOWC" run $D/ints.yaml

# Compiled executables.
for O in 0 2; do
	for s in ints rich; do
		if ! "$FLOWC" build -O$O $D/$s.yaml -o "$TMP/$s-O$O" 2>"$TMP/err"; then
			fail "$s: -O$O" "flowc build failed: $(detail "$(cat "$TMP/err")")"
			continue
		fi
		stream_test "$s: -O$O" $s "$TMP/$s-O$O"
	done
	if [ -x "$TMP/ints-O$O" ]; then
		flush_test "flush: -O$O" "$TMP/ints-O$O"
		full_test "write error: -O$O" "$TMP/ints-O$O"
	fi
done

# same_j2_test NAME INPUTS CMD...: CMD -j 2 gives what CMD gives.
same_j2_test() {
	name=$1 file=$2
	shift 2
	"$@" -i "$file" >"$TMP/j1.out" 2>"$TMP/j1.err"
	rc1=$?
	"$@" -j 2 -i "$file" >"$TMP/j2.out" 2>"$TMP/j2.err"
	rc2=$?
	if [ $rc1 -ne $rc2 ]; then
		fail "$name" "exit $rc2 at -j 2, $rc1 at -j 1"
	elif ! cmp -s "$TMP/j1.out" "$TMP/j2.out"; then
		fail "$name" "$(detail "$(diff "$TMP/j1.out" "$TMP/j2.out" | head -4)")"
	elif ! cmp -s "$TMP/j1.err" "$TMP/j2.err"; then
		fail "$name" "standard error: $(detail "$(diff "$TMP/j1.err" "$TMP/j2.err" | head -4)")"
	else
		pass "$name"
	fi
}

# Two threads: the interpreter and the executables again.  big.jsonl:
# ints.jsonl with a context of 3 MB between its lines, every third one.
python3 -c '
import sys
big = "{\"context\": \"big\", \"inputs\": [{\"definition\": \"x\", \"value\": \"%s\"}]}" % ("y" * 3000000)
for i, line in enumerate(open(sys.argv[1])):
    sys.stdout.write(line if i % 3 else big + "\n" + line)
' $D/ints.jsonl >"$TMP/big.jsonl"
for cmd in "$FLOWC run" "$TMP/ints-O0" "$TMP/ints-O2"; do
	case $cmd in
	*run) set -- $cmd $D/ints.yaml; n="flowc run";;
	*) [ -x "$cmd" ] || continue; set -- "$cmd"; n=${cmd##*/};;
	esac
	stream_test "ints: $n -j 2" ints "$@" -j 2
	flush_test "flush: $n -j 2" "$@" -j 2
	full_test "write error: $n -j 2" "$@" -j 2
	same_j2_test "ints: $n -j 2 = -j 1" $D/ints.jsonl "$@"
	same_j2_test "ints: $n --max-memory 1 -j 2 = -j 1" "$TMP/big.jsonl" "$@" --max-memory 1
done
for cmd in "$FLOWC run" "$TMP/rich-O0" "$TMP/rich-O2"; do
	case $cmd in
	*run) set -- $cmd $D/rich.yaml; n="flowc run";;
	*) [ -x "$cmd" ] || continue; set -- "$cmd"; n=${cmd##*/};;
	esac
	stream_test "rich: $n -j 2" rich "$@" -j 2
	same_j2_test "rich: $n -j 2 = -j 1" $D/rich.jsonl "$@"
	same_j2_test "rich: $n --trace -j 2 = -j 1" $D/rich.jsonl "$@" --trace
done

# HLS test bench (C simulation of the kernel behind the same driver).
hls=$TMP/hls
"$FLOWC" build $D/ints.yaml --target=hls -o "$hls" >"$TMP/err" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "error:" "$TMP/err"; then
	echo "SKIP ints: HLS test bench: $(detail "$(grep -m 1 'error:' "$TMP/err")")"
elif [ $rc -ne 0 ]; then
	fail "ints: HLS test bench" "flowc build --target=hls exit $rc: $(detail "$(cat "$TMP/err")")"
elif ! make -s -C "$hls" ${FLOWC_CFLAGS:+CFLAGS="$FLOWC_CFLAGS -Wno-unknown-pragmas"} >"$TMP/err" 2>&1 ||
    [ ! -x "$hls/tb" ]; then
	fail "ints: HLS test bench" "make -C DIR failed: $(detail "$(cat "$TMP/err")")"
else
	stream_test "ints: HLS test bench" ints "$hls/tb"
	flush_test "flush: HLS test bench" "$hls/tb"
	full_test "write error: HLS test bench" "$hls/tb"
fi

done_counting
