#!/usr/bin/env python3
"""Differential runs of random flows: every flowc mode must agree.

    difftest.py [--seed S] [--count N] [--jobs J] [--flowc PATH]
                [--keep DIR] [--no-hls] [--rtl] [--reduce] [--oracle]
                [--gen-args ARGS]

Flow i is gen.py's flow for seed S+i.  Each goes through `flowc check`
(a flow it refuses is counted, not run), then `flowc run`, compiled -O0,
compiled -O2 and, where the flow is eligible, the HLS test bench (and with
--rtl the RTL test bench through Icarus Verilog, with and without random
back-pressure); every
output must be byte-identical to the interpreter's, error lines and exit
status included.  A disagreement is kept under DIR/seed-N (flow, inputs,
each mode's output) and, with --reduce, shrunk by reduce.py.

--oracle runs the flows through DFFML itself instead (DFFML_PATH must name
a DFFML source tree, see ../shared/oracle/README.md), with gen.py
--oracle-safe: a context is compared exactly when no gathering step of the
interpreter saw 4 or more permutations (`flowc run --trace`), as
multisets otherwise; DFFML's error lines name only the operation.

Prints one line per disagreement and a summary; exits 1 if any.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

# Contexts compared with DFFML: exactly, as multisets, or not at all (a
# gathering of 4 or more permutations whose order changed values further on).
CTX = {"exact": 0, "multiset": 0, "unordered": 0, "outside": 0}
CTX_LOCK = threading.Lock()

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))


def shared_dir():
    d = os.environ.get("FLOWC_SHARED") or os.path.join(os.path.dirname(TOP), "shared")
    if not os.path.isdir(d):
        sys.exit("difftest.py: no ../shared next to the checkout; set FLOWC_SHARED")
    return d


def sh(cmd, timeout=120, env=None, stdin=None):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, stdin=stdin)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return "timeout", b"", b""


def generate(seed, d, gen_args, oracle):
    args = [sys.executable, os.path.join(HERE, "gen.py"), str(seed), d] + gen_args
    if seed % 3 == 0 and not any(x.startswith("--features") for x in gen_args):
        args.append("--features=hls")
    if oracle:
        args.append("--oracle-safe")
    rc, out, err = sh(args)
    if rc != 0:
        raise RuntimeError("gen.py %d: %s" % (seed, err.decode()))
    return out.decode().strip()


def run_modes(flowc, flow, inputs, d, hls, cflags, rtl=False):
    """{mode: (exit status, stdout)}; None for a mode that does not apply."""
    env = dict(os.environ, FLOWC_CFLAGS=cflags)
    res = {}
    res["interp"] = sh([flowc, "run", flow, "-i", inputs])[:2]
    for o in ("0", "2"):
        exe = os.path.join(d, "x" + o)
        rc, _, err = sh([flowc, "build", "-O" + o, flow, "-o", exe], env=env)
        if rc != 0:
            res["-O" + o] = ("build failed", err)
            continue
        res["-O" + o] = sh([exe, "-i", inputs])[:2]
    if hls:
        h = os.path.join(d, "hls")
        rc, _, err = sh([flowc, "build", flow, "--target=hls", "-o", h], env=env)
        if rc == 0:
            rc, _, err = sh(["make", "-s", "-C", h, "CFLAGS=" + cflags + " -Wno-unknown-pragmas"])
            if rc != 0:
                res["hls"] = ("make failed", err)
            else:
                res["hls"] = sh([os.path.join(h, "tb"), "-i", inputs])[:2]
        elif b"cannot build for HLS" not in err:
            res["hls"] = ("build failed", err)
    if rtl:
        h = os.path.join(d, "rtl")
        rc, _, err = sh([flowc, "build", flow, "--target=verilog", "-o", h], env=env)
        if rc == 0:
            rc, _, err = sh(["make", "-s", "-C", h, "iverilog", "CFLAGS=" + cflags])
            if rc != 0:
                res["rtl"] = ("make failed", err)
            else:
                res["rtl"] = sh([os.path.join(h, "tb-iverilog"), "-i", inputs])[:2]
                bp = sh([os.path.join(h, "tb-iverilog"), "-i", inputs],
                        env=dict(os.environ, FLOWC_RTL_BP="5"))[:2]
                if bp != res["rtl"]:
                    res["rtl back-pressure"] = bp
        elif b"cannot build for " not in err:
            res["rtl"] = ("build failed", err)
    return res


def max_perms(flowc, flow, inputs):
    """{context: largest gathering} from the interpreter's --trace."""
    _, _, err = sh([flowc, "run", "--trace", flow, "-i", inputs])
    most, ctx = {}, None
    for line in err.decode(errors="replace").splitlines():
        m = re.match(r"flowrt: context (.*)$", line)
        if m:
            ctx = m.group(1)
            most.setdefault(ctx, 0)
            continue
        m = re.match(r"flowrt: gather .*: (\d+) permutation", line)
        if m and ctx is not None:
            most[ctx] = max(most[ctx], int(m.group(1)))
    return most


