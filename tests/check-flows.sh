#!/bin/sh
# check-flows.sh: every conformance and bench flow passes `flowc check`
# with no diagnostics at all (or, where a case has a checker-warning
# file or a line in tests/checker-warnings, exactly with the warning it
# names).
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
for f in "$SHARED"/conformance/cases/*/flow.yaml "$SHARED"/conformance/bench/*/flow.yaml \
	tests/cases/*/flow.yaml examples/*/flow.yaml; do
	[ -f "$f" ] || continue
	name=${f%/flow.yaml}
	name=${name##*/}
	ops=""
	[ -f "${f%/flow.yaml}/ops.c" ] && ops="--ops ${f%/flow.yaml}/ops.c"
	want=""
	[ -f "${f%/flow.yaml}/checker-warning" ] && want=$(cat "${f%/flow.yaml}/checker-warning")
	# the shared corpus cannot hold flowc's files: its expected warnings
	# are in tests/checker-warnings (name, a tab, the warning)
	[ -z "$want" ] && want=$(awk -F '\t' -v n="$name" '$1 == n { print $2 }' tests/checker-warnings)
	# shellcheck disable=SC2086
	out=$(build/flowc check $ops "$f" 2>&1)
	rc=$?
	if [ $rc = 0 ] && { [ -z "$want$out" ] || { [ -n "$want" ] && printf '%s' "$out" | grep -qF -- "$want"; }; }; then
		pass "$name"
	else
		fail "$name" "$out"
	fi
done
done_counting
