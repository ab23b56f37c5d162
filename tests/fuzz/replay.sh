#!/bin/sh
# fuzz/replay.sh: replay the fuzzers' regression inputs (regress/TARGET/*)
# through build/flowc and compiled executables, so that `make check`
# (SANITIZE=1 included) keeps every crash the fuzzers ever found fixed
# without needing clang.
#
#   manifest_yaml, manifest_json: the file as FLOW.yaml / FLOW.json:
#       flowc check exits 0 or 1; if 0, flowc graph and build -S -O0/-O2
#       succeed and flowc run over one empty context gives valid output;
#   stream: the first byte picks a flow of stream-flows.txt (modulo their
#       number), the rest is the input: flowc run and the flow's -O2
#       executable write the same bytes, valid per validate.py;
#   opsig: the file as the --ops C file of examples/user-op/flow.yaml:
#       flowc build -S at -O0 and -O2 exits 0 or 1, no sanitizer report.
# Prints PASS/FAIL lines and "N passed, M failed".
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
FLOWC=${FLOWC:-build/flowc}
F=tests/fuzz
# Under SANITIZE=1 a report must not pass for flowc's ordinary exit 1.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=99"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=99:print_stacktrace=1"
export ASAN_OPTIONS UBSAN_OPTIONS

detail() {
	printf '%s' "$1" | tr '\n' ' ' | head -c 400 | sed 's/\\/\\\\/g'
}

# ok_status NAME RC: fail unless RC is 0 or 1 (2+ is usage, 3 a flowc
# bug, 128+ a signal).
ok_status() {
	if grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' -e 'ERROR: LeakSanitizer' "$TMP/err"; then
		fail "$1" "sanitizer: $(detail "$(grep -m 1 -e ERROR -e 'runtime error' "$TMP/err")")"
		return 1
	fi
	[ "$2" -le 1 ] && return 0
	fail "$1" "exit $2: $(detail "$(tail -c 300 "$TMP/err")")"
	return 1
}

manifest() {
	name=$1 flow=$2
	"$FLOWC" check "$flow" >/dev/null 2>"$TMP/err"
	rc=$?
	ok_status "$name: check" $rc || return
	if [ $rc -eq 1 ]; then
		pass "$name"
		return
	fi
	for cmd in "graph" "build -S -O0 -o $TMP/r.c" "build -S -O2 -o $TMP/r.c"; do
		# shellcheck disable=SC2086
		if ! "$FLOWC" $cmd "$flow" >/dev/null 2>"$TMP/err"; then
			fail "$name: $cmd" "$(detail "$(tail -c 300 "$TMP/err")")"
			return
		fi
	done
	echo '{"context": "replay"}' >"$TMP/one.jsonl"
	"$FLOWC" run "$flow" -i "$TMP/one.jsonl" --max-firings 2000 --max-permutations 2000 \
	    >"$TMP/out" 2>"$TMP/err"
	rc=$?
	ok_status "$name: run" $rc || return
	if ! out=$(python3 $F/validate.py "$TMP/out" $rc); then
		fail "$name: run" "$(detail "$out")"
	else
		pass "$name"
	fi
}

stream() {
	name=$1 input=$2
	nflows=$(grep -vc '^#' $F/stream-flows.txt)
	k=$(od -An -tu1 -N1 "$input" | tr -d ' ')
	k=$((k % nflows))
	flow=$(grep -v '^#' $F/stream-flows.txt | sed -n "$((k + 1))p" | sed "s|@SHARED@|$SHARED|")
	tail -c +2 "$input" >"$TMP/in.jsonl"
	"$FLOWC" run "$flow" -i "$TMP/in.jsonl" --max-firings 5000 --max-permutations 5000 \
	    >"$TMP/out" 2>"$TMP/err"
	rc=$?
	ok_status "$name: flowc run" $rc || return
	if ! out=$(python3 $F/validate.py "$TMP/out" $rc); then
		fail "$name: flowc run" "$(detail "$out")"
		return
	fi
	exe=$TMP/flow$k
	if [ ! -x "$exe" ] && ! "$FLOWC" build -O2 "$flow" -o "$exe" 2>"$TMP/err"; then
		fail "$name: -O2" "flowc build failed: $(detail "$(cat "$TMP/err")")"
		return
	fi
	"$exe" -i "$TMP/in.jsonl" --max-firings 5000 --max-permutations 5000 >"$TMP/out2" 2>"$TMP/err"
	rc2=$?
	if [ $rc2 -ne $rc ] || ! cmp -s "$TMP/out" "$TMP/out2"; then
		fail "$name: -O2" "differs from flowc run (exit $rc2 vs $rc)"
	else
		pass "$name"
	fi
}

opsig() {
	name=$1 file=$2
	for o in -O0 -O2; do
		"$FLOWC" build examples/user-op/flow.yaml --ops "$file" -S $o -o "$TMP/ops.c" \
		    >/dev/null 2>"$TMP/err"
		ok_status "$name: build $o" $? || return
	done
	pass "$name"
}

for t in manifest_yaml manifest_json stream opsig; do
	for f in $F/regress/$t/*; do
		[ -f "$f" ] || continue
		case $t in
		manifest_yaml) cp "$f" "$TMP/replay.yaml"; manifest "$t/${f##*/}" "$TMP/replay.yaml" ;;
		manifest_json) cp "$f" "$TMP/replay.json"; manifest "$t/${f##*/}" "$TMP/replay.json" ;;
		stream) stream "$t/${f##*/}" "$f" ;;
		opsig) cp "$f" "$TMP/replay.c"; opsig "$t/${f##*/}" "$TMP/replay.c" ;;
		esac
	done
done
done_counting
