#!/bin/sh
# run.sh: the benchmark ladder (`make bench`; see bench/README.md).
#
# For each bench flow: generate inputs, build the hand-written C and, when
# this flowc has `build`, the flow compiled at -O0 and -O2; check that every
# program writes exactly what `flowc run` writes; time all of them (best of
# BENCH_REPS runs, interleaved) and count their instructions per context
# with callgrind; time -O2 again with -j 2 (two worker threads; its output
# must be identical too).  Prints one table per flow and writes them, tab
# separated, to $BENCH_OUT/results.tsv.  Exits 1 if any output differs or
# a build fails.
#
# Environment (defaults in brackets):
#   BENCH_N      contexts in the timed runs [20000]
#   BENCH_REPS   timed runs per program; the fastest counts [3]
#   BENCH_CG_N   contexts in the callgrind runs, 0 to skip them [2000]
#   BENCH_FLOWS  flows to run [text_wordcount numeric_conditions
#                record_mapping fanout_expand empty_op]
#   BENCH_OUT    work directory [build/bench]
#   FLOWC_SHARED the shared tree [../shared next to the checkout; without
#                either the script stops]
#   CC, HAND_CFLAGS  compiler and flags for the hand C [cc, -O2]
#   FLOWC        the flowc to measure [build/flowc]
set -u
cd "$(dirname "$0")/.." || exit 2

N=${BENCH_N:-20000}
REPS=${BENCH_REPS:-3}
CG_N=${BENCH_CG_N:-2000}
FLOWS=${BENCH_FLOWS:-"text_wordcount numeric_conditions record_mapping fanout_expand empty_op"}
OUT=${BENCH_OUT:-build/bench}
CC=${CC:-cc}
HAND_CFLAGS=${HAND_CFLAGS:--O2}
FLOWC=${FLOWC:-build/flowc}
if [ -n "${FLOWC_SHARED:-}" ]; then
	SHARED=$FLOWC_SHARED
elif [ -d ../shared/conformance ]; then
	SHARED=$(cd ../shared && pwd)
else
	echo "$0: the shared tree (specs, conformance corpus) is neither ../shared next to the checkout nor named by FLOWC_SHARED; set FLOWC_SHARED=/path/to/shared" >&2
	exit 2
fi
export FLOWC_SHARED="$SHARED"
STATUS=0
RUNGS="interp O0 O2 O2j2 hand"

die() {
	echo "bench: $*" >&2
	exit 2
}

[ -x "$FLOWC" ] && [ -f build/libflowrt.a ] || die "build flowc first (make)"
JANSSON=$(pkg-config --cflags --libs jansson 2>/dev/null) || JANSSON=-ljansson
HAVE_BUILD=0
"$FLOWC" build --help >/dev/null 2>&1 && HAVE_BUILD=1
HAVE_CG=0
[ "$CG_N" -gt 0 ] && command -v valgrind >/dev/null 2>&1 && HAVE_CG=1

# Nanoseconds since some fixed point (GNU date, else Python).
if [ "$(date +%N)" != "%N" ] && [ "$(date +%N)" != "N" ]; then
	now() { date +%s%N; }
else
	now() { python3 -c 'import time; print(time.monotonic_ns())'; }
fi

flow_file() {
	if [ -f "bench/flows/$1/flow.yaml" ]; then
		echo "bench/flows/$1/flow.yaml"
	else
		echo "$SHARED/conformance/bench/$1/flow.yaml"
	fi
}

rung_name() {
	case $1 in
	interp) echo "interpreter" ;;
	O0) echo "flowc -O0" ;;
	O2) echo "flowc -O2" ;;
	O2j2) echo "-O2 -j 2" ;;
	hand) echo "hand C" ;;
	esac
}

# run RUNG INPUTS: the rung's program on INPUTS, results on stdout.
run() {
	case $1 in
	interp) "$FLOWC" run "$FLOW" -i "$2" ;;
	O2j2) "$D/O2" -j 2 -i "$2" ;;
	*) "$D/$1" -i "$2" ;;
	esac
}

