# Fixtures: a small directory tree, and a gzipped tar of another one
# made by Python's tarfile.
python3 - <<'PY'
import io, os, tarfile
for p, text in (("tree/a.txt", "alpha\n"), ("tree/sub/b.txt", "beta\n"),
                ("tree/sub/deeper/c.txt", "gamma\n"), ("tree/Z.txt", "upper\n")):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "w").write(text)
with tarfile.open("fixture.tar.gz", "w:gz") as t:
    data = b"from a tar.gz\n"
    info = tarfile.TarInfo("inside/note.txt")
    info.size = len(data)
    t.addfile(info, io.BytesIO(data))
PY
