#!/usr/bin/env python3
"""check.py PARENT_OUT CUSTOM_OUT SUB_OUT: the subflow results a parent
flow reports (default mode: flow_results lists; custom mode: the op's
outputs) must equal running the subflow on its own on the same inputs,
context by context.  Prints PASS/FAIL lines and "N passed, M failed"."""
import json
import sys

def load(path):
    return [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]

sub = {r["context"]: r for r in load(sys.argv[3])}
passed = failed = 0

def check(name, got, ctx):
    global passed, failed
    want = sub.get(ctx)
    if want is None:
        print("FAIL %s: no context %s in the subflow's own run" % (name, ctx)); failed += 1
    elif ("results" in want and got == want["results"]) or ("error" in want and got == "error"):
        print("PASS %s" % name); passed += 1
    else:
        print("FAIL %s: %r != %r" % (name, got, want)); failed += 1

for r in load(sys.argv[1]):
    for item in r.get("results", {}).get("flow_results", []):
        for ctx, res in item.items():
            check("default %s/%s" % (r["context"], ctx), res, ctx)
    if "error" in r and r["error"].get("operation") == "run":
        ctx = r["error"]["message"].split("'")[1]
        check("default %s/%s (error)" % (r["context"], ctx), "error", ctx)
for r in load(sys.argv[2]):
    parent, ctx = r["context"].split("-", 1)
    check("custom %s" % r["context"], r["results"] if "results" in r else "error", ctx)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
