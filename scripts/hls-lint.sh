#!/bin/sh
# hls-lint.sh: the open lint of an HLS kernel (flowc-hls(7)).
#
#   sh hls-lint.sh [-q] KERNEL.c
#
# Compiles KERNEL.c with gcc -std=c99 -pedantic -Wall -Wextra -Werror
# -Werror=vla -fstack-usage -fcallgraph-info=su, with flowhls.h (next to
# this script) forced in first in its lint mode, which poisons the heap,
# alloca, stdio and process control; then rejects recursion, indirect
# calls, calls to functions the kernel does not define and stack frames
# of dynamic size, and checks every pragma each vendor would see
# against the documented forms.  Also compiled once per vendor, and as
# C++ (Intel's compiler) when g++ is there.
# Exit status: 0 clean, 1 rejected, 2 cannot run (no gcc).  HLS_LINT_CC
# names another gcc.
quiet=0
if [ "${1:-}" = -q ]; then
	quiet=1
	shift
fi
if [ $# -ne 1 ]; then
	echo "usage: sh hls-lint.sh [-q] KERNEL.c" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
case $1 in
/*) k=$1 ;;
*) k=$(pwd)/$1 ;;
esac
cc=${HLS_LINT_CC:-gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "hls-lint: $cc not found: lint skipped" >&2
	exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hls-lint.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
bad=0
say() {
	echo "$k: hls-lint: $*" >&2
	bad=1
}
flags="-std=c99 -pedantic -Wall -Wextra -Werror -Werror=vla"
# On x86, gcc -O0 pushes the arguments of a call with more than six, and
# -fstack-usage then calls the caller's frame "dynamic,bounded"; stored
# into the frame instead, they leave only alloca and VLAs dynamic.
if "$cc" -maccumulate-outgoing-args -S -o /dev/null -x c /dev/null >/dev/null 2>&1; then
	flags="$flags -maccumulate-outgoing-args"
fi

# 1. Compiles cleanly with nothing forbidden, at -O0 so that the call
#    graph is the one written (no inlining, no tail calls).
#    Pragmas are left to step 5.
if ! (cd "$tmp" && "$cc" $flags -Wno-unknown-pragmas -I"$here" -O0 -DFLOW_HLS_VENDOR_NONE \
    -DFLOW_OPS_NO_BUILTINS -DFLOW_HLS_LINT -include flowhls.h -fstack-usage \
    -fcallgraph-info=su -c "$k" -o k.o); then
	say "does not compile under the lint (heap, stdio, VLAs and warnings are errors)"
	: >"$tmp/k.su"
	: >"$tmp/k.ci"
fi

# 2. Stack frames of fixed size only (alloca and VLAs are dynamic).
awk -F'\t' '$3 != "static" {
	n = $1; sub(/.*:/, "", n)
	print "stack frame of " n " is " $3 " (alloca or a variable-length array)"
}' "$tmp/k.su" >"$tmp/su.txt"
while IFS= read -r line; do say "$line"; done <"$tmp/su.txt"

# 3. The call graph: no recursion, no indirect calls, no external calls.
awk '
function field(name,   r) {
	r = $0
	if (!sub(".*" name ": \"", "", r))
		return ""
	sub("\".*", "", r)
	return r
}
function short(t,   r) { r = t; sub(/.*:/, "", r); return r }
function visit(v,   i, n, a, w, j, cyc) {
	color[v] = 1
	stack[++depth] = v
	n = split(adj[v], a, " ")
	for (i = 1; i <= n; i++) {
		w = a[i]
		if (color[w] == 1) {
			cyc = short(w)
			for (j = depth; j >= 1 && stack[j] != w; j--)
				;
			for (j = j + 1; j <= depth; j++)
				cyc = cyc " -> " short(stack[j])
			print "recursion: " cyc " -> " short(w)
		} else if (!color[w])
			visit(w)
	}
	depth--
	color[v] = 2
}
/^node:/ {
	t = field("title")
	nodes[++nn] = t
	if ($0 ~ /shape *: *ellipse/ && $0 !~ /<built-in>/ && t != "__indirect_call")
		ext[t] = 1
}
/^edge:/ {
	s = field("sourcename")
	d = field("targetname")
	adj[s] = adj[s] " " d
	if (d == "__indirect_call")
		print "indirect call in " short(s) " (function pointers cannot be synthesized)"
	else if (d in ext)
		print short(s) " calls " d ", which the kernel does not define (libraries and system calls cannot be synthesized)"
}
END {
	for (i = 1; i <= nn; i++)
		if (!color[nodes[i]])
			visit(nodes[i])
}' "$tmp/k.ci" >"$tmp/ci.txt"
while IFS= read -r line; do say "$line"; done <"$tmp/ci.txt"

# 4. Each vendor's expansion, and as C++.
for v in VITIS INTEL BAMBU; do
	if [ $bad -eq 0 ] && ! "$cc" $flags -I"$here" -Wno-unknown-pragmas -DFLOW_HLS_VENDOR_$v -fsyntax-only "$k"; then
		say "does not compile with -DFLOW_HLS_VENDOR_$v"
	fi
done
if [ $bad -eq 0 ] && command -v g++ >/dev/null 2>&1; then
	if ! g++ -x c++ -std=c++11 -Wall -Wextra -Werror -Wno-unknown-pragmas -I"$here" \
	    -DFLOW_HLS_VENDOR_NONE -fsyntax-only "$k"; then
		say "is not valid C++ (Intel's HLS compiler compiles C++)"
	fi
fi

# 5. Every pragma each vendor sees, in the kernel and its own headers,
#    has a documented form (flowc-hls(7)); NONE sees none at all.
for v in NONE VITIS INTEL BAMBU; do
	if ! "$cc" -std=c99 -E -I"$here" -DFLOW_HLS_VENDOR_$v "$k" >"$tmp/$v.i"; then
		say "cannot be preprocessed with -DFLOW_HLS_VENDOR_$v"
		continue
	fi
	awk -v vendor=$v '
	BEGIN {
		id = "[A-Za-z_][A-Za-z0-9_]*"
		if (vendor == "VITIS") {
			form[1] = "^HLS top name=" id "$"
			form[2] = "^HLS interface mode=(axis|s_axilite) port=" id "$"
			form[3] = "^HLS pipeline II=1$"
			form[4] = "^HLS dataflow$"
			form[5] = "^HLS stream variable=" id " depth=[0-9]+$"
			nf = 5
		} else if (vendor == "INTEL") {
			form[1] = "^ii 1$"
			nf = 1
		} else if (vendor == "BAMBU") {
			form[1] = "^HLS interface port=" id " mode=(axis|none)$"
			nf = 1
		}
	}
	/^# [0-9]+ "/ {
		line = $2 - 1
		file = $3
		gsub(/"/, "", file)
		sys = 0
		for (i = 4; i <= NF; i++)
			if ($i == 3)
				sys = 1
		next
	}
	{ line++ }
	/^[ \t]*#[ \t]*pragma[ \t]/ && !sys {
		t = $0
		sub(/^[ \t]*#[ \t]*pragma[ \t]+/, "", t)
		sub(/[ \t]+$/, "", t)
		ok = 0
		for (i = 1; i <= nf; i++)
			if (t ~ form[i])
				ok = 1
		if (!ok)
			print "#pragma " t " (" file ":" line "): not a documented form for " vendor
	}' "$tmp/$v.i" >"$tmp/pragma.txt"
	while IFS= read -r line; do say "$line"; done <"$tmp/pragma.txt"
done

if [ $bad -ne 0 ]; then
	exit 1
fi
if [ $quiet -eq 0 ]; then
	nf=$(wc -l <"$tmp/k.su" | tr -d ' ')
	big=$(awk -F'\t' 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$tmp/k.su")
	echo "$k: hls-lint: clean ($nf functions, no recursion, largest stack frame $big bytes)"
fi
exit 0
