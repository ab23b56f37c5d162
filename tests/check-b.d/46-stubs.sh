#!/bin/sh
# section: flowc stubs: C stubs for the operations a flow uses that the catalogue lacks
#
# Each real-world DFFML flow (tests/realworld.sh) lacks operations: its
# stubs must compile warning-free, `flowc build --ops` must accept them,
# and the executable must answer every context with the "not
# implemented" error of one of them (nothing lost).  Names that are not C
# (tests/stubs/hostile.yaml) stay out of the code; a flow that lacks
# nothing gets a file without stubs and a note; the output is the same
# twice.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
F=build/flowc
RW=$SHARED/conformance/realworld

# stub_run NAME FLOW [--overlay FILE]: stubs, build, run three contexts.
stub_run() {
	name=$1
	shift
	d=$TMP/stubs/$name
	mkdir -p "$d"
	if ! $F stubs "$@" -o "$d/stubs.c" 2>"$d/err"; then
		fail "stubs $name" "$(head -3 "$d/err")"
		return
	fi
	n=$(grep -c '^flowop_' "$d/stubs.c")
	if ! out=$(cc -std=c99 -Wall -Wextra -Werror -Ibuild/include -c "$d/stubs.c" -o "$d/stubs.o" 2>&1); then
		fail "stubs $name compile" "$out"
		return
	fi
	if ! $F build "$@" --ops "$d/stubs.c" -o "$d/exe" 2>"$d/err"; then
		fail "stubs $name build --ops" "$(head -5 "$d/err")"
		return
	fi
	$F graph "$@" 2>/dev/null | python3 tests/stubs/inputs.py $(printf '%s\n' "$@" | grep -v '^--overlay$') >"$d/in.jsonl"
	"$d/exe" -i "$d/in.jsonl" >"$d/out" 2>"$d/err"
	rc=$?
	got=$(grep -c '"error": {"operation": "[^"]*", "message": "not implemented: ' "$d/out")
	if [ "$rc" = 1 ] && [ "$got" = 3 ] && [ "$(wc -l <"$d/out")" = 3 ]; then
		pass "stubs $name: $n stubs, built, 3 contexts not implemented"
	else
		fail "stubs $name" "exit $rc, $got of 3 not implemented: $(head -3 "$d/out") $(head -3 "$d/err")"
	fi
}

for f in "$RW"/*.yaml "$RW"/*.json; do
	base=${f##*/}
	case $base in
	shouldi-shouldi-override-shouldi.yaml)
		stub_run "$base" "$RW/shouldi-shouldi-shouldi.json" --overlay "$f";;
	*)
		if $F check "$f" 2>&1 | grep -q 'has no implementation'; then
			stub_run "$base" "$f"
		fi;;
	esac
done

# Hostile names: mangled in the code, defused in comments and literals;
# the message names the operation as written.
stub_run hostile tests/stubs/hostile.yaml
# Outside comments, the #include and the literals: identifiers only.
code=$(grep -v '^ \*\|^/\*\|^#include "flowrt.h"$\|^	return flow_fail(ctx, "%s", ' "$TMP/stubs/hostile/stubs.c")
if printf '%s\n' "$code" | grep -q '[^A-Za-z0-9_ (){},;*	]' || printf '%s\n' "$code" | grep -qw 'main'; then
	fail "stubs hostile: no manifest name unmangled in the code"
else
	pass "stubs hostile: no manifest name unmangled in the code"
fi
grep -q '"message": "not implemented: tick?"' "$TMP/stubs/hostile/out" &&
	pass "stubs hostile: the message names the operation" ||
	fail "stubs hostile: the message names the operation" "$(head -2 "$TMP/stubs/hostile/out")"

# The same file twice, on standard output without -o.
$F stubs tests/stubs/hostile.yaml >"$TMP/stubs/again.c" 2>/dev/null
cmp -s "$TMP/stubs/again.c" "$TMP/stubs/hostile/stubs.c" &&
	pass "stubs: deterministic, standard output by default" ||
	fail "stubs: deterministic, standard output by default"

# Nothing missing: a note on stderr, exit 0, a file without stubs.
$F stubs man/examples/add/flow.yaml -o "$TMP/stubs/none.c" 2>"$TMP/stubs/none.err"
rc=$?
if [ $rc = 0 ] && grep -q 'no stubs written' "$TMP/stubs/none.err" &&
    ! grep -q flowop_ "$TMP/stubs/none.c" && cc -std=c99 -Wall -Wextra -Werror -Ibuild/include \
    -c "$TMP/stubs/none.c" -o "$TMP/stubs/none.o" 2>/dev/null; then
	pass "stubs: nothing missing"
else
	fail "stubs: nothing missing" "exit $rc: $(cat "$TMP/stubs/none.err")"
fi

# A flow with errors: diagnostics, exit 1, no file.
printf 'definitions: {a: {name: a, primitive: int}}\noperations: {op: {name: x, inputs: {v: b}}}\n' >"$TMP/stubs/bad.yaml"
$F stubs "$TMP/stubs/bad.yaml" -o "$TMP/stubs/bad.c" 2>"$TMP/stubs/bad.err"
rc=$?
if [ $rc = 1 ] && grep -q "bad.yaml:2:.*error" "$TMP/stubs/bad.err" && [ ! -e "$TMP/stubs/bad.c" ]; then
	pass "stubs: a flow with errors"
else
	fail "stubs: a flow with errors" "exit $rc: $(cat "$TMP/stubs/bad.err")"
fi
done_counting