def canon(v):
    if isinstance(v, list):
        return sorted((canon(x) for x in v), key=lambda x: json.dumps(x, sort_keys=True))
    if isinstance(v, dict):
        return {k: canon(x) for k, x in v.items()}
    return v


def outside_contract(flow, rec):
    """Did flowc's error line come from DFFML's multiply overflowing int64?
    Python's ints grow without bound there and flowc raises: outside the
    contract (spec/stdlib-ops.md, multiply), so such a context is not
    compared."""
    err = (rec or {}).get("error") or {}
    if "overflow" not in str(err.get("message", "")):
        return False
    try:
        text = open(flow).read()
        ops = json.loads(text)["operations"] if flow.endswith(".json") else None
    except (OSError, ValueError, KeyError):
        return False
    if ops is None:
        import yaml
        ops = (yaml.safe_load(text) or {}).get("operations", {})
    op = ops.get(err.get("operation"), {})
    return isinstance(op, dict) and op.get("name") == "multiply"


def records(text):
    out = {}
    for line in text.decode(errors="replace").splitlines():
        if line.strip():
            r = json.loads(line)
            if "error" in r:
                r["error"] = {"operation": r["error"].get("operation")}
            out[r.get("context")] = r
    return out


def oracle_flow(flow, d):
    """The flow as dffml_run.py should read it.  It reads every flow with
    yaml.safe_load, where DFFML reads a JSON flow with json.loads (its JSON
    config loader), and the two differ: YAML 1.1 has no float without a
    '.', so a JSON 1e+300 would reach DFFML as the string "1e+300" (seed
    880224).  A JSON flow goes to it as YAML written from its JSON."""
    if not flow.endswith(".json"):
        return flow
    import yaml
    y = os.path.join(d, "flow.oracle.yaml")
    with open(flow) as f, open(y, "w") as g:
        yaml.safe_dump(json.load(f), g, sort_keys=False)
    return y


def oracle_compare(flowc, flow, inputs, d, shared):
    """None when DFFML agrees, else a description; 'skip: ...' when DFFML
    has no answer (it crashed the whole run)."""
    rc, out, err = sh([sys.executable, os.path.join(shared, "oracle", "dffml_run.py"),
                       oracle_flow(flow, d), inputs], timeout=300)
    if rc != 0:
        return "skip: DFFML failed the whole run (%s)" % err.decode(errors="replace").strip().splitlines()[-1:]
    open(os.path.join(d, "dffml.jsonl"), "wb").write(out)
    mine = sh([flowc, "run", flow, "-i", inputs])[1]
    a, b = records(out), records(mine)
    full = {}
    for line in mine.decode(errors="replace").splitlines():
        if line.strip():
            r = json.loads(line)
            full[r.get("context")] = r
    most = max_perms(flowc, flow, inputs)
    bad = []
    for ctx in set(a) | set(b):
        x, y = a.get(ctx), b.get(ctx)
        if x != y and outside_contract(flow, full.get(ctx)):
            how = "outside"
        elif most.get(ctx, 0) < 4:
            how = "exact"
            if x != y:
                bad.append("context %s: DFFML %s, flowc %s" % (ctx, json.dumps(x), json.dumps(y)))
        elif x == y or canon(x) == canon(y):
            how = "multiset"
        else:
            how = "unordered"   # DFFML's order decides values further on too
        with CTX_LOCK:
            CTX[how] += 1
    return "; ".join(bad) or None


