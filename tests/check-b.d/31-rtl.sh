#!/bin/sh
# section: RTL target: eligibility, lint, synthesis, simulation against flowc run
#
# 1. every conformance case and bench flow, tests/cases/*, tests/hls/cases/*,
#    tests/rtl/cases/* and examples/*:
#    `flowc build --target=verilog` either refuses with exit 1 and a
#    diagnostic at a manifest line, or writes a directory (a second build
#    is identical) whose pipeline is clean under `verilator --lint-only
#    -Wall` and yosys `synth; check -assert`, and whose Icarus test bench
#    prints byte for byte what `flowc run` prints, with and without random
#    back-pressure, N contexts taking N + latency cycles;
# 2. the Verilator test bench on a few of them (it compiles slowly);
# 3. at least 15 public cases (a third) are eligible;
# 4. tests/rtl/refuse-*.yaml: refused at the line their first line gives;
# 5. `make fpga` places and routes one of them and writes report.txt;
# 6. tests/rtl/cases/*/widths: the registers and overflow checks the
#    width analysis gives (flowc-rtl(7), WIDTHS), and expected.jsonl is
#    still what flowc run prints.
# Needs verilator, iverilog and yosys (scripts/deps.sh); skipped without.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
R=$TMP/rtl
mkdir -p "$R"
for tool in verilator iverilog yosys; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP RTL checks: $tool not installed (make deps)"
		done_counting
		exit 0
	fi
done
TRIED=
ELIGIBLE=
PUBLIC=0

# The stderr line of the streamed run says N contexts took N + latency.
cycles_ok() {
	line=$(grep '^rtl: [0-9]* contexts in' "$1")
	[ -z "$line" ] && return 0      # every context ran on the host
	set -- $line
	[ "$5" -eq $(($2 + ${8%%[!0-9]*})) ]
}

