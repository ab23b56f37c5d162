#!/usr/bin/env python3
"""Make more contexts out of a JSON Lines input file, for differential
tests (interpreter vs compiled): every context is kept and followed by
K variants that duplicate, drop, reorder or perturb its inputs, so that
flows see several values per definition, missing values, extreme values
and wrong types.  Deterministic for a given --seed.

    mutate.py INPUTS.jsonl [--variants K] [--seed S] > OUT.jsonl
"""
import argparse
import json
import random
import sys

EXTREME_INTS = [0, 1, -1, 7, 2**63 - 1, -2**63, 2**53 + 1, 1000000]
EXTREME_FLOATS = [0.0, -0.0, 0.5, -1.5, 1e308, 5e-324, 2.675, 123456.789]
STRINGS = ["", " ", "a", "Straße", "😀", "a,b,,c", "  two  words ", "007", "-0", "x" * 50]


def perturb(value, rng):
    if isinstance(value, bool):
        return rng.choice([True, False, None, 0])
    if isinstance(value, int):
        return rng.choice(EXTREME_INTS + [value + 1, -value, str(value)])
    if isinstance(value, float):
        return rng.choice(EXTREME_FLOATS + [int(value) if abs(value) < 1e18 else 1])
    if isinstance(value, str):
        return rng.choice(STRINGS + [value.upper(), value + value, value[::-1]])
    if isinstance(value, list):
        choice = rng.randrange(4)
        if choice == 0:
            return []
        if choice == 1:
            return value + value[:2]
        if choice == 2:
            return list(reversed(value))
        return [perturb(v, rng) for v in value]
    if isinstance(value, dict):
        if value and rng.randrange(2):
            k = rng.choice(list(value))
            out = dict(value)
            out[k] = perturb(value[k], rng)
            return out
        return {}
    return value


def variant(inputs, defs, rng):
    out = [dict(x) for x in inputs]
    for _ in range(rng.randrange(1, 3)):
        kind = rng.randrange(6)
        if kind == 0 and out:
            out.append(dict(rng.choice(out)))                   # a value twice
        elif kind == 1 and out:
            out.pop(rng.randrange(len(out)))                    # a value missing
        elif kind == 2 and len(out) > 1:
            rng.shuffle(out)                                    # another order
        elif kind == 3 and out:
            x = rng.choice(out)
            x["value"] = perturb(x["value"], rng)               # another value
        elif kind == 4 and out:
            x = dict(rng.choice(out))
            x["value"] = perturb(x["value"], rng)
            out.append(x)                                       # a second, different value
        elif kind == 5 and defs:
            d = rng.choice(defs)
            out.append({"definition": d[0], "value": perturb(d[1], rng)})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inputs")
    ap.add_argument("--variants", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    rows = [json.loads(l) for l in open(args.inputs, encoding="utf-8") if l.strip()]
    defs = [(x["definition"], x["value"]) for r in rows for x in r.get("inputs", [])]
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
        for k in range(args.variants):
            v = {"context": "%s~%d" % (r["context"], k), "inputs": variant(r.get("inputs", []), defs, rng)}
            print(json.dumps(v, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
