#!/usr/bin/python3
"""dask_pipe.py: a compiled flow on Dask's distributed scheduler.

    dask_pipe.py EXE INPUTS.jsonl OUTPUT.jsonl [--workers N]
                 [--blocksize BYTES] [--scheduler ADDRESS] [-- EXE-ARGS...]

Splits INPUTS.jsonl into partitions on line boundaries (dask.bag's
read_text, BYTES per partition, default 1 MiB), ships EXE to every worker
(a worker plugin writes it into each worker's directory, so the workers need not share a file
system with this machine), pipes each partition through it on a worker
(`EXE EXE-ARGS...` with the partition on standard input) and writes the
output lines to OUTPUT.jsonl in partition order, so in input order,
with the line numbers of error lines for lines that are not contexts
counted from the start of the whole input: the output is that of one
process over INPUTS.jsonl, byte for byte.
Says on standard error how many partitions ran on how many worker
processes.

Without --scheduler, the cluster is a LocalCluster of N worker processes
(default 2) with one thread each, on this machine; with it, the
scheduler at ADDRESS (`dask-scheduler` and `dask-worker` on the nodes).

A flow's exit status 1 means that some context failed: its error line is
in the output like any other, so that partition counts as done.  Any
other non-zero status (a bad argument, an unwritable output, a crash) is
a failed task: the worker raises, Dask retries it on another worker
(--retries, default 1), and if it fails again this script stops and
exits 2.  Otherwise it exits 1 if any partition's status was 1, else 0,
as one process over the whole input would.

Needs python3-dask and python3-distributed (Debian; scripts/deps.sh).
"""
import argparse
import os
import re
import stat
import subprocess
import sys


class ShipFile:
    """A worker plugin that writes an executable into each worker's
    directory (also on workers that join later)."""

    def __init__(self, path):
        self.name = os.path.basename(path)
        with open(path, "rb") as f:
            self.data = f.read()

    def setup(self, worker):
        path = os.path.join(worker.local_directory, self.name)
        with open(path, "wb") as f:
            f.write(self.data)
        os.chmod(path, stat.S_IRWXU)


def run_partition(lines, exe_name, args):
    """Pipe one partition's lines through the shipped executable.

    Returns (exit status, output bytes, lines, worker pid); raises on a status other than
    0 or 1 so that Dask counts the task as failed."""
    from distributed import get_worker

    exe = os.path.join(get_worker().local_directory, exe_name)
    data = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    p = subprocess.run([exe] + args, input=data.encode("utf-8"),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        raise RuntimeError("%s exited with %d: %s" % (exe_name, p.returncode,
                           p.stderr.decode("utf-8", "replace")[:400]))
    return p.returncode, p.stdout, len(lines), os.getpid()


LINE_ERROR = re.compile(rb'^\{"line": (\d+), ', re.M)


def renumber(data, offset):
    """Make the line numbers of a partition's error lines ({"line": N,
    ...}, for lines that are not contexts) count from the whole input's
    start."""
    if offset == 0:
        return data
    return LINE_ERROR.sub(lambda m: b'{"line": %d, ' % (int(m.group(1)) + offset), data)


def parse_args(argv):
    """The command line; what follows `--` goes to the executable."""
    extra = []
    if "--" in argv:
        k = argv.index("--")
        argv, extra = argv[:k], argv[k + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("exe")
    ap.add_argument("inputs")
    ap.add_argument("output")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--blocksize", type=int, default=1 << 20)
    ap.add_argument("--scheduler")
    ap.add_argument("--retries", type=int, default=1)
    a = ap.parse_args(argv)
    a.args = extra
    return a


def pipe(client, a):
    """Run every partition; returns the exit status."""
    import dask
    import dask.bag as db

    client.register_worker_plugin(ShipFile(a.exe), name="flowc-exe")
    name = os.path.basename(a.exe)
    parts = db.read_text(a.inputs, blocksize=a.blocksize).to_delayed()
    tasks = [dask.delayed(run_partition)(p, name, a.args) for p in parts]
    futures = client.compute(tasks, retries=a.retries)
    status = offset = 0
    pids = set()
    with open(a.output, "wb") as out:
        for f in futures:
            rc, data, nlines, pid = f.result()
            out.write(renumber(data, offset))
            offset += nlines
            status = max(status, rc)
            pids.add(pid)
    print("dask_pipe: %d partitions on %d worker processes, exit status %d"
          % (len(futures), len(pids), status), file=sys.stderr)
    return status


def main(argv):
    a = parse_args(argv)
    from distributed import Client, LocalCluster

    if a.scheduler:
        cluster = None
        client = Client(a.scheduler)
    else:
        cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        return pipe(client, a)
    except Exception as e:      # a task that failed after its retries
        print("dask_pipe: %s" % e, file=sys.stderr)
        return 2
    finally:
        client.close()
        if cluster:
            cluster.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
