#!/usr/bin/env python3
"""Shrink a disagreeing random flow and its contexts to a minimal case.

    reduce.py DIR [--flowc PATH] [--oracle] [--case NAME] [--grep TEXT]

DIR holds flow.yaml (or flow.json) and inputs.jsonl on which flowc's modes
disagree (difftest.py keeps such folders), or, with --oracle, on which
`flowc run` disagrees with DFFML.  reduce.py deletes contexts, inputs,
seeds, operations, sources, conditions and output-spec entries one at a
time, keeping each deletion after which `flowc check` still accepts the
flow and the same modes still disagree (and, with --grep, the output of a
disagreeing mode still holds TEXT, so that the bug stays the same one),
until nothing more goes.  It
writes DIR/reduced/flow.yaml and DIR/reduced/inputs.jsonl.

--case NAME also writes tests/cases/NAME (flow.yaml, inputs.jsonl,
expected.jsonl from DFFML through ../shared/oracle, case.json to finish
by hand) when DFFML_PATH names a DFFML source tree, else tests/difftest/NAME.
"""
import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import difftest  # noqa: E402


def load(d):
    import yaml
    for name in ("flow.yaml", "flow.json"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                flow = json.load(f) if name.endswith("json") else yaml.safe_load(f)
            break
    else:
        sys.exit("reduce.py: no flow.yaml or flow.json in %s" % d)
    with open(os.path.join(d, "inputs.jsonl"), encoding="utf-8") as f:
        ctxs = [json.loads(x) for x in f if x.strip()]
    return flow, ctxs


def write(d, flow, ctxs):
    import yaml

    class NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "flow.yaml"), "w", encoding="utf-8") as f:
        yaml.dump(flow, f, Dumper=NoAliases, sort_keys=False)
    with open(os.path.join(d, "inputs.jsonl"), "w", encoding="utf-8") as f:
        for c in ctxs:
            f.write(json.dumps(c) + "\n")


class Reducer:
    def __init__(self, flowc, oracle, shared, grep=None):
        self.grep = grep.encode() if grep else None
        self.flowc = flowc
        self.oracle = oracle
        self.shared = shared
        self.tmp = tempfile.mkdtemp(prefix="flowc-reduce.")
        self.tries = 0

    def verdict(self, flow, ctxs):
        """The set of disagreeing modes (empty: they agree), or None when
        the flow is no longer valid."""
        self.tries += 1
        d = os.path.join(self.tmp, "t")
        shutil.rmtree(d, ignore_errors=True)
        write(d, flow, ctxs)
        f, i = os.path.join(d, "flow.yaml"), os.path.join(d, "inputs.jsonl")
        if difftest.sh([self.flowc, "check", f])[0] != 0:
            return None
        if self.oracle:
            why = difftest.oracle_compare(self.flowc, f, i, d, self.shared)
            return None if why and why.startswith("skip") else ({"dffml"} if why else set())
        res = difftest.run_modes(self.flowc, f, i, d, True, "-O0")
        bad = {m for m, r in res.items() if r != res["interp"]}
        if self.grep and not any(self.grep in (res[m][1] or b"") for m in bad):
            return set()
        return bad

    def shrink(self, flow, ctxs):
        want = self.verdict(flow, ctxs)
        if not want:
            sys.exit("reduce.py: the modes agree on this flow: nothing to reduce")
        changed = True
        while changed:
            changed = False
            for cand in self.candidates(flow, ctxs):
                if self.verdict(*cand) == want:
                    flow, ctxs = cand
                    changed = True
                    break
        return flow, ctxs, want

    def candidates(self, flow, ctxs):
        """Every flow and context list one deletion smaller."""
        if len(ctxs) > 1:
            for k in range(len(ctxs)):
                yield flow, [ctxs[k]]
        for k, c in enumerate(ctxs):
            for j in range(len(c["inputs"])):
                cc = copy.deepcopy(ctxs)
                del cc[k]["inputs"][j]
                yield flow, cc
        for j in range(len(flow.get("seed", []))):
            f = copy.deepcopy(flow)
            del f["seed"][j]
            yield f, ctxs
        for inst in list(flow.get("operations", {})):
            yield drop_op(flow, inst), ctxs
        for inst, fl in flow.get("flow", {}).items():
            for p, srcs in fl.get("inputs", {}).items():
                for j in range(len(srcs)):
                    if len(srcs) > 1:
                        f = copy.deepcopy(flow)
                        del f["flow"][inst]["inputs"][p][j]
                        yield f, ctxs
            if fl.get("conditions"):
                f = copy.deepcopy(flow)
                f["flow"][inst].pop("conditions", None)
                f["operations"][inst].pop("conditions", None)
                yield f, ctxs
        for j, s in enumerate(flow.get("seed", [])):
            v = s.get("value")
            if isinstance(v, list) and len(v) > 1:
                for k in range(len(v)):
                    f = copy.deepcopy(flow)
                    del f["seed"][j]["value"][k]
                    yield f, ctxs
        used = json.dumps({k: v for k, v in flow.items() if k != "definitions"})
        for name in list(flow.get("definitions", {})):
            if json.dumps(name) not in used:
                f = copy.deepcopy(flow)
                del f["definitions"][name]
                yield f, ctxs


