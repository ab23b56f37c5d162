#!/bin/sh
# golden.sh: cproc-style golden tests.  tests/golden/NAME.yaml (or .json)
# is checked with `flowc check`; its standard error and exit status must
# equal NAME.err and NAME.status (default 1).  Paths in NAME.err are
# relative to the repository root.  FLOWC_REGEN=1 rewrites the expected
# files (review the diff before committing).
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
for f in tests/golden/*.yaml tests/golden/*.json; do
	[ -f "$f" ] || continue
	base=${f%.*}
	name=${base##*/}
	args=""
	[ -f "$base.args" ] && args=$(cat "$base.args")
	# shellcheck disable=SC2086
	build/flowc check $args "$f" 2>"$TMP/err"
	rc=$?
	want_rc=1
	[ -f "$base.status" ] && want_rc=$(cat "$base.status")
	if [ "${FLOWC_REGEN:-0}" = 1 ]; then
		cp "$TMP/err" "$base.err"
		[ "$rc" = 1 ] && rm -f "$base.status" || echo "$rc" >"$base.status"
	fi
	if [ "$rc" != "$want_rc" ]; then
		fail "$name" "exit status $rc, expected $want_rc"
	elif ! cmp -s "$TMP/err" "$base.err"; then
		fail "$name" "$(diff "$base.err" "$TMP/err" | head -20)"
	else
		pass "$name"
	fi
done
done_counting
