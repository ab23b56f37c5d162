#!/usr/bin/env python3
"""inputs.py FLOW [OVERLAY] <DOT: three contexts for the stubs test.

Each context gives every context input `flowc graph` draws (its
"context input" nodes, read from the dot on standard input) a value of
its definition's primitive (types.c's table), so each operation that
takes inputs from the context can run."""
import json, re, sys
import yaml


def load(path):
    with open(path) as f:
        return json.load(f) if path.endswith(".json") else yaml.safe_load(f)


def value(prim):
    p = (prim or "").replace(" ", "")
    table = {"int": 1, "integer": 1, "float": 1.5, "double": 1.5, "number": 1.5,
             "str": "x", "string": "x", "bool": True, "boolean": True}
    if p in table:
        return table[p]
    if re.match(r"(map|mapping|dict|Dict|Mapping)(\[|$)", p):
        return {}
    if re.match(r"(array|list|tuple|List|Tuple|Set|Sequence)(\[|$)", p):
        return []
    if p in ("None", "NoneType", "null"):
        return None
    return "x"


prims = {}
for path in sys.argv[1:]:
    for key, d in ((load(path) or {}).get("definitions") or {}).items():
        prims[d.get("name", key)] = d.get("primitive")
names = re.findall(r'label="context input\\n((?:[^"\\]|\\.)*)"', sys.stdin.read())
for c in ("c1", "c2", "c3"):
    ins = [{"definition": n, "value": value(prims.get(n))} for n in names]
    print(json.dumps({"context": c, "inputs": ins}))
