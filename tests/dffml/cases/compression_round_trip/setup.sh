# Fixtures: a text file, an empty file, and files of two concatenated
# compressed streams in each format (made with Python's gzip, bz2, lzma).
python3 - <<'PY'
import bz2, gzip, lzma
data = b"".join(b"line %d of the fixture\n" % i for i in range(2000))
open("data.txt", "wb").write(data)
open("empty.txt", "wb").close()
for ext, mod in (("gz", gzip), ("bz2", bz2), ("xz", lzma)):
    open("multi." + ext, "wb").write(mod.compress(b"first\n") + mod.compress(b"second\n"))
PY
