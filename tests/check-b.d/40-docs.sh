#!/bin/sh
# section: documentation: man pages lint clean, their examples and the README's run
#
# Four kinds of test, each a PASS/FAIL line:
#   1. mandoc -Tlint -W warning on every man/*.[1-9] (skipped, and said so,
#      when mandoc is not installed);
#   2. the flowc-ops(7) examples, man/examples/<op>/ (flow.yaml,
#      inputs.jsonl, expected.jsonl, case.json), through compare.py with
#      `flowc run` and with executables built at -O0 and -O2;
#   3. every transcript the man pages and README.md mark as a test, run
#      as written and compared with the output the page shows (below);
#   4. examples/run-example.sh, what `make example` runs.
#
# Transcripts.  A literal block is a test when the line before it is a
# marker: in mdoc `.\" test`, in Markdown `<!-- test -->` before the
# ``` fence.  The marker may add `in DIR` (run in DIR, relative to the
# repository; otherwise in one scratch directory per page, shared by the
# page's blocks in order) and `if COMMAND` (skip the block, saying so,
# unless COMMAND succeeds there: for features not built yet).  In the
# block, `$ ` starts a command, which runs with build/ first on PATH
# and the runtime's headers and library on the C compiler's search
# paths (CPATH, LIBRARY_PATH), as after `make install PREFIX=/usr/local`;
# a line ending in `\` and the body of a `<<'EOF'` here-document continue
# it; the lines up to the next `$ ` are what it must print (standard
# output and standard error together).  An expected line `...` matches
# any number of lines and `...` inside a line matches any text.  Every
# command must exit 0: a page shows a failing status with `; echo $?`.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

# ---- 1. lint ---------------------------------------------------------
if command -v mandoc >/dev/null 2>&1; then
	for m in man/*.[1-9]; do
		[ -f "$m" ] || continue
		if out=$(mandoc -Tlint -W warning "$m" 2>&1) && [ -z "$out" ]; then
			pass "lint $m"
		else
			fail "lint $m" "$out"
		fi
	done
else
	echo "SKIP lint: mandoc is not installed"
fi

# ---- 2. the op catalogue's examples ----------------------------------
export FLOWC_EXE_CACHE="$TMP/exe"
run_counted python3 "$SHARED/conformance/compare.py" --all man/examples \
	--cmd 'build/flowc run {flow} -i {inputs}'
for O in 0 2; do
	run_counted python3 "$SHARED/conformance/compare.py" --all man/examples \
		--cmd "sh tests/run-compiled.sh {flow} {inputs} $O"
done

# ---- 3. transcripts --------------------------------------------------
run_counted python3 - "$TMP/doc" man/*.[1-9] README.md examples/*/README.md <<'EOF'
import os, re, subprocess, sys

root = os.getcwd()
scratch = sys.argv[1]
build = os.path.join(root, "build")
env = dict(os.environ, PATH=build + os.pathsep + os.environ.get("PATH", ""), LC_ALL="C.UTF-8",
           CPATH=os.path.join(build, "include"), LIBRARY_PATH=build)
ROFF = {"e": "\\", "&": "", "-": "-", "(aq": "'", "(dq": '"', "(ti": "~",
        "(ha": "^", "(ga": "`", "(rs": "\\", "(em": "--", "(en": "-"}
ROFF_RE = re.compile(r"\\(e|&|-|\(aq|\(dq|\(ti|\(ha|\(ga|\(rs|\(em|\(en)")
MARK = re.compile(r"^(?:\.\\\"|<!--)\s*test(?:\s+in\s+(\S+))?(?:\s+if\s+(.*?))?\s*(?:-->)?\s*$")
passed = failed = 0


def blocks(path):
    """(line number, dir, condition, lines) of each marked block."""
    lines = open(path, encoding="utf-8").read().split("\n")
    md = path.endswith(".md")
    i = 0
    while i < len(lines):
        m = MARK.match(lines[i])
        i += 1
        if not m:
            continue
        start = i + 1
        if md:
            if i >= len(lines) or not lines[i].startswith("```"):
                yield start, None, None, None
                continue
            end = i + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            body = lines[i + 1:end]
        else:
            if i >= len(lines) or not lines[i].startswith(".Bd"):
                yield start, None, None, None
                continue
            end = i + 1
            while end < len(lines) and lines[end] != ".Ed":
                end += 1
            body = [ROFF_RE.sub(lambda x: ROFF[x.group(1)], l) for l in lines[i + 1:end]]
        yield start, m.group(1), m.group(2), body
        i = end + 1


