"""Driving the site's JupyterLite app (lite/) in chromium, for tests/browser/test_lite.py: the
server, the proxy and a student's steps are benchmarks/lite_browser.py's, which benchmarks/lite.py
uses too (the benchmarks do not import the tests); what only the tests need is here.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.lite_browser import (  # noqa: F401  (the browser tests' names for them)
    KERNEL_READY,
    LITE,
    NO_SERVICE_WORKER,
    Hit,
    Notebook,
    OutsideProxy,
    RecordingServer,
    answer_for,
    cell_text,
    code_cells,
    launch_chromium,
    lines,
    notebook_path,
    open_notebook,
    read_json,
    released_answer_cells,
    run_cell,
    set_cell,
    wait_for_kernel,
    watch,
)


def as_jupyterlab_saves_it(released: Path, grade_id: str, source: str, dest: Path) -> None:
    """The released notebook with one answer cell changed, written as Jupyter (nbformat) does."""
    import nbformat

    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
