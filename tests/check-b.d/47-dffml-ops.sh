#!/bin/sh
# section: DFFML's operation library (issue 16): effectful ops on fixtures
#
# Each tests/dffml/cases/<name>/ holds flow.yaml, inputs.jsonl, the
# expected.jsonl DFFML produced (tests/dffml/README.md says how) and an
# optional setup.sh that makes the fixtures (files, directories, git
# repositories) in the current directory, and an optional check.sh that
# must then succeed there (files the operations wrote).  The flow runs interpreted and
# compiled at -O0 and -O2, each in a fresh directory made by setup.sh, so
# a SQLite file or a clone from one run cannot leak into the next; the
# contexts run in order, as DFFML ran them.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
root=$(pwd)
export FLOWC_EXE_CACHE="$TMP/exe"
for d in tests/dffml/cases/*/; do
	d=${d%/}
	name=${d##*/}
	[ -f "$d/flow.yaml" ] || continue
	for mode in run 0 2; do
		w="$TMP/dffml-$name-$mode"
		rm -rf "$w" && mkdir -p "$w"
		if [ -f "$d/setup.sh" ] && ! (cd "$w" && sh "$root/$d/setup.sh") >"$TMP/setup" 2>&1; then
			fail "$name ($mode): setup" "$(tail -n 5 "$TMP/setup")"
			continue
		fi
		if [ "$mode" = run ]; then
			cmd="$root/build/flowc run $root/$d/flow.yaml -i $root/$d/inputs.jsonl"
		else
			"$root/build/flowc" build -O"$mode" "$d/flow.yaml" -o "$w.exe" 2>"$TMP/err" ||
				{ fail "$name (-O$mode): build" "$(cat "$TMP/err")"; continue; }
			cmd="$w.exe -i $root/$d/inputs.jsonl"
		fi
		(cd "$w" && $cmd </dev/null >"$w.out" 2>"$w.err")
		if python3 "$SHARED/conformance/compare.py" "$d" "$w.out" \
		    >"$TMP/cmp" 2>&1; then
			if [ -f "$d/check.sh" ] && ! (cd "$w" && sh "$root/$d/check.sh") >"$TMP/chk" 2>&1; then
				fail "$name ($mode): check.sh" "$(tail -n 5 "$TMP/chk")"
			else
				pass "$name ($mode)"
			fi
		else
			fail "$name ($mode)" "$(head -n 8 "$TMP/cmp")"
		fi
	done
done

# A locked database fails its context, and the next one goes on: another
# process holds runs.db in an exclusive transaction until the first
# context's line is written (after SQLite's 5 s busy timeout, as
# DFFML's), then lets go; the second context inserts, the third reads.
d=tests/dffml/cases/tutorial_commands_sqlite
cat >"$TMP/locked.jsonl" <<'EOF'
{"context": "while_locked", "inputs": [{"definition": "subprocess.cmd", "value": ["echo", "first"]}]}
{"context": "after", "inputs": [{"definition": "subprocess.cmd", "value": ["echo", "second"]}]}
{"context": "rows", "inputs": [{"definition": "l_table", "value": "runs"}, {"definition": "l_cols", "value": ["output"]}, {"definition": "l_conds", "value": []}]}
EOF
build/flowc build -O2 "$d/flow.yaml" -o "$TMP/tut.exe" 2>/dev/null
for mode in run 2; do
	w="$TMP/locked-$mode"
	rm -rf "$w" && mkdir -p "$w"
	if [ $mode = run ]; then
		cmd="$root/build/flowc run $root/$d/flow.yaml"
	else
		cmd="$TMP/tut.exe"
	fi
	head -n 1 "$d/inputs.jsonl" >"$w/setup.jsonl"       # creates the table
	(cd "$w" && $cmd -i setup.jsonl >/dev/null 2>&1)
	(cd "$w" && exec python3 -c '
import os, sqlite3, time
db = sqlite3.connect("runs.db", isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
open("locked", "w").close()
end = time.time() + 60
while time.time() < end:
    if os.path.exists("out") and open("out").read().count("\n") >= 1:
        break
    time.sleep(0.05)
db.execute("ROLLBACK")
') &
	holder=$!
	i=0
	while [ ! -f "$w/locked" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	(cd "$w" && $cmd -i "$TMP/locked.jsonl" >out 2>/dev/null)
	wait $holder
	if sed -n 1p "$w/out" | grep -q '"context": "while_locked", "error": {"operation": "insert", "message": "[^"]*locked' &&
	    sed -n 2p "$w/out" | grep -q '"context": "after", "results": {"subprocess.returncode": 0}' &&
	    sed -n 3p "$w/out" | grep -q '"query_lookups": \[{"output": "second\\n"}\]'; then
		pass "tutorial flow ($mode): a locked database fails its context, the next goes on"
	else
		fail "tutorial flow ($mode): locked database" "$(cat "$w/out")"
	fi
done

# No git on PATH: each context gets an error line saying so, none is lost.
d=tests/dffml/cases/git_failing_contexts
w="$TMP/nogit"
rm -rf "$w" && mkdir -p "$w"
(cd "$w" && sh "$root/$d/setup.sh") >/dev/null 2>&1
(cd "$w" && env PATH=/nonexistent "$root/build/flowc" run "$root/$d/flow.yaml" -i "$root/$d/inputs.jsonl" \
    >out 2>/dev/null)
st=$?
n=$(wc -l <"$d/inputs.jsonl")
if [ $st = 1 ] && [ "$(grep -c "\"error\": .*cannot run 'git'" "$w/out")" = "$n" ]; then
	pass "no git on PATH: $n contexts, $n error lines, status 1"
else
	fail "no git on PATH" "status $st; $(head -n 3 "$w/out")"
fi

# flowc check --needs: what the sandbox will allow, per capability.
needs() { build/flowc check --needs "$1" 2>/dev/null | sed 's/^[^:]*: //'; }
case $(needs examples/wordcount/flow.yaml) in
"needs nothing beyond its input, its output and memory") pass "check --needs: wordcount needs nothing" ;;
*) fail "check --needs: wordcount" "$(needs examples/wordcount/flow.yaml)" ;;
esac
n=$(needs tests/dffml/cases/sqlite_people/flow.yaml)
case $n in
"needs files: create (db_query_create_table), insert (db_query_insert), lookup"*) pass "check --needs: SQLite needs files, nothing else" ;;
*) fail "check --needs: sqlite_people" "$n" ;;
esac
n=$(needs tests/dffml/cases/git_operations/flow.yaml | cut -d: -f1 | tr '\n' ' ')
if [ "$n" = "needs files needs processes needs network " ]; then
	pass "check --needs: git needs files, processes and network"