def drop_op(flow, inst):
    f = copy.deepcopy(flow)
    f["operations"].pop(inst, None)
    f.get("flow", {}).pop(inst, None)
    for fl in f.get("flow", {}).values():
        for p, srcs in fl.get("inputs", {}).items():
            fl["inputs"][p] = [s for s in srcs if not mentions(s, inst)] or ["seed"]
        if "conditions" in fl:
            fl["conditions"] = [s for s in fl["conditions"] if not mentions(s, inst)]
    return f


def mentions(src, inst):
    if isinstance(src, dict):
        return inst in src
    if isinstance(src, list):
        return any(mentions(s, inst) for s in src)
    return False


def main():
    ap = argparse.ArgumentParser(description="Shrink a disagreeing flow.")
    ap.add_argument("dir")
    ap.add_argument("--flowc", default=os.path.join(TOP, "build", "flowc"))
    ap.add_argument("--oracle", action="store_true")
    ap.add_argument("--case", default=None)
    ap.add_argument("--grep", default=None, help="keep only reductions whose disagreeing "
                    "output still holds this text")
    a = ap.parse_args()
    shared = difftest.shared_dir()
    flow, ctxs = load(a.dir)
    if "definitions" not in flow:
        sys.exit("reduce.py: give it the linked form (gen.py without --unlinked)")
    r = Reducer(os.path.abspath(a.flowc), a.oracle, shared, a.grep)
    flow, ctxs, modes = r.shrink(flow, ctxs)
    out = os.path.join(a.dir, "reduced")
    write(out, flow, ctxs)
    print("reduce.py: %s disagree(s) on %d operation(s), %d context(s) after %d tries: %s"
          % (", ".join(sorted(modes)), len(flow.get("operations", {})), len(ctxs), r.tries, out))
    if a.case:
        dffml = os.environ.get("DFFML_PATH")
        dest = os.path.join(TOP, "tests", "cases" if dffml else "difftest", a.case)
        write(dest, flow, ctxs)
        if dffml:
            rc, got, err = difftest.sh([sys.executable, os.path.join(shared, "oracle", "dffml_run.py"),
                                        os.path.join(dest, "flow.yaml"),
                                        os.path.join(dest, "inputs.jsonl")], timeout=300)
            if rc != 0:
                print("reduce.py: DFFML has no answer (%s): move %s to tests/difftest"
                      % (err.decode(errors="replace").strip().splitlines()[-1:], dest))
            else:
                open(os.path.join(dest, "expected.jsonl"), "wb").write(got)
                case = {"name": a.case, "description": "TODO: what this case pins down",
                        "semantics": [], "ops": sorted({o["name"] for o in flow["operations"].values()}),
                        "order_insensitive": [], "input_order_sensitive": False,
                        "notes": "Found by tests/randflow (%s disagreed)." % ", ".join(sorted(modes)),
                        "evidence": "DFFML (git e561762d) through ../shared/oracle/dffml_run.py"}
                with open(os.path.join(dest, "case.json"), "w", encoding="utf-8") as f:
                    json.dump(case, f, indent=2)
                    f.write("\n")
        print("reduce.py: wrote %s" % dest)
    shutil.rmtree(r.tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
