#!/usr/bin/env python3
"""Random DFFML dataflows over flowc's catalogue (Csmith's idea, for flows).

    gen.py SEED DIR [--ops N] [--contexts N] [--format yaml|json]
                    [--unlinked] [--features LIST] [--oracle-safe]

Writes DIR/flow.yaml (or flow.json) and DIR/inputs.jsonl: a valid flow in
DFFML's serialized form and random contexts for it.  The same seed and
flags always give the same files.

The flows exercise what flowc's static schedule (compiler/pass_static.c)
reasons about: DAGs of every width and depth, several values per
definition, several sources per parameter in every order (operation
outputs before and after seed, deeper before shallower), custom origins,
alternate definitions, ancestor chains, conditions (seeded and computed,
several values), defaults (seeded and fed by operations), expand and
chains of it, cycles that terminate, stages, every output operation with
constant and computed specs, operations reading and writing the same
definition, outputs feeding several operations, one source mapping naming
several producers, nostrict, retry, odd names (dots, quotes, spaces,
non-ASCII, C keywords); 31 operations over ints, floats, strings, bools,
arrays and maps, DFFML's multiply and dffml.mapping.create with their own
shared definitions.  Contexts hold missing inputs, failing values (int64
overflow, wrong types) and empty ones.

--features takes a comma-separated list of the feature names in FEATURES
(default: all); `-name` removes one; `hls` keeps what the HLS target takes.  --oracle-safe keeps the flow within
what DFFML answers deterministically and without crashing the whole run
(see ../shared/oracle/README.md): no default-first crash patterns, no
processing-stage output operations with stray keys, fewer values.
Python 3 standard library only (PyYAML when it is present, for YAML).
"""
import argparse
import json
import os
import random
import sys

FEATURES = [
    "multisource",  # several sources per parameter, in every order
    "origins",      # custom seed origins ("user")
    "alternates",   # {origin: [def, ...]} sources
    "ancestors",    # [first, ancestor, ...] chains
    "conditions",   # conditions, seeded and computed
    "defaults",     # definitions with defaults
    "expand",       # expand, and chains of it
    "cycles",       # countdown loops that terminate
    "stages",       # cleanup and output-stage ordinary operations
    "outputs",      # get_single/get_multi/associate..., several instances
    "computedspec", # output specs computed by an operation
    "procoutput",   # get_single/get_multi in the processing stage
    "samedef",      # an operation reading and writing one definition
    "strings",      # string operations
    "arrays",       # array operations
    "badvalues",    # overflow, wrong types, empty contexts
    "floats",       # to_float, float_divide
    "maps",         # map_merge, array_count_values, dffml.mapping.create
    "dffmlops",     # multiply, dffml.mapping.create (DFFML's definitions)
    "multientry",   # one source mapping naming several producers
    "nostrict",     # get_single/get_multi configs: nostrict
    "retry",        # retry: N on instances
    "oddnames",     # definition and instance names with dots, quotes, spaces...
]

INT_MAX = 2**63 - 1

