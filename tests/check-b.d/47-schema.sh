#!/bin/sh
# section: flowc schema: JSON Schema of each flow's input and output lines
#
# For every conformance case ($SHARED/conformance/cases) and every case
# of our own (tests/cases), `flowc schema --input` and `--output` must be
# valid draft 2020-12 schemas (python3-jsonschema); every line of the
# case's inputs.jsonl that the runtime takes (its output line is not a
# line error or a definition error) must validate against the first, and
# every line of its expected.jsonl (the corpus leaves error messages out:
# an empty one is put in) and of `flowc run`'s actual output against the
# second; mutated lines must not: an
# input line without "context", an input value of the wrong type (for a
# typed definition), an output line with an extra key, with "results"
# of the wrong type, or with a result key no output operation gives
# (where the schema knows the keys).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

python3 - "$SHARED/conformance/cases" tests/cases <<'PYEOF'
import copy, json, os, subprocess, sys
from jsonschema import Draft202012Validator

F = "build/flowc"
passed = failed = 0
counts = {"inputs": 0, "outputs": 0, "mutants": 0, "closed": 0}


def ok(name):
    pass            # counted per case below


def bad(name, why):
    global failed
    failed += 1
    print("FAIL %s: %s" % (name, why))


def schema(flow, which):
    p = subprocess.run([F, "schema", flow, which], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.strip())
    s = json.loads(p.stdout)
    Draft202012Validator.check_schema(s)
    return Draft202012Validator(s)


def lines(path):
    if not os.path.exists(path):
        return []
    out = []
    for n, text in enumerate(open(path, encoding="utf-8"), 1):
        try:
            out.append((n, json.loads(text)))
        except ValueError:
            pass            # a malformed line on purpose: no JSON to validate
    return out


def mutants_in(line, flowdefs):
    """(what, mutated line) for an input line."""
    m = dict(line)
    m.pop("context", None)
    yield "no context", m
    m = dict(line, context=7)
    yield "context not a string", m
    for i, e in enumerate(line.get("inputs") or []):
        t = flowdefs.get(e.get("definition"))
        wrong = {"integer": "x", "number": "x", "string": 1, "boolean": 0, "array": {},
                 "object": [], "null": 0}.get(t)
        if isinstance(e, dict) and wrong is not None:
            m = copy.deepcopy(line)
            m["inputs"][i]["value"] = wrong
            yield "input %d of the wrong type" % i, m
            break


def mutants_out(line):
    yield "extra key", dict(line, extra=1)
    m = dict(line)
    m.pop("context", None)
    if "results" in line:
        yield "no context", m
        yield "results not an object", dict(line, results=[])
    if "error" in line:
        yield "error without message", dict(line, error={})


def typed_defs(v):
    """{definition: JSON type} from the input schema's if/then list."""
    items = v.schema["properties"]["inputs"]["items"]
    out = {}
    for c in (items.get("allOf", []) if isinstance(items, dict) else []):
        out[c["if"]["properties"]["definition"]["const"]] = c["then"]["properties"]["value"].get("type")
    return out


def closed(s):
    """Does results schema alternative s fix its keys?"""
    return isinstance(s, dict) and s.get("additionalProperties") is False and s.get("properties")


for root in sys.argv[1:]:
    for case in sorted(os.listdir(root)):
        d = os.path.join(root, case)
        flow = next((os.path.join(d, f) for f in ("flow.yaml", "flow.json", "flow.yml")
                     if os.path.exists(os.path.join(d, f))), None)
        if not flow:
            continue
        name = "%s/%s" % (os.path.basename(root), case)
        try:
            vin, vout = schema(flow, "--input"), schema(flow, "--output")
        except Exception as e:
            bad(name + " schema", e)
            continue
        before = failed
        defs = typed_defs(vin)
        inp = os.path.join(d, "inputs.jsonl")
        actual = subprocess.run([F, "run", flow, "-i", inp], capture_output=True, text=True).stdout
        answers = [json.loads(t) for t in actual.splitlines()]
        answer = {}
        for a in answers:
            answer[a.get("line")] = a
        raw = [t for t in open(inp, encoding="utf-8")] if os.path.exists(inp) else []
        k = 0
        for n, line in lines(inp):
            counts["inputs"] += 1
            # the runtime's answer to this line: a line error by number,
            # else the next context answer in order
            while k < len(answers) and "line" in answers[k] and answers[k]["line"] < n:
                k += 1
            a = answers[k] if k < len(answers) else {}
            if a.get("line") == n:
                taken = False
            else:
                taken = "definition" not in a.get("error", {})
            k += 1
            valid = vin.is_valid(line)
            if valid != taken:
                bad("%s inputs.jsonl:%d" % (name, n), "schema says %s, the runtime %s: %s" % (
                    "valid" if valid else next(vin.iter_errors(line)).message[:150],
                    "takes it" if taken else "refuses it", json.dumps(a)[:150]))
                continue
            ok(name)
            if not valid:
                continue
            for what, m in mutants_in(line, defs):
                counts["mutants"] += 1
                if vin.is_valid(m):
                    bad("%s inputs.jsonl:%d %s" % (name, n, what), "accepted")
                else:
                    ok(name)
        outs = [(n, l, "expected.jsonl") for n, l in lines(os.path.join(d, "expected.jsonl"))]
        outs += [(n, l, "flowc run") for n, l in enumerate(answers, 1)]
        for n, line, src in outs:
            counts["outputs"] += 1
            if isinstance(line.get("error"), dict) and "message" not in line["error"]:
                line["error"]["message"] = ""
            err = next(vout.iter_errors(line), None)
            if err is not None:
                bad("%s %s:%d" % (name, src, n), "%s at %s" % (err.message[:200], list(err.absolute_path)))
                continue
            ok(name)
            for what, m in mutants_out(line):
                counts["mutants"] += 1
                if vout.is_valid(m):
                    bad("%s %s:%d %s" % (name, src, n, what), "accepted")
                else:
                    ok(name)
            res = line.get("results")
            alts = vout.schema["oneOf"][0]["properties"]["results"]["anyOf"]
            if isinstance(res, dict) and res and all(closed(a) or a.get("maxProperties") == 0 for a in alts):
                counts["mutants"] += 1
                counts["closed"] += 1
                if vout.is_valid(dict(line, results=dict(res, zz_not_a_key=1))):
                    bad("%s %s:%d extra result key" % (name, src, n), "accepted")
                else:
                    ok(name)
        if failed == before:
            passed += 1
            print("PASS %s" % name)
print("PASS schemas: %(inputs)d input lines, %(outputs)d output lines, %(mutants)d mutants "
      "(%(closed)d with a result key no output operation gives)" % counts)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PYEOF
