#!/bin/sh
# fuzz/run.sh: build the libFuzzer targets and run each for a while.
#
#   sh tests/fuzz/run.sh [SECONDS] [TARGET...]   (make fuzz FUZZTIME=SECONDS)
#   sh tests/fuzz/run.sh --build                 build only
#   sh tests/fuzz/run.sh --replay                run every target once on
#                                                its seeds and regressions
#   sh tests/fuzz/run.sh --minimize [TARGET...]  merge-minimize the corpus
#   sh tests/fuzz/run.sh --until N [TARGET...]   runs of 900 s (FUZZTIME)
#                                                per target until its total
#                                                in runs.tsv reaches N
#
# Targets (see fuzz.mk): manifest_yaml, manifest_json, stream, compiled,
# opsig.  Default: all five, 60 seconds each, one after the other (FUZZJOBS=N runs N
# libFuzzer workers per target instead of one; FUZZKEEPGOING=1 uses
# fork mode and goes on after a crash, collecting every artifact;
# FUZZSAN=ub builds and runs the targets with UBSan alone, no ASan, in
# build/fuzz-ub: see README.md).  Needs clang-14 and
# libclang-rt-14-dev, and build/flowc (make all).
#
# Seeds come from ../shared/conformance (flows and inputs), examples/,
# tests/hostile, tests/limits, tests/nothing-lost, tests/subflow,
# tests/golden and 40 flows of the random-flow generator
# (tests/randflow/gen.py); opsig's from the --ops C files of examples/
# and tests/; all converted for each target into
# build/fuzz/seeds/TARGET; the corpus grows in tests/fuzz/corpus/TARGET
# (in the tree, so each run starts where the last ended; minimize it
# with --minimize before committing) and each run's executions and
# coverage are appended to tests/fuzz/runs.tsv.  Dictionaries: manifest.dict, stream.dict.
# A crash, leak, sanitizer report, timeout (10 s of wall time; FUZZTIMEOUT=N
# for N: a campaign at nice 19 on a busy machine can be held off the CPU
# for longer, so replay a timeout before believing it) or out-of-memory (2 GB)
# leaves an artifact in build/fuzz/artifacts/TARGET/ and makes this
# script exit 1; copy it into tests/fuzz/regress/TARGET/ (the file name
# should say what it was) so that `make check` replays it for ever
# (tests/check-b.d/50-hardening.sh, through build/flowc).
set -u
cd "$(dirname "$0")/../.." || exit 2
if [ -n "${FLOWC_SHARED:-}" ]; then
	SHARED=$FLOWC_SHARED
elif [ -d ../shared/conformance ]; then
	SHARED=$(cd ../shared && pwd)
else
	echo "$0: the shared tree (specs, conformance corpus) is neither ../shared next to the checkout nor named by FLOWC_SHARED; set FLOWC_SHARED=/path/to/shared" >&2
	exit 2
fi
F=tests/fuzz
# The build: ASan + UBSan with asan_arena.c (default), or UBSan alone
# with the product's chunked arena (runtime/arena.c), 2.5-4 times the
# executions per second, which finds what crashes or trips UBSan but
# not the memory errors that do not crash.
SAN=${FUZZSAN:-asan}
case $SAN in
asan)	B=build/fuzz ;;
ub)	B=build/fuzz-ub ;;
*)	echo "$0: FUZZSAN is asan (the default) or ub, not '$SAN'" >&2
	exit 2 ;;
esac
ALL="manifest_yaml manifest_json stream compiled opsig"

build() {
	command -v clang-14 >/dev/null || { echo "fuzz: clang-14 is not installed" >&2; exit 2; }
	[ -x build/flowc ] || { echo "fuzz: build/flowc missing (make all)" >&2; exit 2; }
	if [ "$SAN" = ub ]; then
		make -s -f $F/fuzz.mk SHARED="$SHARED" -j"${FUZZ_MAKEJOBS:-2}" B=$B \
		    SAN="-fsanitize=undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		    ARENA=runtime/arena.c || exit 2
	else
		make -s -f $F/fuzz.mk SHARED="$SHARED" -j"${FUZZ_MAKEJOBS:-2}" || exit 2
	fi
}

# shorten: the 10 KB names of tests/hostile cut to 10 bytes (the fuzzer
# runs the front end twice under ASan; "did you mean" over names that long
# costs seconds, which tests/limits covers).
shorten() {
	sed -E 's/([LMXC])\1{99,}/\1\1\1\1\1\1\1\1\1\1/g'
}

# randflows FORMAT DIR: 40 flows of the random-flow generator
# (tests/randflow/gen.py, seeds 1-40) into DIR as rand-N.FORMAT.
randflows() {
	for n in $(seq 1 40); do
		python3 tests/randflow/gen.py --format "$1" "$n" "$B/rand/$1-$n" >/dev/null 2>&1 &&
			cp "$B/rand/$1-$n/flow.$1" "$2/rand-$n.$1"
	done
}