# name: (params, input kinds, output kind, can expand)
OPS = {
    "negate": (["a"], ["int"], "int"),
    "add": (["a", "b"], ["int", "int"], "int"),
    "subtract": (["a", "b"], ["int", "int"], "int"),
    "int_divide": (["a", "b"], ["int", "int"], "int"),
    "modulo": (["a", "b"], ["int", "int"], "int"),
    "greater_than": (["a", "b"], ["int", "int"], "bool"),
    "less_than": (["a", "b"], ["int", "int"], "bool"),
    "equals": (["a", "b"], ["int", "int"], "bool"),
    "logical_not": (["a"], ["bool"], "bool"),
    "logical_and": (["a", "b"], ["bool", "bool"], "bool"),
    "array_range": (["n"], ["int"], "array"),
    "array_length": (["items"], ["array"], "int"),
    "array_sum": (["items"], ["array"], "int"),
    "str_upper": (["s"], ["str"], "str"),
    "str_length": (["s"], ["str"], "int"),
    "int_to_str": (["a"], ["int"], "str"),
    "str_concat": (["a", "b"], ["str", "str"], "str"),
    "str_split_words": (["s"], ["str"], "strarray"),
    "str_lower": (["s"], ["str"], "str"),
    "str_strip": (["s"], ["str"], "str"),
    "str_split": (["s", "sep"], ["str", "str"], "strarray"),
    "str_join": (["items", "sep"], ["strarray", "str"], "str"),
    "str_contains": (["s", "sub"], ["str", "str"], "bool"),
    "str_to_int": (["s"], ["str"], "int"),
    "array_sort": (["items"], ["array"], "array"),
    "to_float": (["a"], ["float"], "float"),
    "float_divide": (["a", "b"], ["float", "float"], "float"),
    "array_count_values": (["items"], ["strarray"], "map"),
    "map_merge": (["a", "b"], ["map", "map"], "map"),
    "multiply": (["multiplicand", "multiplier"], ["int", "int"], "int"),
    "dffml.mapping.create": (["key", "value"], ["str", "int"], "map"),
}
# Output names other than "result", and DFFML's own definitions for its
# operations (spec/stdlib-ops.md §8), used when "dffmlops" picks them.
OUTNAME = {"multiply": "product", "dffml.mapping.create": "mapping"}
DFFML_DEFS = {"multiply": {"multiplicand": "multiplicand_def", "multiplier": "multiplier_def",
                           "product": "product"},
              "dffml.mapping.create": {"key": "key", "value": "value", "mapping": "mapping"}}
STRING_OPS = {"str_upper", "str_length", "int_to_str", "str_concat", "str_split_words",
              "str_lower", "str_strip", "str_split", "str_join", "str_contains", "str_to_int"}
ARRAY_OPS = {"array_range", "array_length", "array_sum", "array_sort"}
FLOAT_OPS = {"to_float", "float_divide"}
MAP_OPS = {"array_count_values", "map_merge", "dffml.mapping.create"}
DFFML_OPS = {"multiply", "dffml.mapping.create"}
ODD = ["x.y", "a-b", "two words", "\u00fcn\u00ef", "q'uote", "d\"q", "back\\slash", "0lead",
       "__flow", "main", "int", "NULL", "x.inputs.y", "{brace}"]
# What the HLS target takes, for --features hls (difftest uses it on every
# third seed so that the HLS test bench sees flows too).
HLS_OFF = ["strings", "arrays", "alternates", "ancestors", "cycles", "procoutput",
           "computedspec", "outputs", "stages", "maps", "dffmlops", "multientry"]
KINDS = ["int", "bool", "array", "str", "strarray", "float", "map"]
PRIMITIVE = {"int": "int", "bool": "bool", "array": "array", "str": "str",
             "strarray": "array", "float": "float", "map": "map"}
# weights: the static schedule takes get_single and get_multi only
OUTPUT_OPS = ["get_single"] * 8 + ["get_multi"] * 9 + ["associate_definition", "associate"]