def commands(body):
    """[(command, [expected lines])] of a transcript."""
    out, i = [], 0
    while i < len(body):
        if not body[i].startswith("$ "):
            if out:
                out[-1][1].append(body[i])
            elif body[i].strip():
                raise ValueError("output before the first command: " + body[i])
            i += 1
            continue
        cmd = body[i][2:]
        while cmd.endswith("\\") and i + 1 < len(body):
            i += 1
            cmd += "\n" + body[i]
        here = re.search(r"<<-?\s*'?\"?(\w+)'?\"?", cmd)
        if here:
            while i + 1 < len(body):
                i += 1
                cmd += "\n" + body[i]
                if body[i] == here.group(1):
                    break
        out.append((cmd, []))
        i += 1
    for _, exp in out:
        while exp and not exp[-1].strip():
            exp.pop()
    return out


def line_re(e):
    return re.compile("".join(".*" if p == "..." else re.escape(p)
                              for p in re.split(r"(\.\.\.)", e)) + r"\Z")


def matches(exp, got):
    """Does got (lines) match exp (lines, with ... wildcards)?"""
    memo = {}

    def m(i, j):
        if (i, j) not in memo:
            if i == len(exp):
                r = j == len(got)
            elif exp[i] == "...":
                r = any(m(i + 1, k) for k in range(j, len(got) + 1))
            else:
                r = j < len(got) and bool(line_re(exp[i]).match(got[j])) and m(i + 1, j + 1)
            memo[i, j] = r
        return memo[i, j]
    return m(0, 0)


# Under `make check SANITIZE=1` the runtime is instrumented: a page's own
# `cc` commands need the same flags (FLOWC_CFLAGS) to link against it.
CC_PRELUDE = ""
if "sanitize" in os.environ.get("FLOWC_CFLAGS", ""):
    CC_PRELUDE = 'cc() { command cc $FLOWC_CFLAGS "$@"; }; '


def run_block(where, cwd, body):
    for cmd, exp in commands(body):
        try:
            p = subprocess.run(["sh", "-c", CC_PRELUDE + cmd], cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=300)
        except subprocess.TimeoutExpired:
            return "timed out: $ " + cmd
        got = p.stdout.decode("utf-8", "replace").split("\n")
        if got and got[-1] == "":
            got.pop()
        if p.returncode != 0:
            return "exit status %d: $ %s\n%s" % (p.returncode, cmd, "\n".join(got))
        if not matches(exp, got):
            return "$ %s\n--- the page shows\n%s\n--- it printed\n%s" % (
                cmd, "\n".join(exp), "\n".join(got))
    return None


for page in sys.argv[2:]:
    if not os.path.isfile(page):
        continue
    pagedir = os.path.join(scratch, os.path.basename(page))
    os.makedirs(pagedir, exist_ok=True)
    for line, where, cond, body in blocks(page):
        name = "%s:%d" % (page, line)
        if body is None:
            print("FAIL %s: a test marker must come right before the block" % name)
            failed += 1
            continue
        cwd = os.path.join(root, where) if where else pagedir
        if cond and subprocess.run(["sh", "-c", cond], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL).returncode != 0:
            print("SKIP %s (needs: %s)" % (name, cond))
            continue
        try:
            why = run_block(where, cwd, body)
        except ValueError as e:
            why = str(e)
        if why:
            print("FAIL %s: %s" % (name, why))
            failed += 1
        else:
            print("PASS %s" % name)
            passed += 1
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF

# ---- 4. make example -------------------------------------------------
if out=$(sh examples/run-example.sh 2>&1); then
	pass "examples/run-example.sh"
else
	fail "examples/run-example.sh" "$out"
fi

TOTAL_PASS=$((TOTAL_PASS + PASSES))
TOTAL_FAIL=$((TOTAL_FAIL + FAILS))
echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
[ "$TOTAL_FAIL" -eq 0 ]
