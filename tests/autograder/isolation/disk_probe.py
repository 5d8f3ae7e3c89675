"""Run as an ordinary user by test_own_disk.py: a sandbox's notebook folder without root, as
JSON. Argument: the size in bytes of a file the grader puts in the folder before the kernel
starts."""

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


limits = Limits(cell_seconds=20, notebook_seconds=90, disk_bytes=8 * MiB)
sb = Sandbox(limits, "bwrap")
try:
    (sb.work / "data").mkdir()
    (sb.work / "data" / "given.bin").write_bytes(b"g" * int(sys.argv[1]))
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _cell("import os\nprint(len(open('data/given.bin', 'rb').read()), os.getcwd() == os.environ['HOME'])", "seen"),
        _cell("_i = 0\nwhile True:\n    open(f'f{_i}', 'wb').write(bytes(2**20))\n    _i += 1", "q2"),
        _cell("print(sum(os.path.getsize(f) for f in os.listdir('.') if f.startswith('f')))", "written"),
    ]
    outcome = SubmissionClient(nb, sb, limits, "probe").run()
    texts = [[o.get("text", o.get("ename")) for o in c.outputs] for c in nb.cells]
    host = _host_bytes(sb.root)  # the kernel has stopped: what it left on the host's /tmp
    host_work = sorted(os.listdir(sb.work))
finally:
    sb.end()
pool = KernelPool()
pool.start_spare(limits, "bwrap")
spare = bool(pool._spare)
pool.end()
print(json.dumps({"incidents": outcome.incidents, "outputs": texts, "host_bytes": host, "host_work": host_work,
                  "copies_in": sb.copies_in, "spare_kernel": spare}))