class Flow:
    """A flow under construction: definitions, operations, flow, seeds."""

    def __init__(self, rnd, features, oracle_safe):
        self.r = rnd
        self.f = features
        self.safe = oracle_safe
        self.defs = {}          # name -> {"name", "primitive", ["default"]}
        self.kind = {}          # def name -> kind
        self.ops = {}           # instance -> operation
        self.flow = {}          # instance -> {"inputs", ["conditions"]}
        self.seed = []
        self.producers = {}     # def -> [(instance, output)]
        self.depth = {}         # instance -> depth
        self.origins = ["seed"]
        self.configs = {}       # instance -> {"nostrict": [...]}

    def odd(self, name):
        """name, or with "oddnames" sometimes a name no C identifier allows."""
        if self.feat("oddnames", 0.06):
            return "%s%d" % (self.r.choice(ODD), len(self.defs) + len(self.ops))
        return name

    def new_def(self, kind, prefix=None):
        name = self.odd("%s%d" % (prefix or kind[0], len(self.defs)))
        self.defs[name] = {"name": name, "primitive": PRIMITIVE[kind]}
        self.kind[name] = kind
        return name

    def defs_of(self, kind):
        return [d for d in self.defs if self.kind[d] == kind]

    def pick_def(self, kind):
        have = self.defs_of(kind)
        if not have or self.r.random() < 0.25:
            return self.new_def(kind)
        return self.r.choice(have)

    def feat(self, name, p):
        return name in self.f and self.r.random() < p

    # -- sources -----------------------------------------------------------
    def source_choices(self, d, before):
        """Every source that can feed definition d: seed (and custom
        origins) and the producers placed before this operation."""
        out = [o for o in self.origins]
        for inst, out_name in self.producers.get(d, []):
            if inst in before:
                out.append({inst: out_name})
        return out

    def sources(self, d, before):
        cands = self.source_choices(d, before)
        if self.feat("multisource", 0.4) and len(cands) > 1:
            n = self.r.randint(2, min(3, len(cands)))
            src = self.r.sample(cands, n)
        else:
            ops_first = [c for c in cands if isinstance(c, dict)]
            if ops_first and self.r.random() < 0.6:
                src = [self.r.choice(ops_first)]
            else:
                src = [self.r.choice(cands)]
        prods = [c for c in cands if isinstance(c, dict)]
        if self.feat("multientry", 0.15) and len(prods) >= 2:
            a, b = self.r.sample(prods, 2)
            src.append(dict(list(a.items()) + list(b.items())))
        if self.feat("alternates", 0.1):
            others = [x for x in self.defs_of(self.kind[d]) if x != d]
            if others:
                alt = sorted(set(self.r.sample(others, min(2, len(others))) +
                                 ([d] if self.r.random() < 0.5 else [])))
                src.append({self.r.choice(self.origins): alt})
        if self.feat("ancestors", 0.08):
            firsts = [s for s in src if isinstance(s, dict) and
                      not isinstance(list(s.values())[0], list)]
            if firsts:
                first = self.r.choice(firsts)
                inst = list(first)[0]
                parents = self.parent_origins(inst)
                if parents:
                    src[src.index(first)] = [first, self.r.choice(parents)]
        return src

    def parent_origins(self, inst):
        """Origins that can be a direct parent of inst's outputs."""
        out = []
        for srcs in self.flow[inst]["inputs"].values():
            for s in srcs:
                if isinstance(s, str):
                    out.append(s)
                elif isinstance(s, dict) and not isinstance(list(s.values())[0], list):
                    out.append(dict(s))
        return out

    # -- operations --------------------------------------------------------
    def add_op(self, name, stage="processing"):
        params, kinds, okind = OPS[name]
        out = OUTNAME.get(name, "result")
        inst = self.odd("%s_%d" % (name, len(self.ops)))
        before = set(self.ops)
        op = {"inputs": {}, "name": name, "outputs": {}, "stage": stage, "retry": 0}
        if self.feat("retry", 0.05):
            op["retry"] = self.r.randint(1, 3)
        fl = {"inputs": {}}
        chosen = {}
        dffml = name in DFFML_DEFS and self.r.random() < 0.5
        for p, k in zip(params, kinds):
            if p == "b" and k == kinds[0] and self.r.random() < 0.25:
                d = chosen["a"]     # two inputs of one definition
            elif dffml and self.kind.get(DFFML_DEFS[name][p], k) == k:
                d = DFFML_DEFS[name][p]
                self.defs.setdefault(d, {"name": d, "primitive": PRIMITIVE[k]})
                self.kind[d] = k
            else:
                d = self.pick_def(k)
            chosen[p] = d
            op["inputs"][p] = d
            if p == "b" and d == chosen.get("a") and self.r.random() < 0.5:
                fl["inputs"][p] = list(fl["inputs"]["a"])
            else:
                fl["inputs"][p] = self.sources(d, before)
        expand = okind in ("array", "strarray") and stage == "processing" and \
            self.feat("expand", 0.6)
        if expand:
            out_kind = "int" if okind == "array" else "str"
            op["expand"] = [out]
        else:
            out_kind = okind
        if self.feat("samedef", 0.12) and out_kind in kinds:
            od = chosen[params[kinds.index(out_kind)]]
            # keep it acyclic: the op's own input reads seed only
            for p, k in zip(params, kinds):
                if chosen[p] == od:
                    fl["inputs"][p] = [s for s in fl["inputs"][p] if isinstance(s, str)] or ["seed"]
        elif dffml and self.kind.get(DFFML_DEFS[name][out], out_kind) == out_kind and \
                DFFML_DEFS[name][out] not in chosen.values():
            od = DFFML_DEFS[name][out]
            self.defs.setdefault(od, {"name": od, "primitive": PRIMITIVE[out_kind]})
            self.kind[od] = out_kind
        else:
            od = self.pick_def(out_kind) if self.r.random() < 0.4 else self.new_def(out_kind)
        op["outputs"][out] = od
        if self.feat("conditions", 0.25):
            self.add_conditions(op, fl, before)
        self.ops[inst] = op
        self.flow[inst] = fl
        if stage == "processing":
            self.producers.setdefault(od, []).append((inst, out))
        return inst

    def add_conditions(self, op, fl, before):
        conds, srcs = [], []
        for _ in range(self.r.randint(1, 2)):
            c = self.pick_def("bool")
            conds.append(c)
            choices = self.source_choices(c, before)
            srcs.append(self.r.choice(choices))
        op["conditions"] = conds
        fl["conditions"] = srcs

    def add_cycle(self):
        """n -> subtract(n, 1) while greater_than(n, 0): terminates."""
        n = self.new_def("int", "n")
        one = self.new_def("int", "one")
        pos = self.new_def("bool", "pos")
        dec = "countdown_%d" % len(self.ops)
        gt = "positive_%d" % (len(self.ops) + 1)
        self.ops[gt] = {"inputs": {"a": n, "b": one}, "name": "greater_than",
                        "outputs": {"result": pos}, "stage": "processing", "retry": 0}
        self.flow[gt] = {"inputs": {"a": ["seed", {dec: "result"}], "b": ["seed"]}}
        self.ops[dec] = {"inputs": {"a": n, "b": one}, "name": "subtract", "retry": 0,
                         "outputs": {"result": n}, "stage": "processing",
                         "conditions": [pos]}
        self.flow[dec] = {"inputs": {"a": ["seed", {dec: "result"}], "b": ["seed"]},
                          "conditions": [{gt: "result"}]}
        self.seed.append({"definition": one, "origin": "seed", "value": 1})
        self.producers.setdefault(n, []).append((dec, "result"))
        self.producers.setdefault(pos, []).append((gt, "result"))

    def add_output(self, kind, stage="output"):
        inst = self.odd("%s_%d" % (kind, len(self.ops)))
        spec = "%s_spec_%d" % (kind, len(self.ops))
        outd = "%s_out_%d" % (kind, len(self.ops))
        self.defs[spec] = {"name": spec, "primitive": "array" if kind != "associate_definition" else "map"}
        self.defs[outd] = {"name": outd, "primitive": "map"}
        self.kind[spec] = self.kind[outd] = "spec"
        op = {"inputs": {"spec": spec}, "name": kind, "outputs": {"output": outd},
              "stage": stage, "retry": 0}
        fl = {"inputs": {"spec": ["seed"]}}
        produced = [d for d in self.producers] or list(self.defs_of("int"))
        single = [d for d in produced if len(self.producers.get(d, [])) == 1]
        if single and self.r.random() < 0.7:
            produced = single   # several producers keep -O2 dynamic
        if not produced:
            produced = [self.new_def("int")]
        if kind == "associate_definition":
            keys = self.r.sample(produced, min(2, len(produced)))
            value = {keys[0]: self.r.choice(produced)}
        elif kind == "associate":
            value = [self.r.choice(produced), self.r.choice(produced)]
            if self.safe and self.kind.get(value[0]) != "str":
                # DFFML's contract: the key definition's values are strings
                keys = [d for d in produced if self.kind.get(d) == "str"] or \
                    self.defs_of("str") or [self.new_def("str")]
                value[0] = self.r.choice(keys)
        else:
            value = self.r.sample(produced, self.r.randint(1, min(4, len(produced))))
            if self.r.random() < 0.2:
                value.append({"renamed": self.r.choice(produced)})
            if stage == "processing":
                value = [{"output": self.r.choice(produced)}]
                if not self.safe and self.r.random() < 0.3:
                    value = self.r.choice([[], [self.r.choice(produced)]])
        if "computedspec" in self.f and kind in ("get_single", "get_multi") and \
                stage == "output" and self.r.random() < 0.15:
            words = self.new_def("str", "names")
            mk = "mkspec_%d" % len(self.ops)
            self.ops[mk] = {"inputs": {"s": words}, "name": "str_split_words",
                            "outputs": {"result": spec}, "stage": "processing",
                            "retry": 0}
            self.flow[mk] = {"inputs": {"s": ["seed"]}}
            fl["inputs"]["spec"] = [{mk: "result"}]
            self.seed.append({"definition": words, "origin": "seed",
                              "value": " ".join(v for v in value if isinstance(v, str))})
        else:
            self.seed.append({"definition": spec, "origin": "seed", "value": value})
        if self.feat("conditions", 0.2):
            self.add_conditions(op, fl, set(self.ops))
        if kind != "associate_definition" and self.feat("nostrict", 0.7):
            names = [v for v in value if isinstance(v, str)] + \
                [d for v in value if isinstance(v, dict) for d in v.values()]
            keep = sorted({d for d in names if self.r.random() < 0.7})
            if keep:
                self.configs[inst] = {"nostrict": keep}
        self.ops[inst] = op
        self.flow[inst] = fl
        if stage == "processing":
            self.producers.setdefault(outd, []).append((inst, "output"))

    # -- values ------------------------------------------------------------
    def value(self, kind):
        r = self.r
        bad = "badvalues" in self.f and r.random() < 0.04
        if bad and self.safe:
            # DFFML never checks a value against its definition's
            # primitive, flowc does (flowc(1)): only overflow then
            return r.choice([INT_MAX, -INT_MAX - 1]) if kind == "int" else self.value_ok(kind)
        return self.value_ok(kind) if not bad else self.value_bad(kind)

    def value_ok(self, kind):
        return self.value_of(kind, False)

    def value_bad(self, kind):
        return self.value_of(kind, True)

    def value_of(self, kind, bad):
        r = self.r
        if kind == "int":
            if bad:
                return r.choice([INT_MAX, -INT_MAX - 1, "x", 1.5])
            return r.randint(-3, 6)
        if kind == "bool":
            return r.choice([True, False]) if not bad else r.choice([0, "yes"])
        if kind == "str":
            if bad:
                return r.choice([7, None])
            return " ".join(r.choice(["a", "bb", "a", "ccc", "Dd"]) for _ in range(r.randint(0, 3)))
        if kind in ("array", "strarray"):
            if bad:
                return r.choice(["abc", {"k": 1}])
            if kind == "strarray":
                return [r.choice(["a", "bb", "", "C d"]) for _ in range(r.randint(0, 3))]
            return [r.randint(0, 4) for _ in range(r.randint(0, 3))]
        if kind == "float":
            if bad:
                return r.choice(["x", True])
            return r.choice([0.5, -1.25, 3.0, 0.0, -0.0, 2, 7.5, 1e300])
        if kind == "map":
            if bad:
                return r.choice([[1], "m"])
            return r.choice([{}, {"k": 1}, {"a": "x", "k": 2}, {"k": None}])
        return None

    def contexts(self, n):
        seedable = [d for d in self.defs if self.kind[d] in KINDS]
        out = []
        for c in range(n):
            items = []
            empty = "badvalues" in self.f and self.r.random() < 0.1
            for d in ([] if empty else seedable):
                for _ in range(self.r.choice([0, 0, 1, 1, 1, 2] if not self.safe else [0, 1, 1])):
                    item = {"definition": d, "value": self.value(self.kind[d])}
                    if len(self.origins) > 1 and self.r.random() < 0.1:
                        item["origin"] = self.r.choice(self.origins[1:])
                    items.append(item)
            out.append({"context": "ctx%d" % c, "inputs": items})
        return out