# Build the programs of flow $F into $D; sets $HAVE_<rung> (1 = usable).
build_programs() {
	HAVE_interp=1
	HAVE_hand=0
	if $CC $HAND_CFLAGS -std=c99 -D_POSIX_C_SOURCE=200809L -Iruntime -Ibench/hand \
	    -o "$D/hand" bench/hand/hand.c "bench/hand/$F.c" build/libflowrt.a $JANSSON -lm; then
		HAVE_hand=1
	else
		echo "bench: $F: the hand C does not build" >&2
		STATUS=1
	fi
	for o in O0 O2; do
		eval "HAVE_$o=0"
		[ $HAVE_BUILD = 1 ] || continue
		# --sandbox=off: the callgrind runs are under valgrind, which
		# cannot run a seccomp filter (a start-up cost only: bench/README).
		if "$FLOWC" build "$FLOW" "-$o" --sandbox=off -o "$D/$o"; then
			eval "HAVE_$o=1"
		else
			echo "bench: $F: flowc build -$o failed" >&2
			STATUS=1
		fi
	done
	HAVE_O2j2=$HAVE_O2
}

have() {
	eval "test \"\${HAVE_$1:-0}\" = 1"
}

# Compare every program's output on $D/in.jsonl with the interpreter's;
# sets CHECK_<rung>.
check_outputs() {
	run interp "$D/in.jsonl" >"$D/interp.out"
	ref_rc=$?
	CHECK_interp=reference
	for r in O0 O2 O2j2 hand; do
		have $r || continue
		run $r "$D/in.jsonl" >"$D/$r.out"
		rc=$?
		if cmp -s "$D/interp.out" "$D/$r.out"; then
			v=identical
		elif LC_ALL=C sort "$D/interp.out" >"$D/interp.sorted" &&
		    LC_ALL=C sort "$D/$r.out" | cmp -s "$D/interp.sorted" -; then
			v=reordered     # the same lines in another order
		else
			v=DIFFERS
			STATUS=1
			echo "bench: $F: $(rung_name $r) output differs from flowc run's:" >&2
			diff "$D/interp.out" "$D/$r.out" | head -n 6 >&2
		fi
		if [ $rc -ne $ref_rc ]; then
			v="$v,exit$rc"
			STATUS=1
		fi
		eval "CHECK_$r=\$v"
	done
}

# Best wall time in ns of each program over $REPS interleaved runs.
time_programs() {
	for r in $RUNGS; do eval "BEST_$r="; done
	i=0
	while [ $i -lt "$REPS" ]; do
		for r in $RUNGS; do
			have $r || continue
			t0=$(now)
			run $r "$D/in.jsonl" >/dev/null
			t1=$(now)
			t=$((t1 - t0))
			eval "b=\$BEST_$r"
			if [ -z "$b" ] || [ "$t" -lt "$b" ]; then
				eval "BEST_$r=\$t"
			fi
		done
		i=$((i + 1))
	done
}

# Instructions (callgrind Ir) of RUNG on INPUTS.
irs() {
	f="$D/cg.$1.out"
	case $1 in
	interp) valgrind -q --tool=callgrind --callgrind-out-file="$f" "$FLOWC" run "$FLOW" -i "$2" >/dev/null 2>"$D/cg.err" ;;
	*) valgrind -q --tool=callgrind --callgrind-out-file="$f" "$D/$1" -i "$2" >/dev/null 2>"$D/cg.err" ;;
	esac
	awk '/^(summary|totals):/ { print $2; exit }' "$f"
	rm -f "$f"
}

