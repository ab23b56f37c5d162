# lib.sh: helpers shared by the test scripts (sourced, POSIX sh).
#
# run_counted CMD...  runs CMD, echoes its output, and adds the numbers of
# its last "N passed, M failed" line to the totals (a command that fails
# without such a line counts as one failure).

if [ -n "${FLOWC_SHARED:-}" ]; then
	SHARED=$FLOWC_SHARED
elif [ -d ../shared/conformance ]; then
	SHARED=$(cd ../shared && pwd)
else
	echo "$0: the shared tree (specs, conformance corpus) is neither ../shared next to the checkout nor named by FLOWC_SHARED; set FLOWC_SHARED=/path/to/shared" >&2
	exit 2
fi
export SHARED
FLOWC_CONFORMANCE=${FLOWC_CONFORMANCE:-$SHARED/conformance}
export FLOWC_CONFORMANCE
TOTAL_PASS=0
TOTAL_FAIL=0
TMP=${TMPDIR:-/tmp}/flowc-check.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT

section() {
	printf '\n== %s\n' "$1"
}

run_counted() {
	t0=$(date +%s)
	"$@" >"$TMP/out" 2>&1
	count_output "$TMP/out" $? "$*"
	echo "($(($(date +%s) - t0)) s)"
}

# count_output FILE RC CMD: print what a command wrote and add its
# "N passed, M failed" (or its exit status) to the totals.
count_output() {
	cat "$1"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)
	if [ -n "$line" ]; then
		p=${line%% passed*}
		f=${line#*, }
		f=${f%% failed*}
		TOTAL_PASS=$((TOTAL_PASS + p))
		TOTAL_FAIL=$((TOTAL_FAIL + f))
		[ "$2" -ne 0 ] && [ "$f" -eq 0 ] && TOTAL_FAIL=$((TOTAL_FAIL + 1))
	elif [ "$2" -eq 0 ]; then
		TOTAL_PASS=$((TOTAL_PASS + 1))
	else
		echo "FAIL (exit $2): $3"
		TOTAL_FAIL=$((TOTAL_FAIL + 1))
	fi
}

# start_job CMD...: start CMD in the background as job number $JOBS,
# two at a time (the machines have two cores), its output, status and
# command line in $TMP/job.N.{out,rc,cmd}; collect and pair_done wait for
# the jobs, print their outputs in the order they were started and count.
JOBS=0
start_job() {
	JOBS=$((JOBS + 1))
	[ $JOBS -gt 2 ] && eval "wait \$JOB_PID_$((JOBS - 2))"
	echo "$*" >"$TMP/job.$JOBS.cmd"
	( "$@" >"$TMP/job.$JOBS.out" 2>&1; echo $? >"$TMP/job.$JOBS.rc" ) &
	eval "JOB_PID_$JOBS=\$!"
}

# run_later CMD...: run_counted's job through start_job; collect counts
# each output's "N passed, M failed" line as run_counted does.
run_later() { start_job "$@"; }
collect() {
	wait
	i=1
	while [ $i -le $JOBS ]; do
		count_output "$TMP/job.$i.out" "$(cat "$TMP/job.$i.rc")" "$(cat "$TMP/job.$i.cmd")"
		rm -f "$TMP/job.$i".*
		i=$((i + 1))
	done
	JOBS=0
}

summary() {
	printf '\n%s passed, %s failed\n' "$TOTAL_PASS" "$TOTAL_FAIL"
	[ "$TOTAL_FAIL" -eq 0 ]
}

# pass NAME / fail NAME [detail]: for scripts that count their own tests.
PASSES=0
FAILS=0
pass() { echo "PASS $1"; PASSES=$((PASSES + 1)); }
fail() { echo "FAIL $1${2:+: $2}"; FAILS=$((FAILS + 1)); }

# in_pair CMD...: run CMD (a shell function that calls pass and fail)
# through start_job; pair_done prints the outputs and counts their PASS
# and FAIL lines (one with neither is a failure).  CMD runs in a
# subshell: variables it sets are lost.
in_pair() { start_job "$@"; }
pair_done() {
	wait
	i=1
	while [ $i -le $JOBS ]; do
		cat "$TMP/job.$i.out"
		p=$(grep -c '^PASS ' "$TMP/job.$i.out")
		f=$(grep -c '^FAIL ' "$TMP/job.$i.out")
		PASSES=$((PASSES + p))
		FAILS=$((FAILS + f))
		[ $((p + f)) -eq 0 ] && fail "$(cat "$TMP/job.$i.cmd")" "no PASS or FAIL line"
		rm -f "$TMP/job.$i".*
		i=$((i + 1))
	done
	JOBS=0
}
done_counting() {
	echo "$PASSES passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}