def build(seed, nops, features, oracle_safe):
    r = random.Random(seed)
    g = Flow(r, features, oracle_safe)
    if g.feat("origins", 0.3):
        g.origins.append("user")
    names = [n for n in OPS if ("strings" in features or n not in STRING_OPS) and
             ("arrays" in features or n not in ARRAY_OPS) and
             ("floats" in features or n not in FLOAT_OPS) and
             ("maps" in features or n not in MAP_OPS) and
             ("dffmlops" in features or n not in DFFML_OPS)]
    for _ in range(nops):
        stage = "processing"
        if g.feat("stages", 0.1):
            stage = r.choice(["cleanup", "output"])
        g.add_op(r.choice(names), stage)
    if g.feat("cycles", 0.1):
        g.add_cycle()
    if g.feat("procoutput", 0.1):
        g.add_output(r.choice(["get_single", "get_multi"]), "processing")
    nout = 1 + (r.random() < 0.4 if "outputs" in features else 0)
    for _ in range(nout):
        g.add_output(r.choice(OUTPUT_OPS) if "outputs" in features else "get_multi")
    if "defaults" in features:
        for d in list(g.defs):
            if g.kind[d] == "int" and r.random() < 0.08:
                g.defs[d]["default"] = r.randint(-2, 3)
    for d in g.defs:
        if g.kind[d] in KINDS and r.random() < 0.15:
            g.seed.append({"definition": d, "origin": r.choice(g.origins),
                           "value": g.value(g.kind[d])})
    flow = {"definitions": g.defs, "flow": g.flow, "linked": True,
            "operations": g.ops, "seed": g.seed}
    if g.configs:
        flow["configs"] = g.configs
    return flow, g.contexts(4)


