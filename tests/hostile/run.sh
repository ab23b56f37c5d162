#!/bin/sh
# hostile/run.sh: flows whose names try to break the generated C and the
# JSON output (see gen.py for the names and the expected results).
#
# For each case folder (names, names-json, nul-*):
#   check    flowc check accepts it -- or, for a nul-* case, rejects it
#            with a diagnostic at a line (the other allowed outcome; the
#            remaining steps are then skipped);
#   run      flowc run gives expected.jsonl (names byte for byte, error
#            lines naming the right operation or definition), exit 1;
#   -O0/-O2  the compiled executables write the same bytes, exit 1;
#   C -O0/-O2  flowc build -S twice gives the same file, which compiles
#            with -std=c99 -Wall -Wextra -Werror, and in which, after the
#            preprocessor, no INJECTED_* fragment of a name is left outside
#            a string literal (cscan.py), nor in the object's symbols;
#   graph    flowc graph's dot has every name inside a quoted string;
#   HLS      where the HLS backend takes the flow (names-int), its test
#            bench gives the same bytes as flowc run, and every file it
#            writes compiles warning-free with no INJECTED_* fragment left
#            outside a literal; where it refuses (string operations), it
#            must say so with a diagnostic (a SKIP line).
# Then the names flow again from a file whose own name is hostile.
#
# Environment: FLOWC (default build/flowc), CC (cc), FLOWC_HOSTILE_CASES
# (folders to run, default all).  Prints PASS/FAIL lines and
# "N passed, M failed".
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
FLOWC=${FLOWC:-build/flowc}
CC=${CC:-cc}
H=tests/hostile
INC=build/include

# detail TEXT: one line of at most 400 bytes for fail(), whose echo would
# otherwise interpret the backslashes in names.
detail() {
	printf '%s' "$1" | tr '\n' ' ' | head -c 400 | sed 's/\\/\\\\/g'
}

# c_checks NAME FLOW: the -S checks at -O0 and -O2.
c_checks() {
	for O in 0 2; do
		t="$1 C -O$O"
		if ! "$FLOWC" build -S -O$O "$2" -o "$TMP/a.c" 2>"$TMP/err" ||
		   ! "$FLOWC" build -S -O$O "$2" -o "$TMP/b.c" 2>>"$TMP/err"; then
			fail "$t" "flowc build -S failed: $(detail "$(cat "$TMP/err")")"
		elif ! cmp -s "$TMP/a.c" "$TMP/b.c"; then
			fail "$t" "two builds differ"
		elif ! out=$($CC -std=c99 -Wall -Wextra -Werror -I$INC -c "$TMP/a.c" -o "$TMP/a.o" 2>&1); then
			fail "$t" "$(detail "$out")"
		elif ! $CC -std=c99 -E -P -I$INC "$TMP/a.c" -o "$TMP/a.i" 2>"$TMP/err"; then
			fail "$t" "cc -E failed"
		elif ! out=$(python3 $H/cscan.py "$TMP/a.i"); then
			fail "$t" "injection: $(detail "$out")"
		elif nm "$TMP/a.o" 2>/dev/null | grep -q INJECTED; then
			fail "$t" "an INJECTED symbol in the object file"
		else
			pass "$t"
		fi
	done
}

# run_checks NAME FLOW DIR: interpreter and executables against expected.
run_checks() {
	name=$1 flow=$2 dir=$3
	"$FLOWC" run "$flow" -i "$dir/inputs.jsonl" >"$TMP/run.out" 2>"$TMP/err"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$name run" "exit $rc, expected 1: $(detail "$(cat "$TMP/err")")"
	elif ! out=$(python3 $H/expect.py "$dir/expected.jsonl" "$TMP/run.out"); then
		fail "$name run" "$(detail "$out")"
	else
		pass "$name run"
	fi
	for O in 0 2; do
		t="$name -O$O"
		if ! "$FLOWC" build -O$O "$flow" -o "$TMP/exe" 2>"$TMP/err"; then
			fail "$t" "flowc build failed: $(detail "$(cat "$TMP/err")")"
			continue
		fi
		"$TMP/exe" -i "$dir/inputs.jsonl" >"$TMP/exe.out" 2>"$TMP/err"
		rc=$?
		if [ $rc -ne 1 ]; then
			fail "$t" "exit $rc, expected 1: $(detail "$(cat "$TMP/err")")"
		elif ! out=$(python3 $H/expect.py "$dir/expected.jsonl" "$TMP/exe.out"); then
			fail "$t" "$(detail "$out")"
		elif ! cmp -s "$TMP/run.out" "$TMP/exe.out"; then
			fail "$t" "output differs from flowc run's bytes"
		else
			pass "$t"
		fi
	done
}

