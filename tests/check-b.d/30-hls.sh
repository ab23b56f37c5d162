#!/bin/sh
# section: HLS target: eligibility, C simulation against the conformance cases, lint, vendors
#
# Six kinds of test, each a PASS/FAIL line:
#   1. every conformance case and bench flow, tests/cases/*, tests/hls/cases/*
#      and examples/hls-*: `flowc build --target=hls` either writes a
#      directory, whose `make` builds a test bench that compare.py accepts
#      (and a second build is identical, file for file), or refuses with
#      exit 1 and a diagnostic at a manifest line; a case with a file
#      hls-args is built with those options (the kernel's bounds) and its
#      expected.jsonl, the test bench's own answer, must match byte for
#      byte, messages included;
#   2. tests/hls/refuse-*.yaml: refused at the line (and with the words)
#      their first line `# expect: LINE TEXT` gives;
#   3. tests/hls/lint-*.c: the lint rejects each broken kernel with the
#      message its first line `/* expect: TEXT */` gives ("clean": accepted);
#   4. the example's test bench built with each vendor's pragmas agrees;
#   5. the example's README shows the kernel flowc writes for it;
#   6. an unknown --hls-vendor is a usage error.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
H=$TMP/hls
mkdir -p "$H"


# ---- 1. eligible flows simulate exactly; the others are refused --------
# (two cases at a time; each writes only under $H/NAME*)
hls_case() {
	c=$1 name=$2
	d=$H/$name
	args=
	[ -f "$c/hls-args" ] && args=$(cat "$c/hls-args")
	rm -rf "$d" "$d.again"
	# shellcheck disable=SC2086 # $args: options, split on purpose
	build/flowc build "$c/flow.yaml" --target=hls $args -o "$d" >"$d.err" 2>&1
	rc=$?
	if [ $rc -eq 1 ]; then
		why=$(grep -m 1 ': error: cannot build for HLS: ' "$d.err")
		if echo "$why" | grep -q '^[^ ]*:[0-9][0-9]*:[0-9][0-9]*: error: '; then
			why=${why#*cannot build for HLS: }
			pass "refused $name: ${why%%;*}"
		else
			fail "refused $name" "no diagnostic at a manifest line: $(head -n 3 "$d.err")"
		fi
		return
	fi
	if [ $rc -ne 0 ]; then
		fail "hls $name" "flowc exited with $rc: $(head -n 5 "$d.err")"
		return
	fi
	# shellcheck disable=SC2086
	build/flowc build "$c/flow.yaml" --target=hls $args -o "$d.again" >/dev/null 2>&1
	for x in "$d.again"/*; do
		if ! cmp -s "$x" "$d/${x##*/}"; then
			fail "hls $name" "two builds differ in ${x##*/}"
			return
		fi
	done
	if ! make -s -C "$d" CFLAGS="-O2 -Wall -Wextra -Werror -Wno-unknown-pragmas ${FLOWC_CFLAGS:-}" >"$d.make" 2>&1; then
		fail "hls $name" "make: $(grep -v '^cc ' "$d.make" | head -n 5)"
		return
	fi
	"$d/tb" -i "$c/inputs.jsonl" >"$d.out" 2>"$d.tberr"
	host=$(sed -n 's/^tb: \([0-9]*\) context.*/\1/p' "$d.tberr")
	total=$(grep -c . "$c/inputs.jsonl")
	if [ -n "$args" ] && ! cmp -s "$d.out" "$c/expected.jsonl"; then
		fail "hls $name" "not byte for byte $c/expected.jsonl: $(diff "$c/expected.jsonl" "$d.out" | head -n 6)"
	elif python3 "$SHARED/conformance/compare.py" "$c" "$d.out" >"$d.cmp" 2>&1; then
		pass "hls $name ($((total - ${host:-0})) of $total contexts through the kernel)"
	else
		fail "hls $name" "$(grep -v '^PASS' "$d.cmp" | head -n 8)"
	fi
}

for c in "$SHARED"/conformance/cases/*/ "$SHARED"/conformance/bench/*/ tests/cases/*/ \
    tests/hls/cases/*/ examples/hls-*/; do
	c=${c%/}
	[ -f "$c/flow.yaml" ] && [ -f "$c/inputs.jsonl" ] || continue
	if [ ! -f "$c/case.json" ]; then
		# An example: no case.json; compare with its expected.jsonl.
		mkdir -p "$H/case-${c##*/}"
		cp "$c/flow.yaml" "$c/inputs.jsonl" "$c/expected.jsonl" "$H/case-${c##*/}/"
		echo '{"name": "example"}' >"$H/case-${c##*/}/case.json"
		in_pair hls_case "$H/case-${c##*/}" "${c##*/}"
	else
		in_pair hls_case "$c" "${c##*/}"
	fi
