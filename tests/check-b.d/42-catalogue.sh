#!/bin/sh
# section: operations described once: only the catalogue names them
#
# stdlib-ops/catalogue.c is the one place that says what an operation is
# (its signatures, failures, role, hardware flags).  This test reads the
# operation names and aliases from it and fails for each C string
# literal in compiler/ or runtime/ (comments aside) that is one of them
# or names a typed function of flowops.h (flow_op_...): such code would
# have to change with the table.  The ops' own files, docs and tests may
# name them.  One PASS/FAIL line per file.
#
# No exceptions: the RTL backend takes each operation's one-clock form
# from the table too (FLOW_HW_RTL_OP).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

python3 - stdlib-ops/catalogue.c compiler/*.c compiler/*.h runtime/*.c runtime/*.h <<'EOF2'
import re, sys

CMT = re.compile(r'/\*.*?\*/|//[^\n]*|("(?:\\.|[^"\\\n])*")|(\'(?:\\.|[^\'\\\n])*\')', re.S)
STR = re.compile(r'"((?:\\.|[^"\\\n])*)"')


def code(text):
    """text without comments; string and char literals kept."""
    return CMT.sub(lambda m: m.group(1) or m.group(2) or re.sub(r"[^\n]", " ", m.group(0)), text)


cat = code(open(sys.argv[1]).read())
table = cat[cat.index("flow_stdlib[] = {"):]
names = set()
for m in re.finditer(r'(?:OP[123]F?|OUTOP)\(\s*"([^"]+)"|^\s*\{"([^"]+)", (?:"([^"]+)"|NULL)',
                     table, re.M):
    names.update(x for x in m.groups() if x)
for m in re.finditer(r'\b(?:GITOP|GITLOG)\(\s*"([^"]+)"', table):
    names.update([m.group(1), "dffml_feature_git.feature.operations:" + m.group(1)])
passed = failed = 0
if len(names) < 40:
    print("FAIL reading the catalogue: only %d names" % len(names))
    failed += 1
for path in sys.argv[2:]:
    bad = []
    for n, line in enumerate(code(open(path).read()).split("\n"), 1):
        for lit in STR.findall(line):
            if lit in names or "flow_op_" in lit:
                bad.append('%s:%d: "%s"' % (path, n, lit))
    if bad:
        print("FAIL %s names operations: %s" % (path, "; ".join(bad[:5])))
        failed += 1
    else:
        passed += 1
print("PASS %d files name no operation" % passed)
# flowc-ops(7) counts the table's entries right
own = len(re.findall(r'\bOP[123]F?\(\s*"', table))
total = len(re.findall(r'(?:OP[123]F?|OUTOP)\(\s*"|^\s*\{"[^"]+",\s*(?:"[^"]+"|NULL),\s*FLOW_IMPL', table, re.M))
total += len(re.findall(r'\b(?:EFFOP|GITOP|GITLOG)\(\s*"', table))
total += 2 * len(re.findall(r'^\s*COMPRESS\(', table, re.M))
want = "There are %d operations: %d of flowc's own and %d of DFFML's" % (total, own, total - own)
if want in open("man/flowc-ops.7").read():
    print("PASS flowc-ops(7): %s" % want)
    passed += 1
else:
    print("FAIL flowc-ops(7) does not say: %s" % want)
    failed += 1
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF2