def unlink(flow):
    """DFFML's non-linked form: definitions inline, no definitions key."""
    defs = flow["definitions"]
    ops = {}
    for inst, op in flow["operations"].items():
        o = dict(op)
        o["inputs"] = {k: defs[v] for k, v in op["inputs"].items()}
        o["outputs"] = {k: defs[v] for k, v in op["outputs"].items()}
        if "conditions" in op:
            o["conditions"] = [defs[c] for c in op["conditions"]]
        ops[inst] = o
    seed = [dict(s, definition=defs[s["definition"]]) for s in flow["seed"]]
    out = {"flow": flow["flow"], "operations": ops, "seed": seed}
    if "configs" in flow:
        out["configs"] = flow["configs"]
    return out


def features_from(spec):
    feats = set(FEATURES)
    if spec == "hls":
        return feats - set(HLS_OFF)
    if spec:
        parts = spec.split(",")
        if all(p.startswith("-") for p in parts):
            feats -= {p[1:] for p in parts}
        else:
            feats = {p for p in parts if not p.startswith("-")}
        unknown = {p.lstrip("-") for p in parts} - set(FEATURES)
        if unknown:
            sys.exit("gen.py: unknown feature(s): %s (known: %s)" %
                     (", ".join(sorted(unknown)), ", ".join(FEATURES)))
    return feats