# IR_<rung>: instructions per context, (Ir(N) - Ir(0)) / N; START_<rung>:
# Ir(0), the cost of starting up and reading an empty input.
count_instructions() {
	for r in $RUNGS; do
		eval "IR_$r=-; START_$r=-"
		[ $HAVE_CG = 1 ] && have $r && [ $r != O2j2 ] || continue
		i0=$(irs $r "$D/empty.jsonl")
		i1=$(irs $r "$D/cg.jsonl")
		[ -n "$i0" ] && [ -n "$i1" ] || continue
		eval "IR_$r=$(( (i1 - i0) / CG_N )); START_$r=$i0"
	done
}

print_table() {
	eval "bi=\${BEST_interp:-}; bh=\${BEST_hand:-}"
	echo
	echo "== $F: $N contexts, best of $REPS runs; instructions from $CG_N contexts"
	printf '%-12s %-10s %10s %9s %9s %10s %10s\n' \
	    rung output ctx/s speedup "x hand" Ir/ctx "start Ir"
	for r in $RUNGS; do
		if ! have $r; then
			if [ $r = O0 ] || [ $r = O2 ]; then
				why="not built"
				[ $HAVE_BUILD = 1 ] || why="(no flowc build)"
			else
				why="not built"
			fi
			printf '%-12s %s\n' "$(rung_name $r)" "$why"
			continue
		fi
		eval "t=\$BEST_$r; chk=\$CHECK_$r; ir=\$IR_$r; st=\$START_$r"
		awk -v n="$N" -v t="$t" -v bi="$bi" -v bh="$bh" -v name="$(rung_name $r)" \
		    -v chk="$chk" -v ir="$ir" -v st="$st" -v flow="$F" -v tsv="$OUT/results.tsv" 'BEGIN {
			cps = n / (t / 1e9)
			sp = bi != "" ? sprintf("%.2f", bi / t) : "-"
			xh = bh != "" ? sprintf("%.2f", t / bh) : "-"
			printf "%-12s %-10s %10.0f %9s %9s %10s %10s\n", name, chk, cps, sp, xh, ir, st
			printf "%s\t%s\t%s\t%d\t%.6f\t%.0f\t%s\t%s\t%s\t%s\n", flow, name, chk, n, t / 1e9, cps, sp, xh, ir, st >> tsv
		}'
	done
	eval "b1=\${BEST_O2:-}; b2=\${BEST_O2j2:-}"
	[ -n "$b1" ] && [ -n "$b2" ] &&
	    awk -v a="$b1" -v b="$b2" 'BEGIN { printf "-O2 -j 2 over -j 1: %.2fx (%d cores online)\n", a / b, '"$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 0)"' }'
}

mkdir -p "$OUT" || exit 2
printf 'flow\trung\toutput\tcontexts\tbest_s\tctx_per_s\tspeedup\tx_hand\tIr_per_ctx\tstart_Ir\n' >"$OUT/results.tsv"
[ $HAVE_BUILD = 1 ] || echo "bench: this flowc has no 'build' command: the compiled rungs are skipped"
[ $HAVE_CG = 1 ] || echo "bench: no callgrind runs (BENCH_CG_N=0 or no valgrind)"
for F in $FLOWS; do
	FLOW=$(flow_file "$F")
	[ -f "$FLOW" ] || die "no flow for '$F' ($FLOW)"
	D="$OUT/$F"
	mkdir -p "$D" || exit 2
	python3 bench/gen_inputs.py "$F" "$N" >"$D/in.jsonl" || die "$F: input generation failed"
	python3 bench/gen_inputs.py "$F" "$CG_N" >"$D/cg.jsonl" || die "$F: input generation failed"
	: >"$D/empty.jsonl"
	build_programs
	check_outputs
	time_programs
	count_instructions
	print_table
done
echo
echo "speedup: the interpreter's time over this rung's; x hand: this rung's time over the hand C's."
echo "Ir/ctx: (Ir of BENCH_CG_N contexts - Ir of none) / BENCH_CG_N; start Ir: Ir of none."
echo "results: $OUT/results.tsv"
exit $STATUS
