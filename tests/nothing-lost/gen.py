#!/usr/bin/env python3
"""gen.py: write the streams of the nothing-lost tests and their expected
output (checked in; this documents why each expected line is what it is).

ints.jsonl  for ints.yaml  (sum = a + b; quot = sum // d; neg = -quot)
rich.jsonl  for rich.yaml  (inc = str_to_int(s) + 1; lit = literal_eval(src))

Failing contexts and lines are interleaved with good ones; every line
gets exactly one output line in input order except blank lines, which
get none.  The last line of ints.jsonl has no newline and must still be
processed.  Messages are not pinned (expect.py ignores them).
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
MAX, MIN = 2**63 - 1, -2**63


def ctx(name, **inputs):
    return json.dumps({'context': name, 'inputs': [
        {'definition': d.replace('__', '.'), 'value': v} for d, v in inputs.items()]},
        ensure_ascii=False)


def ints():
    R = 'negate.outputs.result'
    A = 'add.inputs.a'

    def c(name, a, b, d):
        return ctx(name, add__inputs__a=a, add__inputs__b=b, int_divide__inputs__b=d)
    return [
        (c('ok-1', 7, 3, 2), {'context': 'ok-1', 'results': {R: -5}}),   # (7+3)//2=5
        (c('overflow', MAX, 1, 1), {'context': 'overflow', 'error': {'operation': 'sum'}}),
        (c('ok-2', -7, 0, 2), {'context': 'ok-2', 'results': {R: 4}}),   # -7//2=-4
        (c('div-zero', 1, 1, 0), {'context': 'div-zero', 'error': {'operation': 'quot'}}),
        (c('wrong-type', '7', 3, 2), {'context': 'wrong-type', 'error': {'definition': A}}),
        ('{"context": "malformed", "inputs": [{"definition": "add.inputs.a", "value": 1}',
         {'line': 6, 'error': {}}),
        (ctx('unknown-def', nope=1), {'context': 'unknown-def', 'error': {'definition': 'nope'}}),
        (c('float-for-int', 1.5, 3, 2), {'context': 'float-for-int', 'error': {'definition': A}}),
        ('', None),
        (c('ok-3 \u00fcn\u00efc\u00f6de', 100, -1, -9),                  # 99//-9=-11
         {'context': 'ok-3 \u00fcn\u00efc\u00f6de', 'results': {R: 11}}),
        (c('negate-overflow', MIN + 1, -1, 1),                           # -(-2^63)
         {'context': 'negate-overflow', 'error': {'operation': 'neg'}}),
        ('[1, 2]', {'line': 12, 'error': {}}),
        (json.dumps({'context': 'no-inputs-array', 'inputs': {'a': 1}}), {'line': 13, 'error': {}}),
        (json.dumps({'inputs': []}), {'line': 14, 'error': {}}),
        (c('ok-4-no-newline', 1, 1, 1), {'context': 'ok-4-no-newline', 'results': {R: -2}}),
    ]


def rich():
    S, SRC = 'str_to_int__inputs__s', 'InputStr'
    R, E = 'add.outputs.result', 'EvaluatedStr'
    return [
        (ctx('ok-1', **{S: '41', SRC: "[1, 'two', (3.5, None)]"}),
         {'context': 'ok-1', 'results': {R: 42, E: [1, 'two', [3.5, None]]}}),
        (ctx('bad-number', **{S: 'forty'}), {'context': 'bad-number', 'error': {'operation': 'parse'}}),
        (ctx('bad-literal', **{S: '1', SRC: '[1,'}),
         {'context': 'bad-literal', 'error': {'operation': 'lit'}}),
        (ctx('overflow', **{S: str(MAX)}), {'context': 'overflow', 'error': {'operation': 'inc'}}),
        (ctx('ok-2', **{S: '-1'}), {'context': 'ok-2', 'results': {R: 0}}),
        (ctx('wrong-type', **{S: 41}),
         {'context': 'wrong-type', 'error': {'definition': 'str_to_int.inputs.s'}}),
        ('{"context": "bad-escape", "inputs": [{"definition": "InputStr", "value": "\\u12"}]}',
         {'line': 7, 'error': {}}),
        (ctx('not-a-literal', **{S: '2', SRC: "__import__('os')"}),
         {'context': 'not-a-literal', 'error': {'operation': 'lit'}}),
        ('   \t', None),
        (ctx('ok-3', **{S: '+7', SRC: "'\u00e9'"}), {'context': 'ok-3', 'results': {R: 8, E: '\u00e9'}}),
        ('{"context": "real-overflow", "inputs": [{"definition": "InputStr", "value": 1e400}]}',
         {'line': 11, 'error': {}}),
        ('{"context": "int-too-big", "inputs": [{"definition": "add.inputs.b", "value": 99999999999999999999}]}',
         {'line': 12, 'error': {}}),
        # A backslash before a two-byte character: the parser's message
        # quotes the text near the error; it must stay UTF-8.
        ('{"context": "bad-escape-utf8", "inputs": [{"definition": "InputStr", "value": "\\\u0784"}]}',
         {'line': 13, 'error': {}}),
        (ctx('ok-4', **{S: '0', SRC: '{"k": [True, -0.0]}'}),
         {'context': 'ok-4', 'results': {R: 1, E: {'k': [True, -0.0]}}}),
    ]


def write(name, rows, final_newline):
    with open(os.path.join(HERE, name + '.jsonl'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(r[0] for r in rows) + ('\n' if final_newline else ''))
    with open(os.path.join(HERE, name + '.expected'), 'w', encoding='utf-8') as f:
        for _, e in rows:
            if e is not None:
                f.write(json.dumps(e, ensure_ascii=False) + '\n')


if __name__ == '__main__':
    write('ints', ints(), False)
    write('rich', rich(), True)
