#!/bin/sh
# section: diagnostics in colour on a terminal, plain when piped or asked
#
# --diagnostics-color=auto (the default) colours diagnostics only when
# standard error is a terminal (script(1) gives one), TERM is not dumb
# and NO_COLOR is unset or empty; always and never override that.  The
# coloured text is the plain text with GCC's default SGR codes around the
# location, the kind and the caret, nothing else.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

F=build/flowc
G=tests/golden/caret_note
ESC=$(printf '\033')
strip() { sed "s/$ESC\[[0-9;]*m$ESC\[K//g; s/$ESC\[m$ESC\[K//g"; }
tty_run() {	# the command's terminal output, without script's carriage returns
	script -qec "$*" /dev/null </dev/null | tr -d '\r'
}
colored() { grep -q "$ESC\[01;31m$ESC\[Kerror:$ESC\[m$ESC\[K" "$1"; }

$F check --diagnostics-color=always $G.yaml 2>"$TMP/always"
if strip <"$TMP/always" | cmp -s - $G.err && colored "$TMP/always" &&
	grep -q "^$ESC\[01m$ESC\[Ktests/golden/caret_note.yaml:38:9:$ESC\[m$ESC\[K " "$TMP/always" &&
	grep -q "^ *$ESC\[01;32m$ESC\[K^$ESC\[m$ESC\[K$" "$TMP/always" &&
	grep -q "$ESC\[01;36m$ESC\[Knote:" "$TMP/always"; then
	pass "--diagnostics-color=always: GCC's colours around the plain text"
else
	fail "--diagnostics-color=always" "$(cat -v "$TMP/always" | head -n 6)"
fi

for how in "piped" "never on a terminal" "NO_COLOR on a terminal" "TERM=dumb on a terminal" \
	"auto on a terminal" "NO_COLOR= (empty) on a terminal" "always with NO_COLOR"; do
	case $how in
	piped) $F check $G.yaml 2>"$TMP/out"; want=plain ;;
	never*) tty_run "$F check --diagnostics-color=never $G.yaml" >"$TMP/out"; want=plain ;;
	NO_COLOR=*) tty_run "TERM=xterm NO_COLOR= $F check $G.yaml" >"$TMP/out"; want=color ;;
	NO_COLOR*) tty_run "NO_COLOR=1 $F check $G.yaml" >"$TMP/out"; want=plain ;;
	TERM*) tty_run "TERM=dumb $F check $G.yaml" >"$TMP/out"; want=plain ;;
	auto*) tty_run "TERM=xterm $F check --diagnostics-color=auto $G.yaml" >"$TMP/out"; want=color ;;
	always*) NO_COLOR=1 $F check --diagnostics-color=always $G.yaml 2>"$TMP/out"; want=color ;;
	esac
	got=plain
	colored "$TMP/out" && got=color
	if [ $got = $want ] && strip <"$TMP/out" | cmp -s - $G.err; then
		pass "diagnostics $how: $want"
	else
		fail "diagnostics $how: want $want, got $got" "$(cat -v "$TMP/out" | head -n 4)"
	fi
done

if $F check --diagnostics-color=sometimes $G.yaml 2>"$TMP/err"; [ $? -eq 2 ] &&
	grep -q "diagnostics-color is auto, always or never" "$TMP/err"; then
	pass "--diagnostics-color=sometimes: a usage error"
else
	fail "--diagnostics-color=sometimes" "$(cat "$TMP/err")"
fi
$F check --diagnostics-color=always --diagnostics-format=json $G.yaml 2>"$TMP/json"
if ! grep -q "$ESC" "$TMP/json" && python3 -m json.tool "$TMP/json" >/dev/null; then
	pass "JSON diagnostics are never coloured"
else
	fail "JSON diagnostics coloured" "$(cat -v "$TMP/json" | head -n 3)"
fi
done_counting
