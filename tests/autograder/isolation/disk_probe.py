"""Run as an ordinary user by test_own_disk.py: a sandbox's notebook folder without root, as
JSON. Arguments: the size in bytes of a file the grader puts in the folder before the kernel
starts; what the notebook does: "fill" (writes into its own folder without end), "up" (writes
into the sockets' folder `../k` and the private folder `..` without end), "forge" (a start-up
script of the student's tries to say its files did not fit, and stops the kernel), "unreadable"
(the grader's file cannot be read, so not copied)."""

import json
import os
import sys

import nbformat

from autograder.isolation.limits import Limits, MiB
from autograder.isolation.sandbox import Sandbox
from autograder.kernels import KernelPool
from autograder.steps.execute import SubmissionClient


def _cell(source: str, gid: str):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": gid}
    return cell


def _host_bytes(folder) -> int:
    return sum(os.lstat(os.path.join(top, f)).st_size for top, _, files in os.walk(folder) for f in files)


FORGE = """import os
for path in ['/proc/self/fd/8', '/proc/1/fd/8', f'/proc/{os.getppid()}/fd/8', '../copy.log',
             '../k/files-did-not-fit', os.environ.get('HOME', '.') + '/../copy.log']:
    try:
        with open(path, 'a') as f:
            f.write("cp: error writing 'x': No space left on device\\ncopy failed\\n")
    except OSError:
        pass
os._exit(1)
"""

WRITERS = {
    "fill": "_i = 0\nwhile True:\n    open(f'f{_i}', 'wb').write(bytes(2**20))\n    _i += 1",
    "up": "_i = 0\nwhile True:\n    open(f'../k/f{_i}', 'wb').write(bytes(2**20))\n"
          "    open(f'../g{_i}', 'wb').write(bytes(2**20))\n    _i += 1",
}
COUNTERS = {
    "fill": "print(sum(os.path.getsize(f) for f in os.listdir('.') if f.startswith('f')))",
    "up": "print(sum(os.path.getsize(f'../k/{f}') for f in os.listdir('../k') if f.startswith('f'))"
          " + sum(os.path.getsize(f'../{f}') for f in os.listdir('..') if f.startswith('g')))",
}

mode = sys.argv[2] if len(sys.argv) > 2 else "fill"
limits = Limits(cell_seconds=20, notebook_seconds=90, disk_bytes=8 * MiB)
sb = Sandbox(limits, "bwrap")
try:
    (sb.work / "data").mkdir()
    (sb.work / "data" / "given.bin").write_bytes(b"g" * int(sys.argv[1]))
    if mode == "forge":
        (sb.work / ".ipython" / "profile_default" / "startup").mkdir(parents=True)
        (sb.work / ".ipython" / "profile_default" / "startup" / "00-forge.py").write_text(FORGE)
    if mode == "unreadable":
        (sb.work / "data" / "given.bin").chmod(0)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _cell("import os\nprint(len(open('data/given.bin', 'rb').read()), os.getcwd() == os.environ['HOME'])", "seen"),
        _cell(WRITERS.get(mode, WRITERS["fill"]), "q2"),
        _cell(COUNTERS.get(mode, COUNTERS["fill"]), "written"),
    ]
    outcome = SubmissionClient(nb, sb, limits, "probe").run()
    texts = [[o.get("text", o.get("ename")) for o in c.outputs] for c in nb.cells]
    host = _host_bytes(sb.root)  # the kernel has stopped: what it left on the host's /tmp
    host_work = sorted(os.listdir(sb.work))
    host_root = sorted(os.listdir(sb.root))
    host_sockets = sorted(os.listdir(sb.sockets))
finally:
    sb.end()
pool = KernelPool()
pool.start_spare(limits, "bwrap")
spare = bool(pool._spare)
pool.end()
print(json.dumps({"incidents": outcome.incidents, "outputs": texts, "host_bytes": host, "host_work": host_work,
                  "host_root": host_root, "host_sockets": host_sockets,
                  "copies_in": sb.copies_in, "spare_kernel": spare}))
