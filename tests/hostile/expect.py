#!/usr/bin/env python3
"""expect.py EXPECTED.jsonl ACTUAL.jsonl: compare a run's output with what
the hardening tests expect (used by tests/hostile, tests/limits and
tests/nothing-lost).

Both files are JSON Lines, compared line by line and in order.  Values
must be equal with their JSON types (1 is not 1.0 nor true) and strings
byte for byte, so names round-trip exactly; object member order is
ignored.  Every output line must be valid UTF-8 (as json.dumps writes).  The one freedom: an expected "error" object that has no
"message" lets the actual one carry any message (messages are the
implementation's wording, not semantics).  An expected line
{"line": N, "error": {}} matches the driver's error for input line N.

Prints one line per difference; exit status 0 when equal, 1 otherwise.
"""
import json
import sys


def tag(v):
    """A comparable form that keeps JSON types apart."""
    if isinstance(v, bool) or v is None:
        return ('lit', v)
    if isinstance(v, int):
        return ('int', v)
    if isinstance(v, float):
        return ('float', v.hex())
    if isinstance(v, str):
        return ('str', v)
    if isinstance(v, list):
        return ('list', tuple(tag(x) for x in v))
    return ('map', tuple(sorted((k, tag(x)) for k, x in v.items())))


def loosen(want, got):
    """Drop the actual error's extra members the expectation leaves open."""
    if isinstance(want, dict) and isinstance(got, dict) and \
            isinstance(want.get('error'), dict) and isinstance(got.get('error'), dict):
        e = dict(got['error'])
        if 'message' not in want['error']:
            e.pop('message', None)
        got = dict(got, error=e)
    return got


def short(s, n=160):
    return s if len(s) <= n else s[:n] + '... (%d chars)' % len(s)


def where(want, got, path=''):
    """The JSON Pointer of the first difference, and the two values there."""
    if isinstance(want, dict) and isinstance(got, dict):
        for k in sorted(set(want) | set(got)):
            p = path + '/' + k.replace('~', '~0').replace('/', '~1')
            if k not in got or k not in want:
                return p, want.get(k, '(absent)'), got.get(k, '(absent)')
            if tag(want[k]) != tag(got[k]):
                return where(want[k], got[k], p)
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for i, (a, b) in enumerate(zip(want, got)):
            if tag(a) != tag(b):
                return where(a, b, '%s/%d' % (path, i))
    return path or '/', want, got


def main(argv):
    sys.setrecursionlimit(20000)        # values may be thousands deep
    if len(argv) != 3:
        print(__doc__.split('\n')[0], file=sys.stderr)
        return 2
    with open(argv[1], encoding='utf-8') as f:
        want = [json.loads(x) for x in f if x.strip()]
    with open(argv[2], 'rb') as f:
        raw = f.read().split(b'\n')
    if raw and raw[-1] == b'':
        raw.pop()
    else:
        print('output does not end with a newline' if raw else 'no output')
        if not raw:
            return 1 if want else 0
    bad = 0
    for i, line in enumerate(raw):
        try:
            line = line.decode('utf-8')
        except UnicodeDecodeError as e:
            print('line %d: not UTF-8 at byte %d: %r' % (i + 1, e.start, line[max(0, e.start - 40):e.start + 8]))
            bad += 1
            line = line.decode('utf-8', errors='replace')
        try:
            got = json.loads(line)
        except ValueError as e:
            print('line %d: not JSON (%s): %s' % (i + 1, e, short(line)))
            bad += 1
            continue
        if i >= len(want):
            print('line %d: unexpected: %s' % (i + 1, short(line)))
            bad += 1
            continue
        got = loosen(want[i], got)
        if tag(want[i]) != tag(got):
            p, a, b = where(want[i], got)
            print('line %d at %s: expected %s, got %s' % (
                i + 1, short(p), short(json.dumps(a, ensure_ascii=True)),
                short(json.dumps(b, ensure_ascii=True))))
            bad += 1
    for i in range(len(raw), len(want)):
        print('line %d: missing: %s' % (i + 1, short(json.dumps(want[i]))))
        bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
