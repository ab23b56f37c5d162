#!/bin/sh
# readme-kernel.sh: rewrite the generated-kernel blocks of
# examples/hls-anomaly/README.md from what build/flowc writes now (run it
# from the top of the tree after changing the HLS backend; make check
# says when it is needed).
set -eu
ex=examples/hls-anomaly
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build/flowc build "$ex/flow.yaml" --target=hls -o "$tmp/k" >/dev/null
awk -v dir="$tmp/k" '
	/^<!-- generated: .* -->$/ {
		print
		f = $3
		getline
		print
		while ((getline line < (dir "/" f)) > 0)
			print line
		close(dir "/" f)
		skip = 1
		next
	}
	skip && /^```$/ { skip = 0 }
	!skip { print }
' "$ex/README.md" >"$tmp/README.md"
cp "$tmp/README.md" "$ex/README.md"
