#!/usr/bin/env python3
"""Generate large DFFML linked flows for compile-time scaling.

    gen_large.py [--context] chain|fanout|diamond N > flow.yaml

Each flow has N processing operations from the standard catalogue plus
one get_single, every value seeded, so it runs on an empty context
({"context": "c"}) and gives one result (and -O2 folds it all at compile
time).  With --context the start values are not seeded: each context
gives them (add.inputs.a, add.inputs.b, negate.inputs.a, as the shape
reads them), so every operation runs for every context:

chain    add instances c1..cN in a line: c1 = a0 + 1, ci = c(i-1) + 1;
         get_single(cN.result) is N.
fanout   negate instances f1..fN, each from the one seeded value 1;
         get_single lists all N results (each -1).
diamond  N // 3 diamonds: from the previous value v, l = -v (negate),
         r = v + 1 (add), v' = l + r (add, the join), which is 1; then
         N % 3 negates in a line; get_single of the last result.

Instance names are zero-padded so that sorted order is numeric order.
The output is what DFFML writes for a linked flow,
yaml.dump(export(linked=True), default_flow_style=False): sorted keys,
block style.  The YAML is written by a small emitter (PyYAML is not
needed and would take seconds at N = 10000); it only handles the plain
keys and scalars these flows contain.
"""
import re
import sys

PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\Z")
YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if not PLAIN.match(v) or v.lower() in YAML_WORDS:
        raise ValueError("not a plain YAML scalar: %r" % v)
    return v


def emit(v, indent, out):
    """Block-style YAML of v at indent, as PyYAML's dump writes it."""
    pad = " " * indent
    if isinstance(v, dict):
        for k in sorted(v):
            x = v[k]
            if isinstance(x, dict) and x:
                out.append("%s%s:\n" % (pad, scalar(k)))
                emit(x, indent + 2, out)
            elif isinstance(x, list) and x:
                out.append("%s%s:\n" % (pad, scalar(k)))
                emit(x, indent, out)       # PyYAML does not indent lists in maps
            else:
                out.append("%s%s: %s\n" % (pad, scalar(k), flat(x)))
    elif isinstance(v, list):
        for x in v:
            if isinstance(x, dict) and x:
                sub = []
                emit(x, indent + 2, sub)
                sub[0] = pad + "- " + sub[0][indent + 2:]
                out.extend(sub)
            elif isinstance(x, list) and x:
                raise ValueError("nested lists are not needed here")
            else:
                out.append("%s- %s\n" % (pad, flat(x)))


def flat(x):
    if x == {}:
        return "{}"
    if x == []:
        return "[]"
    return scalar(x)


class Flow:
    """A linked DFFML flow under construction."""

    context = False             # --context: start values from each context

    def __init__(self):
        self.defs = {}
        self.ops = {}
        self.flow = {}
        self.seed = []

    def define(self, name, primitive):
        self.defs[name] = {"name": name, "primitive": primitive}

    def op(self, inst, name, inputs, sources, out_def, out_type):
        """inputs: {param: definition}; sources: {param: source list}."""
        for d, t in inputs.values():
            self.define(d, t)
        self.define(out_def, out_type)
        self.ops[inst] = {
            "inputs": {p: d for p, (d, _) in inputs.items()},
            "name": name,
            "outputs": {"result": out_def},
            "retry": 0,
            "stage": "processing",
        }
        self.flow[inst] = {"inputs": sources}

    def seed_value(self, definition, value):
        if Flow.context and definition != "get_single_spec":
            return
        self.seed.append({"definition": definition, "origin": "seed", "value": value})

    def get_single(self, wanted):
        self.define("get_single_output", "map")
        self.define("get_single_spec", "array")
        self.ops["get_single"] = {
            "inputs": {"spec": "get_single_spec"},
            "name": "get_single",
            "outputs": {"output": "get_single_output"},
            "retry": 0,
            "stage": "output",
        }
        self.flow["get_single"] = {"inputs": {"spec": ["seed"]}}
        self.seed_value("get_single_spec", wanted)

    def export(self):
        return {"definitions": self.defs, "flow": self.flow, "linked": True,
                "operations": self.ops, "seed": self.seed}


A = ("add.inputs.a", "int")
B = ("add.inputs.b", "int")
NEG = ("negate.inputs.a", "int")


def name(prefix, i, n):
    return "%s%0*d" % (prefix, max(5, len(str(n))), i)


def source(prev):
    """The source list of a value: the seed, or the previous result."""
    return ["seed"] if prev is None else [{prev: "result"}]


def chain(n):
    f = Flow()
    prev = None
    for i in range(1, n + 1):
        inst = name("c", i, n)
        f.op(inst, "add", {"a": A, "b": B}, {"a": source(prev), "b": ["seed"]},
             inst + ".result", "int")
        prev = inst
    f.seed_value("add.inputs.a", 0)
    f.seed_value("add.inputs.b", 1)
    f.get_single([prev + ".result"])
    return f


def fanout(n):
    f = Flow()
    outs = []
    for i in range(1, n + 1):
        inst = name("f", i, n)
        f.op(inst, "negate", {"a": NEG}, {"a": ["seed"]}, inst + ".result", "int")
        outs.append(inst + ".result")
    f.seed_value("negate.inputs.a", 1)
    f.get_single(outs)
    return f


def diamond(n):
    f = Flow()
    prev = None                     # None: the seeded start value
    for k in range(1, n // 3 + 1):
        d = name("d", k, n)
        f.op(d + "_l", "negate", {"a": NEG}, {"a": source(prev)}, d + "_l.result", "int")
        f.op(d + "_r", "add", {"a": A, "b": B}, {"a": source(prev), "b": ["seed"]},
             d + "_r.result", "int")
        f.op(d + "_v", "add", {"a": A, "b": B},
             {"a": [{d + "_l": "result"}], "b": [{d + "_r": "result"}]},
             d + "_v.result", "int")
        prev = d + "_v"
    for i in range(1, n % 3 + 1):
        inst = name("t", i, n)
        f.op(inst, "negate", {"a": NEG}, {"a": source(prev)}, inst + ".result", "int")
        prev = inst
    f.seed_value("negate.inputs.a", 1)
    if n >= 3:
        f.seed_value("add.inputs.a", 1)
        f.seed_value("add.inputs.b", 1)
    f.get_single([prev + ".result"])
    return f


SHAPES = {"chain": chain, "fanout": fanout, "diamond": diamond}


def main(argv):
    if len(argv) == 4 and argv[1] == "--context":
        Flow.context = True
        argv = argv[1:]
    if len(argv) != 3 or argv[1] not in SHAPES or not argv[2].isdigit() or int(argv[2]) < 1:
        sys.stderr.write("usage: gen_large.py [--context] chain|fanout|diamond N  (N >= 1)\n")
        return 2
    out = []
    emit(SHAPES[argv[1]](int(argv[2])).export(), 0, out)
    sys.stdout.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