def main():
    ap = argparse.ArgumentParser(description="Write a random DFFML flow and contexts.")
    ap.add_argument("seed", type=int)
    ap.add_argument("dir")
    ap.add_argument("--ops", type=int, default=0, help="operations (default: 1-8 by seed)")
    ap.add_argument("--contexts", type=int, default=4)
    ap.add_argument("--format", choices=["yaml", "json"], default=None,
                    help="default: chosen by seed")
    ap.add_argument("--unlinked", action="store_true", default=None,
                    help="DFFML's non-linked form (default: chosen by seed)")
    ap.add_argument("--features", default="")
    ap.add_argument("--oracle-safe", action="store_true")
    a = ap.parse_args()
    feats = features_from(a.features)
    pick = random.Random(a.seed * 7919 + 1)
    nops = a.ops or pick.randint(1, 8)
    fmt = a.format or pick.choice(["yaml", "yaml", "json"])
    unlinked = a.unlinked if a.unlinked is not None else pick.random() < 0.2
    flow, ctxs = build(a.seed, nops, feats, a.oracle_safe)
    if unlinked:
        flow = unlink(flow)
    os.makedirs(a.dir, exist_ok=True)
    for old in ("flow.yaml", "flow.json"):
        if os.path.exists(os.path.join(a.dir, old)):
            os.remove(os.path.join(a.dir, old))
    path = os.path.join(a.dir, "flow." + fmt)
    with open(path, "w", encoding="utf-8") as f:
        if fmt == "json":
            json.dump(flow, f, indent=2, sort_keys=True)
            f.write("\n")
        else:
            import yaml

            class NoAliases(yaml.SafeDumper):
                def ignore_aliases(self, data):
                    return True
            yaml.dump(flow, f, Dumper=NoAliases, sort_keys=True)
    with open(os.path.join(a.dir, "inputs.jsonl"), "w", encoding="utf-8") as f:
        for c in ctxs:
            f.write(json.dumps(c) + "\n")
    print(path)


if __name__ == "__main__":
    main()
