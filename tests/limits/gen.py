#!/usr/bin/env python3
"""gen.py KIND N: write one generated input of the limits tests to stdout.

Manifests (flows on product.yaml's and echo.yaml's shapes):
  deep-yaml N        echo flow whose seed value is N flow-style lists deep
  deep-yaml-block N  N block mappings deep (indentation: N^2 bytes)
  deep-yaml-compact N  N block sequences deep, compact ("- - - 1")
  deep-json N        the echo flow as JSON with the N-deep seed value
  laughs N           YAML aliases: N levels of ten references each
                     (10^N nodes once expanded, a "billion laughs")
  chain N            N negate operations in a chain (x -> x1 -> ... -> xN)
  subflows N         (JSON) dffml.dataflow.run nested N deep around an add
                     flow; with `subflows-input N`, its one context
  typos N            (JSON) N definitions with 5000-byte names and N
                     operations naming each with a one-byte typo

JSON Lines inputs (one context per line, for echo.yaml unless said):
  deep-line N        a context whose `value` is N arrays deep
  deep-literal N     a context whose literal_eval source is N lists deep
  long-line N        a context whose string `s` is N bytes long
  product N          product.yaml: N values of a and N of b in one context
"""
import json
import sys

ECHO = open(__file__.replace('gen.py', 'echo.yaml')).read()


def ctx(name, **inputs):
    return json.dumps({'context': name, 'inputs': [
        {'definition': d, 'value': v} for d, v in inputs.items()]})


def nested(n, inner='1'):
    return '[' * n + inner + ']' * n


def echo_with_seed(value_text):
    """echo.yaml with one more seed: `value` set to the given YAML text."""
    return ECHO + '- definition: value\n  origin: seed\n  value: ' + value_text + '\n'


def main(argv):
    kind, n = argv[1], int(argv[2])
    out = sys.stdout
    if kind == 'deep-yaml':
        out.write(echo_with_seed(nested(n)))
    elif kind == 'deep-yaml-block':
        out.write(echo_with_seed(''.join('\n' + '  ' * (i + 2) + 'k:' for i in range(n)) + ' 1'))
    elif kind == 'deep-yaml-compact':
        out.write(echo_with_seed('\n    ' + '- ' * n + '1'))
    elif kind == 'deep-json':
        import yaml
        m = yaml.safe_load(ECHO)
        m['seed'].append({'definition': 'value', 'origin': 'seed', 'value': '@DEEP@'})
        out.write(json.dumps(m, indent=1).replace('"@DEEP@"', nested(n)) + '\n')
    elif kind == 'laughs':
        levels = ['&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]']
        for i in range(1, n + 1):
            levels.append('&a%d [%s]' % (i, ', '.join(['*a%d' % (i - 1)] * 10)))
        out.write(echo_with_seed('[' + ', '.join(levels) + ']'))
    elif kind == 'chain':
        d = ['linked: true', 'definitions:']
        for i in range(n + 1):
            d += ['  x%d:' % i, '    name: x%d' % i, '    primitive: int']
        d += ['  spec:', '    name: spec', '    primitive: array',
              '  out:', '    name: out', '    primitive: map', 'operations:']
        for i in range(1, n + 1):
            d += ['  n%d:' % i, '    name: negate', '    inputs:', '      a: x%d' % (i - 1),
                  '    outputs:', '      result: x%d' % i]
        d += ['  get:', '    name: get_single', '    stage: output', '    inputs:',
              '      spec: spec', '    outputs:', '      output: out',
              'seed:', '- definition: spec', '  value: [x%d]' % n]
        out.write('\n'.join(d) + '\n')
    elif kind in ('subflows', 'subflows-input'):
        spec = lambda d: {'name': d, 'primitive': 'array'}   # noqa: E731
        out_map = lambda d: {'name': d, 'primitive': 'map'}  # noqa: E731
        m = {'linked': True,
             'definitions': {'a': {'name': 'a', 'primitive': 'int'},
                             'b': {'name': 'b', 'primitive': 'int'},
                             'sum': {'name': 'sum', 'primitive': 'int'},
                             'spec': spec('spec'), 'out': out_map('out')},
             'operations': {'add': {'name': 'add', 'inputs': {'a': 'a', 'b': 'b'},
                                    'outputs': {'result': 'sum'}},
                            'get': {'name': 'get_single', 'stage': 'output',
                                    'inputs': {'spec': 'spec'}, 'outputs': {'output': 'out'}}},
             'seed': [{'definition': 'spec', 'origin': 'seed', 'value': ['sum']}]}
        value = [{'definition': 'a', 'value': 1}, {'definition': 'b', 'value': 2}]
        for _ in range(n):
            m = {'linked': True,
                 'configs': {'run': {'dataflow': m}},
                 'definitions': {'flow_inputs': {'name': 'flow_inputs', 'primitive': 'Dict[str,Any]'},
                                 'flow_results': {'name': 'flow_results', 'primitive': 'Dict[str,Any]'},
                                 'spec': spec('spec'), 'out': out_map('out')},
                 'operations': {'run': {'name': 'dffml.dataflow.run',
                                        'inputs': {'inputs': 'flow_inputs'},
                                        'outputs': {'results': 'flow_results'}},
                                'get': {'name': 'get_single', 'stage': 'output',
                                        'inputs': {'spec': 'spec'},
                                        'outputs': {'output': 'out'}}},
                 'seed': [{'definition': 'spec', 'origin': 'seed', 'value': ['flow_results']}]}
            value = [{'definition': 'flow_inputs', 'value': {'c': value}}]
        if kind == 'subflows':
            out.write(json.dumps(m, indent=1) + '\n')
        else:
            out.write(json.dumps({'context': 'top', 'inputs': value}) + '\n')
    elif kind == 'typos':
        defs, ops = {}, {}
        for i in range(n):
            name = 'd%03d' % i + 'x' * 5000
            defs[name] = {'name': name, 'primitive': 'int'}
            typo = 'd%03d' % i + 'x' * 4999 + 'y'
            ops['neg%d' % i] = {'name': 'negate', 'inputs': {'a': typo},
                                'outputs': {'result': typo}}
        out.write(json.dumps({'linked': True, 'definitions': defs, 'operations': ops}) + '\n')
    elif kind == 'deep-line':
        out.write(ctx('deep', value='@DEEP@').replace('"@DEEP@"', nested(n)) + '\n')
    elif kind == 'deep-literal':
        out.write(ctx('deep-literal', InputStr=nested(n)) + '\n')
    elif kind == 'long-line':
        out.write(ctx('long', **{'str_length.inputs.s': 'x' * n}) + '\n')
    elif kind == 'product':
        out.write(json.dumps({'context': 'explodes', 'inputs':
                              [{'definition': 'add.inputs.a', 'value': i} for i in range(n)] +
                              [{'definition': 'add.inputs.b', 'value': i} for i in range(n)]}) + '\n')
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
