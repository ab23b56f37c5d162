#!/bin/sh
# run-compiled.sh FLOW INPUTS OPT [extra flowc build args]: compile FLOW
# with `flowc build -OOPT` (cached by content under $FLOWC_EXE_CACHE) and
# run it on INPUTS.  Used as compare.py's --cmd for the compiled backends.
flow=$1 inputs=$2 opt=$3
shift 3
cache=${FLOWC_EXE_CACHE:-${TMPDIR:-/tmp}/flowc-exe-cache}
mkdir -p "$cache"
key=$( (cat "$flow"; echo "$opt $*"; cat build/flowc build/libflowrt.a) | cksum | tr ' ' _)
exe=$cache/$key
if [ ! -x "$exe" ]; then
	build/flowc build "$flow" -O"$opt" "$@" -o "$exe.tmp" || exit 3
	mv "$exe.tmp" "$exe"
fi
exec "$exe" -i "$inputs"