done
pair_done

# ---- 2. refusals at the expected line ---------------------------------
for f in tests/hls/refuse-*.yaml; do
	[ -f "$f" ] || continue
	name=${f##*/}
	want=$(sed -n '1s/^# expect: //p' "$f")
	line=${want%% *}
	text=${want#* }
	build/flowc build "$f" --target=hls -o "$H/refuse" >"$H/refuse.err" 2>&1
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$name" "exit $rc, not 1"
	elif ! grep -q "^$f:$line:[0-9]*: error: .*$text" "$H/refuse.err"; then
		fail "$name" "no error at line $line saying '$text': $(head -n 2 "$H/refuse.err")"
	else
		pass "$name refused at line $line"
	fi
done

# ---- 3. the lint and the broken kernels ---------------------------------
lintdir=$H/hls-anomaly
if [ ! -f "$lintdir/hls-lint.sh" ]; then
	fail "lint" "no generated directory to take hls-lint.sh from"
else
	for k in tests/hls/lint-*.c; do
		want=$(sed -n '1s/^\/\* expect: \(.*\) \*\/$/\1/p' "$k")
		out=$(sh "$lintdir/hls-lint.sh" "$k" 2>&1)
		rc=$?
		if [ "$want" = clean ]; then
			[ $rc -eq 0 ] && pass "lint accepts ${k##*/}" || fail "lint accepts ${k##*/}" "$out"
		elif [ $rc -ne 1 ]; then
			fail "lint rejects ${k##*/}" "exit $rc, not 1: $out"
		elif ! printf '%s\n' "$out" | grep -qF "$want"; then
			fail "lint rejects ${k##*/}" "no '$want' in: $out"
		else
			pass "lint rejects ${k##*/}: $want"
		fi
	done
	if out=$(cd "$lintdir" && make -s lint 2>&1); then
		pass "make lint in a generated directory"
	else
		fail "make lint in a generated directory" "$out"
	fi
fi

# ---- 4. every vendor's pragmas, same results ---------------------------------
ex=examples/hls-anomaly
for v in vitis intel bambu none; do
	d=$H/vendor-$v
	rm -rf "$d"
	if ! build/flowc build "$ex/flow.yaml" --target=hls --hls-vendor=$v -o "$d" >/dev/null 2>&1; then
		fail "vendor $v" "flowc build failed"
	elif ! grep -q "^HLS_VENDOR = -DFLOW_HLS_VENDOR_$(echo $v | tr a-z A-Z)\$" "$d/Makefile"; then
		fail "vendor $v" "the Makefile does not select it"
	elif ! make -s -C "$d" CFLAGS="-O2 -Wall -Wextra -Werror -Wno-unknown-pragmas ${FLOWC_CFLAGS:-}" >"$d.make" 2>&1; then
		fail "vendor $v" "$(grep -v '^cc ' "$d.make" | head -n 5)"
	elif ! "$d/tb" -i "$ex/inputs.jsonl" 2>/dev/null | cmp -s - "$ex/expected.jsonl"; then
		fail "vendor $v" "the test bench's output differs from $ex/expected.jsonl"
	else
		pass "vendor $v: builds and agrees"
	fi
done

# ---- 5. the example's README shows the kernel flowc writes ---------------
rm -rf "$H/readme"
if build/flowc build "$ex/flow.yaml" --target=hls -o "$H/readme" >/dev/null 2>&1; then
	for f in flow_kernel.h flow_kernel.c; do
		awk -v f="$f" '$0 == "<!-- generated: " f " -->" { on = 1; getline; next }
		    on && /^```$/ { exit } on { print }' "$ex/README.md" >"$H/readme.$f"
		if cmp -s "$H/readme.$f" "$H/readme/$f"; then
			pass "$ex/README.md shows $f as generated"
		else
			fail "$ex/README.md shows $f as generated" "it differs (sh tests/hls/readme-kernel.sh updates it): $(diff "$H/readme/$f" "$H/readme.$f" | head -n 6)"
		fi
	done
else
	fail "$ex/README.md" "flowc build failed"
fi

# ---- 6. usage ------------------------------------------------------------
build/flowc build "$ex/flow.yaml" --target=hls --hls-vendor=xilinx -o "$H/bad" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && pass "unknown --hls-vendor is a usage error" || fail "unknown --hls-vendor" "exit $rc, not 2"

done_counting
