#!/usr/bin/env python3
"""Generate inputs.jsonl for a flow of the benchmark ladder.

    gen_inputs.py BENCH N [--seed S] > inputs.jsonl

The four conformance bench flows (text_wordcount, numeric_conditions,
record_mapping, fanout_expand) use the shared generator,
$FLOWC_SHARED/conformance/bench/gen_inputs.py (FLOWC_SHARED defaults to
../shared next to the checkout; without either it stops), unchanged: the same
contexts, byte for byte.  This script adds the ladder's own flows under
bench/flows/ with the same deterministic generator (its private LCG).
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def shared_dir():
    env = os.environ.get("FLOWC_SHARED")
    if env:
        return env
    sibling = os.path.join(HERE, "..", "..", "shared")
    if os.path.isdir(os.path.join(sibling, "conformance")):
        return sibling
    sys.exit("%s: the shared tree (specs, conformance corpus) is neither ../shared next to "
             "the checkout nor named by FLOWC_SHARED; set FLOWC_SHARED=/path/to/shared" % sys.argv[0])


def load_shared():
    path = os.path.join(shared_dir(), "conformance", "bench", "gen_inputs.py")
    spec = importlib.util.spec_from_file_location("shared_gen_inputs", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def empty_op(rng, i):
    """bench/flows/empty_op: one integer v00 for the negate chain."""
    return [{"definition": "v00", "value": rng.between(-10**9, 10**9)}]


def main():
    gen = load_shared()
    gen.GENERATORS["empty_op"] = empty_op
    gen.main()


if __name__ == "__main__":
    sys.exit(main())