# hls_checks NAME FLOW DIR: the HLS backend on FLOW.
hls_checks() {
	t="$1 HLS"
	rm -rf "$TMP/hls"
	"$FLOWC" build "$2" --target=hls -o "$TMP/hls" >"$TMP/err" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -q ': error: ' "$TMP/err"; then
		echo "SKIP $t: $(detail "$(grep -m 1 ': error: ' "$TMP/err" | sed 's/.*: error: //')")"
		return
	elif [ $rc -ne 0 ]; then
		fail "$t" "flowc build --target=hls exit $rc: $(detail "$(cat "$TMP/err")")"
		return
	elif ! make -s -C "$TMP/hls" ${FLOWC_CFLAGS:+CFLAGS="$FLOWC_CFLAGS -Wno-unknown-pragmas"} \
	    >"$TMP/err" 2>&1 || [ ! -x "$TMP/hls/tb" ]; then
		fail "$t" "make -C DIR failed: $(detail "$(cat "$TMP/err")")"
		return
	fi
	for c in "$TMP"/hls/*.c; do
		if ! out=$($CC -std=c99 -Wall -Wextra -Werror -Wno-unknown-pragmas -I"$TMP/hls" -I$INC \
		    -c "$c" -o "$TMP/hls.o" 2>&1); then
			fail "$t" "${c##*/}: $(detail "$out")"
			return
		fi
		$CC -std=c99 -E -P -I"$TMP/hls" -I$INC "$c" -o "$TMP/hls.i" 2>/dev/null
		if ! out=$(python3 $H/cscan.py "$TMP/hls.i"); then
			fail "$t" "${c##*/}: injection: $(detail "$out")"
			return
		fi
	done
	"$FLOWC" run "$2" -i "$3/inputs.jsonl" >"$TMP/run.out" 2>/dev/null
	"$TMP/hls/tb" -i "$3/inputs.jsonl" >"$TMP/tb.out" 2>"$TMP/err"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$t" "test bench exit $rc, expected 1: $(detail "$(cat "$TMP/err")")"
	elif ! out=$(python3 $H/expect.py "$3/expected.jsonl" "$TMP/tb.out"); then
		fail "$t" "$(detail "$out")"
	elif ! cmp -s "$TMP/run.out" "$TMP/tb.out"; then
		fail "$t" "test bench output differs from flowc run's bytes"
	else
		pass "$t"
	fi
}

for dir in ${FLOWC_HOSTILE_CASES:-$H/*/}; do
	dir=${dir%/}
	flow=$(ls "$dir"/flow.yaml "$dir"/flow.json 2>/dev/null | head -n 1)
	[ -n "$flow" ] || continue
	name=${dir##*/}
	"$FLOWC" check "$flow" >"$TMP/diag" 2>&1
	rc=$?
	case $name,$rc in
	*,0)
		pass "$name check" ;;
	nul-*,1)
		if grep -q "^$flow:[0-9][0-9]*:[0-9][0-9]*: error: " "$TMP/diag"; then
			pass "$name check (rejected with a diagnostic)"
		else
			fail "$name check" "exit 1 without a positioned error: $(detail "$(cat "$TMP/diag")")"
		fi
		continue ;;
	*)
		fail "$name check" "exit $rc: $(detail "$(cat "$TMP/diag")")"
		continue ;;
	esac
	run_checks "$name" "$flow" "$dir"
	c_checks "$name" "$flow"
	if ! "$FLOWC" graph "$flow" -o "$TMP/g.dot" 2>"$TMP/err"; then
		fail "$name graph" "flowc graph failed: $(detail "$(cat "$TMP/err")")"
	elif ! out=$(python3 $H/cscan.py --dot "$TMP/g.dot"); then
		fail "$name graph" "$(detail "$out")"
	else
		pass "$name graph"
	fi
	hls_checks "$name" "$flow" "$dir"
done

# The manifest's own file name is hostile too (it reaches the banner
# comment, the diagnostics and the executable's --help).
if [ -z "${FLOWC_HOSTILE_CASES:-}" ]; then
	hd="$TMP/$(printf 'd"ir #x \\ %%s*')"
	hf="$hd/$(printf 'fi"le %%s%%n #x \\ \n#error INJECTED_file\n\303\251.yaml')"
	mkdir -p "$hd" && cp $H/names/flow.yaml "$hf"
	c_checks "hostile file name" "$hf"
	run_checks "hostile file name" "$hf" $H/names
fi

done_counting
