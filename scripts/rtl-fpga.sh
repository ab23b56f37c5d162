#!/bin/sh
# rtl-fpga.sh: `make rtl-fpga`.  Builds every RTL-eligible conformance
# case, bench flow, test case (tests/cases, tests/rtl/cases) and example
# for --target=verilog under build/rtl-fpga/, places and routes each on
# an iCE40 HX8K (`make fpga`) and prints the table of report.txt
# figures: case, LUTs, FFs, Fmax, latency.  Not part of make check (about
# 15 s a case).  FLOWC and RTL_FPGA_DIR override the compiler and the
# directory.
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh
out=${RTL_FPGA_DIR:-build/rtl-fpga}
flowc=${FLOWC:-build/flowc}
mkdir -p "$out"
printf '%-36s %6s %6s %10s %8s\n' case LUTs FFs Fmax/MHz latency
for c in "$SHARED"/conformance/cases/*/ "$SHARED"/conformance/bench/*/ tests/cases/*/ \
    tests/rtl/cases/*/ examples/*/; do
	c=${c%/}
	[ -f "$c/flow.yaml" ] || continue
	name=${c##*/}
	d=$out/$name
	rm -rf "$d"
	"$flowc" build "$c/flow.yaml" --target=verilog -o "$d" >/dev/null 2>&1 || continue
	if ! make -s -C "$d" fpga >"$d.log" 2>&1; then
		printf '%-36s failed: see %s.log\n' "$name" "$d"
		continue
	fi
	r=$d/report.txt
	printf '%-36s %6s %6s %10s %8s\n' "$name" "$(sed -n 's/^LUTs: //p' "$r")" \
	    "$(sed -n 's/^FFs: //p' "$r")" "$(sed -n 's/^Fmax: \([0-9.]*\).*/\1/p' "$r")" \
	    "$(sed -n 's/^latency: \([0-9]*\).*/\1/p' "$r")"
done
