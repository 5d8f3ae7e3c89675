"""The case-study widgets in JupyterLab with a live kernel, as a lecturer demonstrates them:
the widget renders through anywidget's own front end, an edit in the browser reaches the
Python model, and a change made in Python redraws the widget. JupyterLab is the one nbgrader
installs; chromium is Debian's; nothing outside 127.0.0.1 is reached."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from kernel_support import ipc_arguments

from case_studies.sabhnani import model as sab

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
FIRST = "fieldset[data-victim=first]"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from case_studies.sabhnani.widget import RestitutionExplorer\n"
                                  "w = RestitutionExplorer()\nw"),
        nbformat.v4.new_code_cell("import json\nprint('HOURS', json.dumps(w.inputs['victims'][0]['hours_per_day']))\n"
                                  "print('TOTAL', json.dumps(round(w.results()['first'].total, 2)))"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "demo.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JUPYTER_CONFIG_DIR": str(root / ".config"),
           "JUPYTER_RUNTIME_DIR": str(root / ".runtime"), "HOME": str(root)}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabServerApp.extension_manager=readonly", "--allow-root", *ipc_arguments(root)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=root)
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"JupyterLab did not start: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.5)
    yield base, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def _output(page, marker: str) -> str:
    page.wait_for_function(f"() => [...document.querySelectorAll('.jp-OutputArea-output')]"
                           f".some(e => e.textContent.includes({json.dumps(marker)}))", timeout=60_000)
    text = page.eval_on_selector_all(".jp-OutputArea-output", "els => els.map(e => e.textContent).join('\\n')")
    return next(line for line in text.splitlines() if line.startswith(marker)).split(" ", 1)[1]


def _run_cell(page, index: int) -> None:
    page.evaluate("""async (i) => {
        const panel = window.jupyterapp.shell.currentWidget;
        panel.content.activeCellIndex = i;
        await window.jupyterapp.commands.execute('notebook:run-cell');
    }""", index)


def test_widget_renders_and_syncs_with_the_kernel_both_ways(browser, lab):
    base, token = lab
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{base}lab/tree/demo.ipynb?token={token}", timeout=90_000)
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                               " && window.jupyterapp.shell.currentWidget.sessionContext"
                               " && window.jupyterapp.shell.currentWidget.sessionContext.session", timeout=90_000)
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.ready")
        _run_cell(page, 0)
        page.wait_for_selector(f".cs-widget {FIRST} input[data-field=hours_per_day]", timeout=90_000)

        # An edit in the browser reaches Python, and Python's model agrees with the widget's figure.
        field = page.locator(f"{FIRST} input[data-field=hours_per_day]")
        field.fill("9")
        field.press("Tab")
        shown = float(page.get_attribute("td[data-victim=first][data-key=total]", "data-value"))
        _run_cell(page, 1)
        assert json.loads(_output(page, "HOURS")) == 9
        inputs = sab.default_inputs()
        expected = sab.all_victims({**inputs, "victims": [{**inputs["victims"][0], "hours_per_day": 9},
                                                          *inputs["victims"][1:]]})["first"].total
        assert json.loads(_output(page, "TOTAL")) == pytest.approx(expected, abs=0.01)
        assert shown == pytest.approx(expected, abs=0.01)

        # A change made in Python redraws the widget.
        page.evaluate("""async () => {
            const panel = window.jupyterapp.shell.currentWidget;
            const future = panel.sessionContext.session.kernel.requestExecute({code:
              "v = dict(w.inputs); v['victims'] = [dict(v['victims'][0], hours_per_day=11)] + list(v['victims'][1:]); w.inputs = v"});
            await future.done;
        }""")
        page.wait_for_function(f"() => document.querySelector('{FIRST} input[data-field=hours_per_day]').value === '11'",
                               timeout=30_000)
    finally:
        context.close()
    assert errors == []
    assert outside == [], f"JupyterLab or the widget asked for outside resources: {outside[:5]}"