# seeds TARGET: fill build/fuzz/seeds/TARGET (rebuilt every time).
seeds() {
	d=$B/seeds/$1
	rm -rf "$d"
	mkdir -p "$d"
	case $1 in
	manifest_yaml)
		i=0
		for f in "$SHARED"/conformance/*/*/flow.yaml "$SHARED"/conformance/realworld/*.yaml \
		    examples/*/flow.yaml tests/hostile/*/flow.yaml tests/limits/*.yaml tests/nothing-lost/*.yaml \
		    tests/subflow/*.yaml tests/golden/*.yaml; do
			[ -f "$f" ] && shorten <"$f" >"$d/seed$i.yaml" && i=$((i + 1))
		done
		randflows yaml "$d" ;;
	manifest_json)
		python3 - "$d" "$SHARED"/conformance/*/*/flow.yaml "$SHARED"/conformance/realworld/*.yaml \
		    examples/*/flow.yaml tests/limits/*.yaml tests/nothing-lost/*.yaml tests/subflow/*.yaml <<'EOF'
import json, os, sys, yaml
out = sys.argv[1]
for i, path in enumerate(sys.argv[2:]):
    try:
        with open(path, encoding='utf-8') as f:
            m = yaml.safe_load(f)
        with open(os.path.join(out, 'seed%d.json' % i), 'w', encoding='utf-8') as f:
            json.dump(m, f, ensure_ascii=False, indent=1)
    except Exception:
        pass
EOF
		i=0
		for f in "$SHARED"/conformance/realworld/*.json tests/hostile/*/flow.json; do
			[ -f "$f" ] && shorten <"$f" >"$d/hostile$i.json" && i=$((i + 1))
		done
		randflows json "$d" ;;
	compiled)
		# The stream seeds with a second byte 0 (the default line limit)
		# and 200 (a limit of 80 bytes).
		dc=$d
		seeds stream
		d=$dc
		for f in $B/seeds/stream/*; do
			n=${f##*/}
			{ head -c 1 "$f"; printf '\000'; tail -c +2 "$f"; } >"$d/$n"
			{ head -c 1 "$f"; printf '\310'; tail -c +2 "$f"; } >"$d/$n-80"
		done ;;
	opsig)
		i=0
		for f in examples/*/ops.c tests/userops/*.c tests/userops/*/*.c tests/sandbox/*.c; do
			[ -f "$f" ] && cp "$f" "$d/seed$i.c" && i=$((i + 1))
		done ;;
	stream)
		# One seed per input line and one per whole file, for each flow,
		# behind the byte that picks the flow (see stream-flows.txt).
		k=0
		grep -v '^#' $F/stream-flows.txt | sed "s|@SHARED@|$SHARED|" | while read -r flow; do
			in=${flow%/*}/inputs.jsonl
			[ -f "$in" ] || in=${flow%.yaml}-inputs.jsonl
			[ -f "$in" ] || in=
			for f in $in tests/nothing-lost/ints.jsonl tests/nothing-lost/rich.jsonl; do
				[ -f "$f" ] || continue
				n=0
				while IFS= read -r line; do
					printf "\\$(printf %03o $k)%s\\n" "$line" >"$d/f$k-$(basename "$f")-$n"
					n=$((n + 1))
				done <"$f"
				{ printf "\\$(printf %03o $k)"; cat "$f"; } >"$d/f$k-$(basename "$f")-all"
			done
			k=$((k + 1))
		done ;;
	esac
}

# tally TARGET LOG: append the run's executions and final coverage to
# runs.tsv (date, target, executions, cov, ft, corpus entries, build:
# asan or ub), which README.md sums per target and build.
tally() {
	ex=$(grep -h '^stat::number_of_executed_units' "$2" | awk '{s += $2} END {print s + 0}')
	last=$(grep -E '^#[0-9]+' "$2" | grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' | tail -n 1)
	cov=$(echo "$last" | awk '{print $2}') ft=$(echo "$last" | awk '{print $4}')
	corp=$(ls $F/corpus/$1 | wc -l)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M)" "$1" "$ex" "${cov:-?}" \
	    "${ft:-?}" "$corp" "$SAN" >>$F/runs.tsv
}

# total TARGET: its executions in runs.tsv, every build.
total() {
	awk -F'\t' -v t="$1" '!/^#/ && $2 == t { n += $3 } END { print n + 0 }' $F/runs.tsv
}

# minimize TARGET: merge the in-tree corpus into a minimal one (libFuzzer
# -merge=1 keeps one input per new feature) and replace it.
minimize() {
	t=$1 exe=$B/fuzz_$1
	rm -rf $B/min/$t
	mkdir -p $B/min/$t
	$exe -merge=1 -timeout=${FUZZTIMEOUT:-10} -rss_limit_mb=2048 $B/min/$t $F/corpus/$t \
	    >$B/$t.merge.log 2>&1 || { echo "fuzz_$t: merge failed ($B/$t.merge.log)"; return 1; }
	rm -rf $F/corpus/$t
	mv $B/min/$t $F/corpus/$t
	echo "fuzz_$t: corpus minimized to $(ls $F/corpus/$t | wc -l) inputs"
}

# run TARGET SECONDS: fuzz; returns 1 if anything was found, 2 if the
# fuzzer was interrupted.
run() {
	t=$1 secs=$2
	exe=$B/fuzz_$t
	dict=$F/manifest.dict max=131072
	[ $t = stream ] && dict=$F/stream.dict max=32768
	[ $t = compiled ] && dict=$F/stream.dict max=32768
	[ $t = opsig ] && dict=$F/opsig.dict max=16384
	jobs=
	[ -n "${FUZZJOBS:-}" ] && jobs="-jobs=$FUZZJOBS -workers=$FUZZJOBS"
	[ -n "${FUZZKEEPGOING:-}" ] &&
		jobs="-fork=${FUZZJOBS:-1} -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
	mkdir -p $F/corpus/$t $B/artifacts/$t
	seeds $t
	before=$(ls $B/artifacts/$t | wc -l)
	# One log per run.sh: two campaigns on one target must not write
	# into one file (the second truncated the first's, whose executions
	# then went uncounted).
	log=$B/$t.$$.log
	echo "== fuzz_$t for $secs s (corpus $F/corpus/$t)"
	# shellcheck disable=SC2086
	$exe -max_total_time="$secs" -timeout="${FUZZTIMEOUT:-10}" -rss_limit_mb=2048 -max_len=$max \
	    -dict=$dict -print_final_stats=1 $jobs \
	    -artifact_prefix=$B/artifacts/$t/ $F/corpus/$t $B/seeds/$t \
	    >$log 2>&1
	rc=$?
	tally $t $log
	grep -E '^(#[0-9]+ +DONE|stat::|Done [0-9]+ runs)|ERROR|SUMMARY' $log | tail -n 12
	after=$(ls $B/artifacts/$t | wc -l)
	# Stopped with SIGINT: libFuzzer exits 72, counted above, no finding.
	if [ "$after" -eq "$before" ] && grep -q 'libFuzzer: run interrupted' $log; then
		echo "fuzz_$t: interrupted; nothing found"
		return 2
	fi
	if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
		echo "fuzz_$t: FOUND SOMETHING (exit $rc); log $log; artifacts:"
		ls -t $B/artifacts/$t | head
		return 1
	fi
	echo "fuzz_$t: nothing found"
	return 0
}

# replay: every target once on its seeds and regression inputs.
replay() {
	status=0
	for t in $ALL; do
		seeds $t
		n=$(ls $B/seeds/$t $F/regress/$t 2>/dev/null | grep -cv -e '^$' -e ':$')
		# Given files, libFuzzer runs each once, in one process.
		if ! find $B/seeds/$t $F/regress/$t -type f 2>/dev/null | sort |
		    xargs $B/fuzz_$t >$B/$t.replay.log 2>&1; then
			echo "fuzz_$t: replay FAILED (log $B/$t.replay.log)"
			status=1
		else
			echo "fuzz_$t: replayed $n inputs"
		fi
	done
	return $status
}

case ${1:-} in
--build)
	build ;;
--replay)
	build
	replay ;;
--minimize)
	build
	shift
	for t in ${*:-$ALL}; do
		minimize "$t"
	done ;;
--until)
	[ $# -ge 2 ] && [ "$2" -gt 0 ] 2>/dev/null ||
		{ echo "$0: --until takes a number of executions" >&2; exit 2; }
	goal=$2
	shift 2
	build
	status=0
	for t in ${*:-$ALL}; do
		while [ "$(total "$t")" -lt "$goal" ]; do
			run "$t" "${FUZZTIME:-900}"
			case $? in
			0) ;;
			2) exit 130 ;;
			*) status=1; break ;;
			esac
		done
		echo "fuzz_$t: $(total "$t") executions in runs.tsv"
	done
	exit $status ;;
*)
	secs=${1:-60}
	[ $# -gt 0 ] && shift
	build
	status=0
	for t in ${*:-$ALL}; do
		run "$t" "$secs"
		case $? in
		0) ;;
		2) exit 130 ;;
		*) status=1 ;;
		esac
	done
	exit $status ;;
esac