def one(seed, a, shared):
    d = os.path.join(a.work, "seed-%d" % seed)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    flow = generate(seed, d, a.gen_args, a.oracle)
    inputs = os.path.join(d, "inputs.jsonl")
    rc, _, err = sh([a.flowc, "check", flow])
    if rc != 0:
        shutil.rmtree(d, ignore_errors=True)
        return seed, "refused", None, set()
    if a.oracle:
        why = oracle_compare(a.flowc, flow, inputs, d, shared)
        if why and why.startswith("skip"):
            shutil.rmtree(d, ignore_errors=True)
            return seed, "skipped", why, set()
        status = "agree" if why is None else "disagree"
        if status == "agree":
            shutil.rmtree(d, ignore_errors=True)
        return seed, status, why, set()
    res = run_modes(a.flowc, flow, inputs, d, not a.no_hls, a.cflags, a.rtl)
    ref = res["interp"]
    bad = [m for m, r in res.items() if r != ref]
    modes = set(res)
    if not bad:
        shutil.rmtree(d, ignore_errors=True)
        return seed, "agree", None, modes
    for m, r in res.items():
        open(os.path.join(d, m.strip("-") + ".out"), "wb").write(
            (str(r[0]) + "\n").encode() + (r[1] or b""))
    return seed, "disagree", ", ".join(bad), modes


def main():
    ap = argparse.ArgumentParser(description="Random flows through every flowc mode.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--flowc", default=os.path.join(TOP, "build", "flowc"))
    ap.add_argument("--keep", default=None, help="where disagreements go (default: a temporary folder)")
    ap.add_argument("--no-hls", action="store_true")
    ap.add_argument("--rtl", action="store_true", help="also the RTL target, through Icarus Verilog")
    ap.add_argument("--reduce", action="store_true")
    ap.add_argument("--oracle", action="store_true")
    ap.add_argument("--cflags", default=os.environ.get("FLOWC_CFLAGS") or "-O1",
                    help="C compiler flags for compiled modes (default: FLOWC_CFLAGS, else -O1; "
                         "make check SANITIZE=1 sets it)")
    ap.add_argument("--gen-args", default="", help="extra gen.py arguments, space-separated")
    a = ap.parse_args()
    a.gen_args = a.gen_args.split()
    a.flowc = os.path.abspath(a.flowc)
    shared = shared_dir()
    if a.oracle and not os.environ.get("DFFML_PATH"):
        print("difftest.py: --oracle needs DFFML_PATH (a DFFML source tree, "
              "see %s/oracle/README.md); skipped" % shared)
        return 0
    tmp = tempfile.mkdtemp(prefix="flowc-difftest.")
    a.work = a.keep or tmp
    os.makedirs(a.work, exist_ok=True)
    counts = {"agree": 0, "disagree": 0, "refused": 0, "skipped": 0}
    modes = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = [ex.submit(one, s, a, shared) for s in range(a.seed, a.seed + a.count)]
        for f in concurrent.futures.as_completed(futs):
            seed, status, why, ms = f.result()
            counts[status] += 1
            for m in ms:
                modes[m] = modes.get(m, 0) + 1
            if status == "disagree":
                print("seed %d: %s" % (seed, why), flush=True)
                if a.reduce:
                    d = os.path.join(a.work, "seed-%d" % seed)
                    subprocess.run([sys.executable, os.path.join(HERE, "reduce.py"), d,
                                    "--flowc", a.flowc] + (["--oracle"] if a.oracle else []))
    ran = counts["agree"] + counts["disagree"]
    what = "DFFML" if a.oracle else "interpreter, " + ", ".join(
        "%s %d" % (m, modes.get(m, 0)) for m in ("-O0", "-O2", "hls") + (("rtl",) if a.rtl else ()))
    print("difftest: seeds %d..%d: %d flows run (%s), %d refused by flowc check, "
          "%d skipped, %d disagreements" % (a.seed, a.seed + a.count - 1, ran, what,
                                             counts["refused"], counts["skipped"],
                                             counts["disagree"]))
    if a.oracle:
        print("difftest: contexts compared with DFFML: %d exactly, %d as multisets, "
              "%d not compared (DFFML's own order varies), %d outside the contract "
              "(multiply beyond int64)" % (CTX["exact"], CTX["multiset"], CTX["unordered"],
                                           CTX["outside"]))
    if counts["disagree"]:
        print("difftest: kept in %s" % a.work)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if counts["disagree"] else 0


if __name__ == "__main__":
    sys.exit(main())
