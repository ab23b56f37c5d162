#!/usr/bin/env python3
"""gen.py: write the hostile-name flows, their inputs and expected outputs.

    python3 tests/hostile/gen.py        (rewrites the case folders here)

The files are checked in; this script documents how they were made and
why each expected line is what it is.  Every name below (definitions,
operation instances, get_single renames, contexts) carries the hostile
payload of `h()`: quotes, backslashes, comment delimiters, `#` and `%`,
trigraphs, newlines that would start a `#error` line, C statements that
would declare INJECTED_* symbols if a name ever escaped a string literal
or comment, and non-ASCII text.  Two names are 10 KB long.  The payload
never contains NUL except in the nul-* cases, which pin down what flowc
must do with NUL in names (reject with a diagnostic, or carry the name
through unchanged).

The flow (`names`):

    INEG  negate       DIN -> DNEG
    IDIV  int_divide   DNEG, DDIV -> DQUOT     (floor division)
    ILEN  str_length   DSTR -> DLEN            (code points)
    ICAT  str_concat   DSTR, DSUF -> DCAT      (DSUF is a seed)
    IOUT1 get_single   [{RENAME: DNEG}, DIN]
    IOUT2 get_single   [DQUOT, DLEN, DCAT]

Two output operations both produce, so results are keyed by their
instance names (spec/cli.md, conformance case output_unwrapping).
`names-int` is the same idea with integer operations only, for the HLS
backend (see flow_int).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def h(tag):
    """A name carrying every hostile feature, distinct per tag."""
    return (f'{tag} "q\'uote" back\\slash\\ */ /* // #x # %s%n%%d ??/ ??= ??\' '
            f'\u00e9 \u65e5\u672c\u8a9e \U0001F600 \u2028 tab\there\r'
            f'\n#error INJECTED_{tag}_line\n'
            f'*/ static int INJECTED_{tag}_var; /* '
            f'"); INJECTED_{tag}_call(); ("'
            f' \\')


LONG_DEF = 'L' * 5000 + h('dlen') + 'M' * 5000          # > 10 KB
LONG_INST = 'X' * 10240 + h('len')

DIN, DNEG, DDIV, DQUOT = h('din'), h('dneg'), h('ddiv'), h('dquot')
DSTR, DLEN, DSUF, DCAT = h('dstr'), LONG_DEF, h('dsuf'), h('dcat')
SPEC1, SPEC2, GOUT1, GOUT2 = h('spec1'), h('spec2'), h('gout1'), h('gout2')
INEG, IDIV, ILEN, ICAT = h('neg'), h('div'), LONG_INST, h('cat')
IOUT1, IOUT2 = h('out1'), h('out2')
RENAME = h('rename')
SUFFIX = '"*/\\\n%s\u0000\u00e9 #error INJECTED_value'


def defn(name, prim):
    return {name: {'name': name, 'primitive': prim}}


def flow():
    """The names flow as a manifest (a dict)."""
    defs = {}
    for d, p in [(DIN, 'int'), (DNEG, 'int'), (DDIV, 'int'), (DQUOT, 'int'),
                 (DSTR, 'str'), (DLEN, 'int'), (DSUF, 'str'), (DCAT, 'str'),
                 (SPEC1, 'array'), (SPEC2, 'array'), (GOUT1, 'map'),
                 (GOUT2, 'map')]:
        defs.update(defn(d, p))
    ops = {
        INEG: {'name': 'negate', 'inputs': {'a': DIN}, 'outputs': {'result': DNEG},
               'stage': 'processing'},
        IDIV: {'name': 'int_divide', 'inputs': {'a': DNEG, 'b': DDIV},
               'outputs': {'result': DQUOT}, 'stage': 'processing'},
        ILEN: {'name': 'str_length', 'inputs': {'s': DSTR}, 'outputs': {'result': DLEN},
               'stage': 'processing'},
        ICAT: {'name': 'str_concat', 'inputs': {'a': DSTR, 'b': DSUF},
               'outputs': {'result': DCAT}, 'stage': 'processing'},
        IOUT1: {'name': 'get_single', 'inputs': {'spec': SPEC1},
                'outputs': {'output': GOUT1}, 'stage': 'output'},
        IOUT2: {'name': 'get_single', 'inputs': {'spec': SPEC2},
                'outputs': {'output': GOUT2}, 'stage': 'output'},
    }
    fl = {
        INEG: {'inputs': {'a': ['seed']}},
        IDIV: {'inputs': {'a': [{INEG: 'result'}], 'b': ['seed']}},
        ILEN: {'inputs': {'s': ['seed']}},
        ICAT: {'inputs': {'a': ['seed'], 'b': ['seed']}},
        IOUT1: {'inputs': {'spec': ['seed']}},
        IOUT2: {'inputs': {'spec': ['seed']}},
    }
    seed = [
        {'definition': SPEC1, 'origin': 'seed', 'value': [{RENAME: DNEG}, DIN]},
        {'definition': SPEC2, 'origin': 'seed', 'value': [DQUOT, DLEN, DCAT]},
        {'definition': DSUF, 'origin': 'seed', 'value': SUFFIX},
    ]
    m = {'definitions': defs, 'flow': fl, 'linked': True, 'operations': ops,
         'seed': seed}
    return m


# names-int: integer operations only, so that the HLS backend can build it
# (tests/hostile/run.sh also runs its test bench).
#     ISUM  add         DA, DB -> DSUM
#     IQUOT int_divide  DSUM, DD -> DQ
#     INEG2 negate      DQ -> DN
#     IOUT3 get_single  [{RENAME: DN}, DA]
DA, DB, DD, DSUM, DQ, DN = h('da'), h('db'), h('dd'), h('dsum'), h('dq'), h('dn')
SPEC3, GOUT3 = h('spec3'), h('gout3')
ISUM, IQUOT, INEG2, IOUT3 = h('sum'), h('quot'), 'N' * 10240 + h('neg2'), h('out3')


def flow_int():
    defs = {}
    for d, p in [(DA, 'int'), (DB, 'int'), (DD, 'int'), (DSUM, 'int'), (DQ, 'int'),
                 (DN, 'int'), (SPEC3, 'array'), (GOUT3, 'map')]:
        defs.update(defn(d, p))
    ops = {
        ISUM: {'name': 'add', 'inputs': {'a': DA, 'b': DB}, 'outputs': {'result': DSUM},
               'stage': 'processing'},
        IQUOT: {'name': 'int_divide', 'inputs': {'a': DSUM, 'b': DD},
                'outputs': {'result': DQ}, 'stage': 'processing'},
        INEG2: {'name': 'negate', 'inputs': {'a': DQ}, 'outputs': {'result': DN},
                'stage': 'processing'},
        IOUT3: {'name': 'get_single', 'inputs': {'spec': SPEC3},
                'outputs': {'output': GOUT3}, 'stage': 'output'},
    }
    fl = {
        ISUM: {'inputs': {'a': ['seed'], 'b': ['seed']}},
        IQUOT: {'inputs': {'a': [{ISUM: 'result'}], 'b': ['seed']}},
        INEG2: {'inputs': {'a': [{IQUOT: 'result'}]}},
        IOUT3: {'inputs': {'spec': ['seed']}},
    }
    seed = [{'definition': SPEC3, 'origin': 'seed', 'value': [{RENAME: DN}, DA]}]
    return {'definitions': defs, 'flow': fl, 'linked': True, 'operations': ops,
            'seed': seed}


def cases_int():
    rows = []

    def add(ctx, inputs, expect):
        rows.append(({'context': ctx, 'inputs': [{'definition': d, 'value': v}
                                                 for d, v in inputs]},
                     dict({'context': ctx}, **expect)))

    # (7 + 3) // 2 = 5, negated -5.  One output op: results unwrapped.
    add(h('ctx-ok') + '\u0000nul', [(DA, 7), (DB, 3), (DD, 2)],
        {'results': {RENAME: -5, DA: 7}})
    add(h('ctx-div0'), [(DA, 1), (DB, 1), (DD, 0)], {'error': {'operation': IQUOT}})
    add(h('ctx-overflow'), [(DA, 2**63 - 1), (DB, 1), (DD, 1)],
        {'error': {'operation': ISUM}})
    add(h('ctx-type'), [(DA, 'seven'), (DB, 1), (DD, 1)], {'error': {'definition': DA}})
    rows.append(({'context': h('ctx-unknown'), 'inputs': [{'definition': h('nope'), 'value': 1}]},
                 {'context': h('ctx-unknown'), 'error': {'definition': h('nope')}}))
    # Nothing for DA: add never runs; get_single fails on DN, a long name.
    add(h('ctx-missing'), [(DB, 1), (DD, 1)], {'error': {'operation': IOUT3}})
    # -2^63 // -1 overflows; a 10 KB context name.  (-9 + 0) // 4 = -3 -> 3.
    add('C' * 10240 + h('ctx-long'), [(DA, -9), (DB, 0), (DD, 4)],
        {'results': {RENAME: 3, DA: -9}})
    add(h('ctx-min'), [(DA, -2**63), (DB, 0), (DD, -1)], {'error': {'operation': IQUOT}})
    return rows


def ctx_in(name, **vals):
    ins = [{'definition': d, 'value': v} for d, v in vals.items()]
    return {'context': name, 'inputs': ins}


def cases():
    """(input line, expected line) pairs, derived from the semantics."""
    D = globals().get
    rows = []

    def add(ctx, inputs, expect):
        rows.append(({'context': ctx, 'inputs': [{'definition': D(k), 'value': v}
                                                 for k, v in inputs]},
                     dict({'context': ctx}, **expect)))

    # negate(-9) = 9; 9 // 2 = 4; "é日😀\0*/" has 6 code points.
    s = '\u00e9\u65e5\U0001F600\u0000*/'
    add(h('ctx-ok') + '\u0000nul', [('DIN', -9), ('DDIV', 2), ('DSTR', s)],
        {'results': {IOUT1: {RENAME: 9, DIN: -9},
                     IOUT2: {DQUOT: 4, DLEN: 6, DCAT: s + SUFFIX}}})
    # b == 0: int_divide fails; the context's error names its instance.
    add(h('ctx-div0'), [('DIN', 1), ('DDIV', 0), ('DSTR', '')],
        {'error': {'operation': IDIV}})
    # A definition the flow does not have: an error naming it, no operation.
    rows.append(({'context': h('ctx-unknown'),
                  'inputs': [{'definition': h('nope'), 'value': 1}]},
                 {'context': h('ctx-unknown'), 'error': {'definition': h('nope')}}))
    # A str where DIN (int) is expected: an error naming the definition.
    add(h('ctx-type'), [('DIN', 'nine'), ('DDIV', 1), ('DSTR', '')],
        {'error': {'definition': DIN}})
    # No DIN: negate never runs, so IOUT1's get_single (first in the output
    # stage) fails on its first spec entry, DNEG.  Its message quotes the
    # name; whatever it cuts, the line must stay valid UTF-8.
    add(h('ctx-missing'), [('DDIV', 1), ('DSTR', '')],
        {'error': {'operation': IOUT1}})
    # A 10 KB context name; -10 -> 10; 10 // -3 = -4 (floor); "" has 0.
    add('C' * 10240 + h('ctx-long'), [('DIN', -10), ('DDIV', -3), ('DSTR', '')],
        {'results': {IOUT1: {RENAME: 10, DIN: -10},
                     IOUT2: {DQUOT: -4, DLEN: 0, DCAT: SUFFIX}}})
    return rows


def write(folder, fname, m, rows, fmt):
    d = os.path.join(HERE, folder)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, fname), 'w', encoding='utf-8') as f:
        if fmt == 'json':
            json.dump(m, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write('\n')
        else:
            import yaml
            yaml.safe_dump(m, f, allow_unicode=True, default_flow_style=False,
                           width=1 << 30)
    with open(os.path.join(d, 'inputs.jsonl'), 'w', encoding='utf-8') as f:
        for i, _ in rows:
            f.write(json.dumps(i, ensure_ascii=False) + '\n')
    with open(os.path.join(d, 'expected.jsonl'), 'w', encoding='utf-8') as f:
        for _, e in rows:
            f.write(json.dumps(e, ensure_ascii=False) + '\n')


def main():
    m = flow()
    rows = cases()
    write('names', 'flow.yaml', m, rows, 'yaml')
    write('names-json', 'flow.json', m, rows, 'json')
    write('names-int', 'flow.yaml', flow_int(), cases_int(), 'yaml')
    # NUL inside a definition name and an instance name: flowc must either
    # reject the flow or carry the names unchanged.
    global DIN, INEG, RENAME
    old = (DIN, INEG)
    DIN, INEG = DIN + '\u0000tail', INEG + '\u0000tail'
    m = flow()
    rows = cases()
    write('nul-names', 'flow.json', m, rows, 'json')
    write('nul-names-yaml', 'flow.yaml', m, rows, 'yaml')
    DIN, INEG = old
    # NUL only inside a map key of a seed value (the get_single rename).
    RENAME = RENAME + '\u0000key'
    m = flow()
    rows = cases()
    write('nul-key', 'flow.json', m, rows, 'json')
    return 0


if __name__ == '__main__':
    sys.exit(main())
