#!/bin/sh
# realworld.sh: DFFML's own flows load; `flowc check` reports only their
# missing implementations (and the one overlay, merged onto its base,
# too); `flowc graph` draws each in both formats.
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
RW=$SHARED/conformance/realworld

check_only_impl() {	# name, flowc args...
	name=$1
	shift
	out=$(build/flowc check "$@" 2>&1)
	rc=$?
	errs=$(printf '%s\n' "$out" | grep ': error: ' | grep -v 'has no implementation')
	if [ "$rc" -le 1 ] && [ -z "$errs" ] && ! printf '%s\n' "$out" | grep -q ': warning: .*unknown'; then
		pass "check $name"
	else
		fail "check $name" "$errs"
	fi
}

for f in "$RW"/*.yaml "$RW"/*.json; do
	base=${f##*/}
	case $base in
	shouldi-shouldi-override-shouldi.yaml)
		check_only_impl "$base (overlay)" "$RW/shouldi-shouldi-shouldi.json" --overlay "$f"
		for fmt in dot mermaid; do
			if build/flowc graph --format=$fmt "$RW/shouldi-shouldi-shouldi.json" --overlay "$f" >"$TMP/g" 2>"$TMP/e" && [ -s "$TMP/g" ]; then
				pass "graph $fmt $base (overlay)"
			else
				fail "graph $fmt $base (overlay)" "$(cat "$TMP/e")"
			fi
		done
		continue;;
	esac
	check_only_impl "$base" "$f"
	for fmt in dot mermaid; do
		if build/flowc graph --format=$fmt "$f" >"$TMP/g" 2>"$TMP/e" && [ -s "$TMP/g" ]; then
			pass "graph $fmt $base"
		else
			fail "graph $fmt $base" "$(cat "$TMP/e")"
		fi
	done
done
done_counting
