#!/bin/sh
# rtl-sim.sh: `make rtl-sim`.  Every RTL-eligible conformance case, bench
# flow, test case and example through both simulators: the Verilator test
# bench (DIR/tb) and the Icarus one (DIR/tb-iverilog), each with and
# without random back-pressure (FLOWC_RTL_BP), must print byte for byte
# what `flowc run` prints.  make check runs Icarus on every case and
# Verilator on two (Verilator compiles slowly: 20-40 s a case); this is
# the whole matrix.  Prints one line a case and a summary; exits 1 if any
# case differs.  FLOWC and RTL_SIM_DIR override the compiler and the
# directory.
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
out=${RTL_SIM_DIR:-build/rtl-sim}
flowc=${FLOWC:-build/flowc}
mkdir -p "$out"
for c in "$SHARED"/conformance/cases/*/ "$SHARED"/conformance/bench/*/ tests/cases/*/ \
    tests/hls/cases/*/ tests/rtl/cases/*/ examples/*/; do
	c=${c%/}
	[ -f "$c/flow.yaml" ] && [ -f "$c/inputs.jsonl" ] || continue
	name=${c##*/}
	d=$out/$name
	rm -rf "$d"
	"$flowc" build "$c/flow.yaml" --target=verilog -o "$d" >/dev/null 2>&1 || continue
	"$flowc" run "$c/flow.yaml" -i "$c/inputs.jsonl" >"$d.want" 2>/dev/null
	if ! make -s -C "$d" >"$d.log" 2>&1 || ! make -s -C "$d" iverilog >>"$d.log" 2>&1; then
		fail "$name" "build failed: see $d.log"
		continue
	fi
	bad=
	for tb in tb tb-iverilog; do
		for bp in none 5; do
			if [ $bp = none ]; then
				env -u FLOWC_RTL_BP "$d/$tb" -i "$c/inputs.jsonl" >"$d.$tb.$bp" 2>/dev/null
			else
				FLOWC_RTL_BP=$bp "$d/$tb" -i "$c/inputs.jsonl" >"$d.$tb.$bp" 2>/dev/null
			fi
			cmp -s "$d.$tb.$bp" "$d.want" || bad="$bad $tb(back-pressure $bp)"
		done
	done
	if [ -z "$bad" ]; then
		pass "$name: Verilator and Icarus, with and without back-pressure, print what flowc run prints"
	else
		fail "$name" "differs from flowc run:$bad"
	fi
done
done_counting
