#!/bin/sh
# valgrind.sh: every conformance case (cases and bench) under valgrind,
# through the interpreter and compiled -O0 and -O2 executables.
#
#   sh tests/valgrind.sh [CASE...]          (not part of make check: slow)
#
# Each run is `valgrind --error-exitcode=99 --leak-check=full`; a run
# fails on any memory error, on memory definitely or indirectly lost, and
# when memory grows with the input: the case's inputs are run once as they
# are and once repeated REPEAT times (default 20); "in use at exit" must be
# the same, and the peak heap (valgrind --tool=massif) may grow by at most
# a quarter or 128 KiB, whichever is more (memory that piles up between
# contexts but is freed at exit shows there).  Prints PASS/FAIL per case
# and runner and "N passed, M failed"; the log of each failure is kept
# in build/valgrind/.  Needs build/flowc (not a
# sanitizer build: ASan and valgrind do not mix).
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
FLOWC=${FLOWC:-build/flowc}
REPEAT=${REPEAT:-20}
VG="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"

command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 2; }
if nm "$FLOWC" 2>/dev/null | grep -q __asan_init; then
	echo "valgrind.sh: $FLOWC is a sanitizer build; make clean all first"
	exit 2
fi

# in_use LOG: "in use at exit" in bytes.
in_use() {
	sed -n 's/.*in use at exit: \([0-9,]*\) bytes.*/\1/p' "$1" | tr -d , | tail -n 1
}

# peak INPUTS CMD...: the peak heap in bytes (massif, useful + extra).
peak() {
	pin=$1
	shift
	valgrind --tool=massif --massif-out-file="$TMP/ms.out" "$@" -i "$pin" >/dev/null 2>&1
	awk -F= '/^mem_heap_B=/ { h = $2 } /^mem_heap_extra_B=/ { if (h + $2 > m) m = h + $2 }
	    END { print m + 0 }' "$TMP/ms.out"
}

# vg NAME INPUTS CMD...: one valgrind run; sets $use; returns 1 on failure.
vg() {
	vname=$1 vin=$2
	shift 2
	$VG --log-file="$TMP/vg.log" "$@" -i "$vin" >"$TMP/out" 2>/dev/null
	rc=$?
	use=$(in_use "$TMP/vg.log")
	if [ $rc -eq 99 ] || [ $rc -gt 1 ]; then
		fail "$vname" "exit $rc: $(grep -E 'Invalid|uninitialised|definitely|indirectly|Process terminating' "$TMP/vg.log" | head -n 3 | tr '\n' ' ')"
		mkdir -p build/valgrind
		cp "$TMP/vg.log" "build/valgrind/$(echo "$vname" | tr ' /:' '___').log"
		return 1
	fi
	return 0
}

# check NAME INPUTS BIG CMD...: a run on INPUTS and on BIG; in use equal.
check() {
	cname=$1 small=$2 big=$3
	shift 3
	vg "$cname" "$small" "$@" || return
	u1=$use
	vg "$cname (x$REPEAT)" "$big" "$@" || return
	if [ "$u1" != "$use" ]; then
		fail "$cname" "in use at exit grows with the input: $u1 bytes, then $use with ${REPEAT}x the contexts"
		return
	fi
	p1=$(peak "$small" "$@")
	p2=$(peak "$big" "$@")
	slack=$((p1 / 4))
	[ $slack -lt 131072 ] && slack=131072
	if [ "$p2" -gt $((p1 + slack)) ]; then
		fail "$cname" "peak heap grows with the input: $p1 bytes, then $p2 with ${REPEAT}x the contexts"
	else
		pass "$cname (peak heap $p1, then $p2 bytes)"
	fi
}

cases=$*
[ -n "$cases" ] || cases=$(ls -d "$SHARED"/conformance/cases/*/ "$SHARED"/conformance/bench/*/ | sed 's|/$||')
for c in $cases; do
	[ -d "$c" ] || c=$SHARED/conformance/cases/$c
	[ -d "$c" ] || c=$SHARED/conformance/bench/${c##*/}
	[ -f "$c/flow.yaml" ] || continue
	name=${c##*/}
	i=0
	: >"$TMP/big.jsonl"
	while [ $i -lt "$REPEAT" ]; do
		cat "$c/inputs.jsonl" >>"$TMP/big.jsonl"
		i=$((i + 1))
	done
	check "$name: flowc run" "$c/inputs.jsonl" "$TMP/big.jsonl" "$FLOWC" run "$c/flow.yaml"
	for O in 0 2; do
		# --sandbox=off: valgrind cannot run a program under seccomp.
		if ! "$FLOWC" build -O$O --sandbox=off "$c/flow.yaml" -o "$TMP/exe" 2>/dev/null; then
			fail "$name: -O$O" "flowc build failed"
			continue
		fi
		check "$name: -O$O" "$c/inputs.jsonl" "$TMP/big.jsonl" "$TMP/exe"
	done
done
done_counting
