#!/bin/sh
# section: a compiled program's --help lists the flow's inputs and outputs
#
# The flow's part of `EXE --help` (after the generic usage) must be
# exactly tests/exe-help/NAME.expected for each flow listed below: the
# definitions a context gives with their types, the output operations
# with what each gives.  A flow with manifest names that are not C (the
# stubs test's) must build and print them as they are.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
F=build/flowc
mkdir -p "$TMP/help"

check_help() {	# name flow [flowc build args...]
	name=$1 flow=$2
	shift 2
	if ! $F build "$flow" "$@" -o "$TMP/help/$name" 2>"$TMP/help/err"; then
		fail "--help $name" "build failed: $(head -3 "$TMP/help/err")"
		return
	fi
	"$TMP/help/$name" --help | sed -n '/^Inputs: /,$p' >"$TMP/help/$name.out"
	if cmp -s "$TMP/help/$name.out" "tests/exe-help/$name.expected"; then
		pass "--help $name"
	else
		fail "--help $name" "$(diff "tests/exe-help/$name.expected" "$TMP/help/$name.out" | head -10)"
	fi
}

check_help add man/examples/add/flow.yaml
check_help output_shapes tests/cases/output_shapes/flow.yaml
check_help get_multi_rename_quirks tests/cases/get_multi_rename_quirks/flow.yaml
check_help wordcount examples/wordcount/flow.yaml
$F stubs tests/stubs/hostile.yaml -o "$TMP/help/stubs.c" 2>/dev/null
check_help hostile tests/stubs/hostile.yaml --ops "$TMP/help/stubs.c"
# Not on a usage error: the usage only.
"$TMP/help/add" --frobnicate 2>"$TMP/help/err" >/dev/null
grep -q '^Inputs:' "$TMP/help/err" && fail "usage error: no inputs listed" || pass "usage error: no inputs listed"
done_counting
