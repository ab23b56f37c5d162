# After the run: every round trip gave back its input exactly.
set -e
for f in gz bz2 xz; do
	cmp data.txt "data.$f.out"
	cmp empty.txt "empty.$f.out"
	printf 'first\nsecond\n' | cmp - "multi.$f.out"
done
