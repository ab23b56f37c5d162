#!/usr/bin/env python3
"""Expected results of a flow whose one output operation is remap.

    DFFML_PATH=DIR python3 tests/dffml/remap_expected.py FLOW.yaml INPUTS.jsonl

DFFML 0.4.0's remap never returns (its sub-orchestrator waits for the
context it is running in), so DFFML cannot run such a flow.  This script
asks DFFML for the parts remap is made of: it replaces the remap instance
by the output operations of its config dataflow (with that dataflow's
seeds), runs the flow with DFFML (the oracle's runner), and walks each
context's result with DFFML's own traverse_get, as remap's code does.
"""
import copy
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.environ["DFFML_PATH"])
sys.path.insert(0, os.environ.get("FLOWC_ORACLE", "/work/shared/oracle"))

import yaml  # noqa: E402
import runner  # noqa: E402
from dffml.util.data import traverse_get  # noqa: E402


def split(flow):
    """(flow with remap's sub-flow in its place, remap spec, instance)."""
    flow = copy.deepcopy(flow)
    (inst, op), = [(k, v) for k, v in flow["operations"].items()
                   if v["name"] in ("remap", "dffml.operation.output:remap")]
    sub = flow["configs"].pop(inst)["dataflow"]
    spec_def = op["inputs"]["spec"]
    spec = [s["value"] for s in flow["seed"] if s["definition"] == spec_def][0]
    flow["seed"] = [s for s in flow["seed"] if s["definition"] != spec_def]
    del flow["operations"][inst]
    if "flow" in flow:
        flow["flow"].pop(inst, None)
    flow["definitions"].update(sub["definitions"])
    flow["operations"].update(sub["operations"])
    if "flow" in flow:
        flow["flow"].update({k: {"inputs": {p: ["seed"] for p in v["inputs"]}}
                             for k, v in sub["operations"].items()})
    flow["seed"] += [dict(s, origin=s.get("origin", "seed")) for s in sub["seed"]]
    return flow, spec, inst


def main():
    whole = yaml.safe_load(open(sys.argv[1]))
    flow, spec, inst = split(whole)
    sub_ops = whole["configs"][inst]["dataflow"]["operations"]
    dataflow = runner.load_flow(yaml.dump(flow))
    contexts = [(r["context"], r["inputs"])
                for r in map(json.loads, open(sys.argv[2])) if r]
    records, _ = runner.run_contexts(dataflow, contexts)
    for rec in records:
        if "results" in rec:
            try:
                rec["results"] = {k: traverse_get(rec["results"], *v)
                                  for k, v in spec.items()}
            except (KeyError, IndexError, TypeError):
                rec = {"context": rec["context"], "error": {"operation": inst}}
        elif rec["error"]["operation"] in sub_ops:
            rec["error"]["operation"] = inst    # raised inside remap
        print(json.dumps(rec, ensure_ascii=False))


main()
