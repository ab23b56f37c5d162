# After the run: both extractions give the tree back; the archives list
# the entries DFFML's operations write, in that order (measured there).
set -e
diff -r tree unzipped
diff -r tree untarred
test "$(cat from_targz/inside/note.txt)" = "from a tar.gz"
python3 - <<'PY'
import tarfile, zipfile
z = zipfile.ZipFile("tree.zip").namelist()
t = [m.name for m in tarfile.open("tree.tar").getmembers()]
want_z = ["Z.txt", "a.txt", "sub/", "sub/b.txt", "sub/deeper/", "sub/deeper/c.txt"]
want_t = ["Z.txt", "a.txt", "sub", "sub/b.txt", "sub/deeper", "sub/deeper/c.txt",
          "sub/b.txt", "sub/deeper", "sub/deeper/c.txt", "sub/deeper/c.txt"]
assert z == want_z, z
assert t == want_t, t
assert all(i.compress_type == zipfile.ZIP_STORED for i in zipfile.ZipFile("tree.zip").infolist())
PY
