#!/usr/bin/env python3
"""cscan.py [--dot] FILE: fail if preprocessed C (or, with --dot, Graphviz
text) has an INJECTED token outside string and character literals.

The hostile names carry C fragments that would declare or call INJECTED_*
identifiers (or start a `#error INJECTED` line) if any part of a name
escaped the string literal or comment it was written into.  After `cc -E`
(comments gone, directives done) such a fragment can only survive inside
a literal; anything else is an injection.  Prints what it found; exit 1
if anything, 0 if clean.  DOT quoted strings may hold raw line breaks;
C literals may not.
"""
import re
import sys

LITERAL = re.compile(r'"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', re.S)
DOT_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)


def main(argv):
    dot = argv[1] == '--dot'
    path = argv[2] if dot else argv[1]
    with open(path, encoding='latin-1', newline='') as f:
        text = f.read()
    code = (DOT_STRING if dot else LITERAL).sub('""', text)
    bad = 0
    for n, line in enumerate(code.split('\n'), 1):
        if 'INJECTED' in line or '"' in line.replace('""', ''):
            print('%s:%d: outside a literal: %s' % (path, n, line.strip()[:200]))
            bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