rtl_case() {
	c=$1 name=$2 want=$3
	d=$R/$name
	rm -rf "$d" "$d.again"
	build/flowc build "$c/flow.yaml" --target=verilog -o "$d" >"$d.err" 2>&1
	rc=$?
	if [ $rc -eq 1 ]; then
		why=$(grep -m 1 ': error: ' "$d.err")
		if echo "$why" | grep -q '^[^ ]*:[0-9][0-9]*:[0-9][0-9]*: error: '; then
			why=${why#*error: }
			pass "refused $name: ${why%%;*}"
		else
			fail "refused $name" "no diagnostic at a manifest line: $(head -n 3 "$d.err")"
		fi
		return
	fi
	[ $rc -ne 0 ] && { fail "rtl $name" "flowc exited with $rc: $(head -n 5 "$d.err")"; return; }
	build/flowc build "$c/flow.yaml" --target=verilog -o "$d.again" >/dev/null 2>&1
	for x in "$d.again"/*; do
		cmp -s "$x" "$d/${x##*/}" || { fail "rtl $name" "two builds differ in ${x##*/}"; return; }
	done
	if ! out=$(make -s -C "$d" lint 2>&1) || [ -n "$(echo "$out" | grep -v '^verilator ')" ]; then
		fail "rtl $name" "verilator lint: $(echo "$out" | head -n 5)"
		return
	fi
	if ! out=$(make -s -C "$d" synth 2>&1); then
		fail "rtl $name" "yosys: $(echo "$out" | grep -i 'error\|warning' | head -n 5)"
		return
	fi
	if ! make -s -C "$d" iverilog CFLAGS="-O2 -Wall -Wextra -Werror ${FLOWC_CFLAGS:-}" >"$d.make" 2>&1; then
		fail "rtl $name" "make iverilog: $(head -n 5 "$d.make")"
		return
	fi
	"$d/tb-iverilog" -i "$c/inputs.jsonl" >"$d.out" 2>"$d.tberr"
	FLOWC_RTL_BP=7 "$d/tb-iverilog" -i "$c/inputs.jsonl" >"$d.bp" 2>"$d.bperr"
	host=$(sed -n 's/^tb: \([0-9]*\) context.*/\1/p' "$d.tberr")
	total=$(grep -c . "$c/inputs.jsonl")
	if ! cmp -s "$d.out" "$want"; then
		fail "rtl $name" "differs from flowc run: $(diff "$want" "$d.out" | head -n 6)"
	elif ! cmp -s "$d.bp" "$want"; then
		fail "rtl $name" "with back-pressure, differs from flowc run"
	elif grep -q 'streamed run' "$d.tberr" "$d.bperr"; then
		fail "rtl $name" "$(grep -h 'streamed run' "$d.tberr" "$d.bperr")"
	elif ! cycles_ok "$d.tberr"; then
		fail "rtl $name" "cycles: $(grep '^rtl:' "$d.tberr")"
	else
		pass "rtl $name ($((total - ${host:-0})) of $total contexts through the pipeline; $(sed -n 's/^rtl: [0-9]* contexts in //p' "$d.tberr"))"
	fi
}

# ---- 1. every flow (two at a time; each writes only under $R/NAME*) -----
for c in "$SHARED"/conformance/cases/*/ "$SHARED"/conformance/bench/*/ tests/cases/*/ \
    tests/hls/cases/*/ tests/rtl/cases/*/ examples/*/; do
	c=${c%/}
	[ -f "$c/flow.yaml" ] && [ -f "$c/inputs.jsonl" ] || continue
	name=${c##*/}
	build/flowc run "$c/flow.yaml" -i "$c/inputs.jsonl" >"$R/$name.want" 2>/dev/null
	in_pair rtl_case "$c" "$name" "$R/$name.want"
	TRIED="$TRIED $name"
done
pair_done
# Only an eligible flow leaves a directory (rtl_case runs in a subshell,
# so ELIGIBLE is gathered here, in the same order).
for name in $TRIED; do
	[ -d "$R/$name" ] && ELIGIBLE="$ELIGIBLE $name"
done
for c in "$SHARED"/conformance/cases/*/; do
	c=${c%/}
	[ -d "$R/${c##*/}" ] && PUBLIC=$((PUBLIC + 1))
done

# ---- 2. Verilator on a few ------------------------------------------------
n=0
for name in $ELIGIBLE; do
	[ $n -ge 2 ] && break
	n=$((n + 1))
	d=$R/$name
	if ! make -s -C "$d" >"$d.vmake" 2>&1; then
		fail "verilator $name" "$(head -n 5 "$d.vmake")"
		continue
	fi
	for c in "$SHARED"/conformance/cases/$name tests/cases/$name examples/$name; do
		[ -f "$c/inputs.jsonl" ] && break
	done
	"$d/tb" -i "$c/inputs.jsonl" >"$d.vout" 2>/dev/null
	FLOWC_RTL_BP=3 "$d/tb" -i "$c/inputs.jsonl" >"$d.vbp" 2>/dev/null
	if cmp -s "$d.vout" "$R/$name.want" && cmp -s "$d.vbp" "$R/$name.want"; then
		pass "verilator $name: same lines as flowc run, with and without back-pressure"
	else
		fail "verilator $name" "$(diff "$R/$name.want" "$d.vout" | head -n 6)"
	fi
done

# ---- 3. how many ---------------------------------------------------------
if [ $PUBLIC -ge 15 ]; then
	pass "$PUBLIC public conformance cases are RTL-eligible"
else
	fail "RTL-eligible public cases" "only $PUBLIC"
fi

# ---- 4. refusals at the expected line -------------------------------------
for f in tests/rtl/refuse-*.yaml; do
	[ -f "$f" ] || continue
	want=$(sed -n '1s/^# expect: //p' "$f")
	line=${want%% *}
	text=${want#* }
	build/flowc build "$f" --target=verilog -o "$R/refuse" >"$R/refuse.err" 2>&1
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "${f##*/}" "exit $rc, not 1"
	elif ! grep -q "^$f:$line:[0-9]*: error: cannot build for RTL: .*$text" "$R/refuse.err"; then
		fail "${f##*/}" "no error at line $line saying '$text': $(head -n 2 "$R/refuse.err")"
	else
		pass "${f##*/} refused at line $line"
	fi
done

# ---- 5. place and route ----------------------------------------------------
if command -v nextpnr-ice40 >/dev/null 2>&1; then
	d=$R/conditions_basic
	if ! make -s -C "$d" fpga >"$d.fpga" 2>&1; then
		fail "make fpga" "$(tail -n 5 "$d.fpga")"
	elif grep -q '^LUTs: [0-9]' "$d/report.txt" && grep -q '^FFs: [0-9]' "$d/report.txt" &&
	    grep -q '^Fmax: [0-9.][0-9.]* MHz' "$d/report.txt" && grep -q '^latency: 2 cycles' "$d/report.txt"; then
		pass "make fpga: conditions_basic placed and routed on an HX8K ($(sed -n 's/^Fmax: //p' "$d/report.txt"))"
	else
		fail "make fpga" "report.txt: $(cat "$d/report.txt")"
	fi
else
	echo "SKIP make fpga: nextpnr-ice40 not installed"
fi

# ---- 6. widths -------------------------------------------------------------
# The widths of the registers of definition $2's values in $1, one a line.
reg_widths() {
	sed -n "s|^	reg \[\([0-9]*\):0\] r[0-9]*_s[0-9]*; /\* $2 \*/\$|\1|p; s|^	reg r[0-9]*_s[0-9]*; /\* $2 \*/\$|0|p" "$1" |
	    sort -n -u | while read -r hi; do echo $((hi + 1)); done
}

# Does operation $2 in $1 set the overflow status (1)?
checks() {
	awk -v op="$2:" '/^\t\t\/\* / { cur = $2 } cur == op && /\? 7.d1 : 7.d0;/ { n++ } END { exit !n }' "$1"
}

for c in tests/rtl/cases/*/; do
	c=${c%/}
	name=${c##*/}
	v=$R/$name/flow_rtl.v
	[ -f "$c/widths" ] || continue
	if [ ! -f "$v" ]; then
		fail "widths $name" "not built for RTL: $(head -n 2 "$R/$name.err")"
		continue
	fi
	bad=
	while read -r what arg; do
		case $what in
		'#'*|'') ;;
		check) checks "$v" "$arg" || bad="$bad; $arg has no overflow check" ;;
		nocheck) checks "$v" "$arg" && bad="$bad; $arg has an overflow check" ;;
		*)
			got=$(reg_widths "$v" "$what" | tr '\n' ' ')
			[ "$got" = "$arg " ] || bad="$bad; $what is ${got:-not registered }bits, not $arg"
			;;
		esac
	done <"$c/widths"
	if ! cmp -s "$c/expected.jsonl" "$R/$name.want"; then
		fail "widths $name" "expected.jsonl differs from flowc run: $(diff "$c/expected.jsonl" "$R/$name.want" | head -n 4)"
	elif [ -n "$bad" ]; then
		fail "widths $name" "${bad#; }"
	else
		pass "widths $name: $(grep -c '^[a-z]' "$c/widths") registers and checks as its widths file says"
	fi
done

done_counting
