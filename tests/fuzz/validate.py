#!/usr/bin/env python3
"""validate.py OUT STATUS: check a run's output the way fuzz_stream.c does.

Every line is a JSON object in valid UTF-8 (ending in a newline), the exit
status is 0 or 1, and it is 1 exactly when some line has an "error".
Prints the first problem; exit 0 when all is well, 1 otherwise.
"""
import json
import sys


def main(argv):
    with open(argv[1], 'rb') as f:
        data = f.read()
    status = int(argv[2])
    if data and not data.endswith(b'\n'):
        print('the last line is not terminated')
        return 1
    errors = 0
    for n, line in enumerate(data.split(b'\n')[:-1], 1):
        try:
            v = json.loads(line.decode('utf-8'))
        except UnicodeDecodeError as e:
            print('line %d: not UTF-8 at byte %d' % (n, e.start))
            return 1
        except ValueError as e:
            print('line %d: not JSON: %s' % (n, e))
            return 1
        if not isinstance(v, dict):
            print('line %d: not an object' % n)
            return 1
        errors += 'error' in v
    if status not in (0, 1) or status != (errors > 0):
        print('exit status %d with %d error lines' % (status, errors))
        return 1
    return 0


if __name__ == '__main__':
    sys.setrecursionlimit(20000)
    sys.exit(main(sys.argv))