else
	fail "check --needs: git_operations" "$n"
fi

# Libraries only where used: an executable links libsqlite3, zlib,
# libbz2, liblzma or libarchive only when its flow calls an operation
# that needs it (the catalogue's weak references, flowc(1)).
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' '; }
build/flowc build examples/wordcount/flow.yaml -o "$TMP/wc" 2>/dev/null
case $(needed "$TMP/wc") in
*sqlite*|*archive*|*libz.*|*bz2*|*lzma*) fail "wordcount links a library it does not use" "$(needed "$TMP/wc")" ;;
*) pass "wordcount links no operation library: $(needed "$TMP/wc")" ;;
esac
build/flowc build tests/dffml/cases/sqlite_people/flow.yaml -o "$TMP/sq" 2>/dev/null
n=$(needed "$TMP/sq")
case $n in
*libsqlite3*archive*|*archive*libsqlite3*|*bz2*) fail "sqlite_people links more than SQLite" "$n" ;;
*libsqlite3*) pass "sqlite_people links SQLite and no other operation library" ;;
*) fail "sqlite_people does not link SQLite" "$n" ;;
esac
# --static: SQLite links in; libarchive is refused with the reason.  A
# sanitizer build (make check SANITIZE=1) cannot link statically: skipped.
if nm "$TMP/wc" 2>/dev/null | grep -q __asan_init; then
	pass "sqlite_people --static (skipped: sanitizer build)"
elif [ -f /usr/lib/x86_64-linux-gnu/libsqlite3.a ] || [ -f /usr/lib/libsqlite3.a ]; then
	w=$TMP/static-sq
	rm -rf "$w" && mkdir -p "$w"
	if build/flowc build --static tests/dffml/cases/sqlite_people/flow.yaml -o "$w.exe" 2>"$TMP/err" &&
		{ (cd "$w" && env -i "$w.exe" -i "$root/tests/dffml/cases/sqlite_people/inputs.jsonl" >"$w.out")
		  [ $? -le 1 ]; } &&  # 1: some contexts fail, as they should
		python3 "$SHARED/conformance/compare.py" tests/dffml/cases/sqlite_people "$w.out" >/dev/null; then
		pass "sqlite_people --static runs with an empty environment"
	else
		fail "sqlite_people --static" "$(tail -n 3 "$TMP/err")"
	fi
fi
if ! build/flowc build --static tests/dffml/cases/archive_round_trip/flow.yaml -o "$TMP/ar" 2>"$TMP/err" &&
	grep -q "needs libarchive" "$TMP/err"; then
	pass "--static with an archive operation: refused, the reason given"
else
	fail "--static with an archive operation" "$(cat "$TMP/err")"
fi
done_counting
