#!/bin/sh
# section: options: what each command accepts, its --help and flowc(1) agree; no fixed shared path
#
# For every command, the options it accepts are found by asking flowc
# itself: each option named anywhere in the helps or in flowc(1)'s
# SYNOPSIS is given to the command, and it is accepted unless flowc
# answers "CMD does not take OPT" or "unknown option".  That set must be
# exactly the options in `flowc CMD --help` and in the command's lines
# of the SYNOPSIS (with the common options).  Then the usage errors
# issue 14 found: each exits 2 with a message and the command's usage.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

run_counted python3 - <<'PYEOF'
import re, subprocess

F = "build/flowc"
CMDS = ["check", "run", "build", "bench", "graph", "stubs", "schema"]
NOT_OPTS = {"--help", "-h", "--version"}
passed = failed = 0


def opts(text):
    return set(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", text)) - NOT_OPTS


def synopsis():
    """{command: options} from flowc(1)'s SYNOPSIS, common options added."""
    page = open("man/flowc.1").read()
    syn = page.split(".Sh SYNOPSIS", 1)[1].split(".Sh ", 1)[0]
    common = page.split(".Ss Options for every command", 1)[1].split(".Sh ", 1)[0]
    common = set(re.findall(r"^\.It Fl (-?[\w-]+)", common, re.M))
    common = {"-" + c for c in common} - NOT_OPTS
    out = {}
    for part in syn.split("\n.Nm\n"):
        m = re.match(r"\.Cm (\w+)", part.strip())
        if m:
            found = {"-" + f for f in re.findall(r"Fl (-?[\w-]+)", part)}
            out.setdefault(m.group(1), set()).update(found | common)
    return out


def helptext(cmd):
    """The usage lines of `flowc CMD --help` (the prose after them may
    mention other commands' options)."""
    out = subprocess.run([F, cmd, "--help"], capture_output=True, text=True).stdout
    lines = out.split("\n")
    n = 1
    while n < len(lines) and lines[n].startswith(" "):
        n += 1
    return "\n".join(lines[:n])


man = synopsis()
helps = {c: helptext(c) for c in CMDS}
candidates = set().union(*[opts(h) for h in helps.values()], *man.values())
for cmd in CMDS:
    accepted = set()
    for o in sorted(candidates):
        p = subprocess.run([F, cmd, o, "1", "/nonexistent/flow.yaml"], capture_output=True, text=True)
        if "does not take " + o not in p.stderr and "unknown option" not in p.stderr:
            accepted.add(o)
    for what, doc in (("--help", opts(helps[cmd])), ("flowc(1) SYNOPSIS", man.get(cmd, set()))):
        if accepted == doc:
            print("PASS %s: accepted options match %s" % (cmd, what))
            passed += 1
        else:
            print("FAIL %s: accepted but not in %s: %s; in %s but refused: %s" % (
                cmd, what, sorted(accepted - doc) or "-", what, sorted(doc - accepted) or "-"))
            failed += 1
print("%d passed, %d failed" % (passed, failed))
PYEOF
PASSES=$((PASSES + TOTAL_PASS)) FAILS=$((FAILS + TOTAL_FAIL))    # done_counting's totals

# usage_error NAME EXPECTED-MESSAGE CMD...: exit 2, the message, the
# command's own usage (not the list of commands).
usage_error() {
	name=$1 want=$2
	shift 2
	"$@" >"$TMP/o" 2>"$TMP/e"
	rc=$?
	if [ $rc -ne 2 ]; then
		fail "$name" "exit $rc, not 2"
	elif ! grep -qF -- "$want" "$TMP/e"; then
		fail "$name" "no '$want' in: $(cat "$TMP/e")"
	elif [ "$name" != "unknown command" ] && grep -q '^commands:' "$TMP/e"; then
		fail "$name" "printed the top-level usage"
	else
		pass "$name"
	fi
}
FLOW=man/examples/add/flow.yaml
F=build/flowc
mkdir -p "$TMP/opt"
usage_error "run -o refused" "run does not take -o" $F run $FLOW -o "$TMP/opt/out"
[ -e "$TMP/opt/out" ] && fail "run -o wrote nothing" || pass "run -o wrote nothing"
usage_error "check -S refused" "check does not take -S" $F check -S $FLOW
usage_error "graph --runs refused" "graph does not take --runs" $F graph --runs 3 $FLOW
usage_error "run -O2 refused" "run does not take -O2" $F run -O2 $FLOW
usage_error "build -S --target=hls refused" "do not go together" $F build --target=hls -S $FLOW -o "$TMP/opt/h"
usage_error "build --hls-vendor needs hls" "--hls-vendor needs --target=hls" $F build --hls-vendor=vitis $FLOW -o "$TMP/opt/x"
usage_error "build -S --target=verilog refused" "do not go together" $F build --target=verilog -S $FLOW -o "$TMP/opt/v"
usage_error "build --static --target=verilog refused" "not with --target=verilog" $F build --target=verilog --static $FLOW -o "$TMP/opt/v"
usage_error "build --max-values needs hls" "--max-values needs --target=hls" $F build --target=verilog --max-values 4 $FLOW -o "$TMP/opt/v"
usage_error "run -i DIR" "flowc: .: Is a directory" $F run $FLOW -i .
usage_error "run DIR" "flowc: .: Is a directory" $F run .
usage_error "build -o nodir/x" "flowc: cannot write $TMP/opt/nodir/x" $F build $FLOW -o "$TMP/opt/nodir/x"
usage_error "unknown command" "unknown command 'frobnicate'" $F frobnicate
$F build $FLOW -o "$TMP/opt/exe" && usage_error "executable -i DIR" "cannot read the input: Is a directory" "$TMP/opt/exe" -i .
if $F build - -o "$TMP/opt/fromstdin" <$FLOW && [ "$("$TMP/opt/fromstdin" --version)" = "fromstdin (flowc $($F --version | cut -d' ' -f2))" ]; then
	pass "--version of a program built from standard input"
else
	fail "--version of a program built from standard input" "$("$TMP/opt/fromstdin" --version)"
fi
$F --help | grep -q 'hls' && pass "flowc --help mentions HLS" || fail "flowc --help mentions HLS"

# A checkout with no ../shared and no FLOWC_SHARED: the scripts stop and
# say so, naming both, instead of using one machine's path.
lone=$TMP/lone/repo
mkdir -p "$lone/tests/fuzz" "$lone/bench"
cp tests/lib.sh "$lone/tests/"
cp tests/fuzz/run.sh "$lone/tests/fuzz/"
cp bench/run.sh bench/gen_inputs.py "$lone/bench/"
for s in "sh -c '. tests/lib.sh'" "sh tests/fuzz/run.sh" "sh bench/run.sh" "python3 bench/gen_inputs.py text_wordcount 1"; do
	out=$(cd "$lone" && env -u FLOWC_SHARED sh -c "$s" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && echo "$out" | grep -q 'FLOWC_SHARED' && echo "$out" | grep -q '\.\./shared'; then
		pass "no shared tree: $s stops and says why"
	else
		fail "no shared tree: $s stops and says why" "exit $rc: $out"
	fi
done
done_counting
