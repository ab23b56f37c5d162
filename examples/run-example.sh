#!/bin/sh
# run-example.sh: the README's first example end to end (`make example`).
#
# Compiles examples/wordcount/flow.yaml into a native executable with
# `flowc build`, runs it on examples/wordcount/inputs.jsonl, shows each
# command and what it printed, and checks the output against
# expected.jsonl.  Exits non-zero if a step fails or the output differs.
# Runs from anywhere; the executable goes to build/examples/.
set -u
cd "$(dirname "$0")/.." || exit 2
ex=examples/wordcount
exe=build/examples/wordcount

mkdir -p build/examples || exit 2
echo "\$ build/flowc build $ex/flow.yaml -o $exe"
build/flowc build "$ex/flow.yaml" -o "$exe" || exit 1
echo "\$ $exe -i $ex/inputs.jsonl"
out=$("$exe" -i "$ex/inputs.jsonl")
rc=$?
echo "$out"
if [ "$rc" -ne 0 ]; then
	echo "run-example: $exe exited with status $rc" >&2
	exit 1
fi
if [ "$out" != "$(cat "$ex/expected.jsonl")" ]; then
	echo "run-example: the output differs from $ex/expected.jsonl:" >&2
	echo "$out" | diff "$ex/expected.jsonl" - >&2
	exit 1
fi
echo "ok: same as $ex/expected.jsonl"
