"""The graded notebooks in the browser (the site's JupyterLite app, lite/), as a student uses them.

Chromium sends every request for another host to a proxy that refuses and records it
(``lite_support.OutsideProxy``): the kernel's web worker and the service worker included, which
page routing does not see (and routing would make Chromium bypass the service worker and the
HTTP cache, so it is not used here). For each assignment: open the released notebook, edit an answer,
run ``check()`` and read its output, download the notebook with "Download to hand in", and grade
the download with ``python -m autograder grade`` beside the same answer saved as Jupyter saves
it: same score, same status. A second visit with the site's server stopped still runs
``check()``; so does a browser with no service worker at all.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import browser_support as bs
import lite_support as ls
import pytest
from browser_pages import AXE_JS, AXE_TAGS

SITE = bs.BUILT_SITE
READABLE = "the grader can read this answer"
ASSIGNMENTS = sorted(p.parent.name for p in (SITE / ls.LITE / "files").glob("*/*.ipynb") if p.stem == p.parent.name)

pytestmark = pytest.mark.skipif(not (SITE / ls.LITE / "jupyter-lite.json").is_file(),
                                reason=f"no JupyterLite app in {SITE} (built with course_lite: false or LITE=0?)")


@pytest.fixture(scope="module")
def proxy():
    with ls.OutsideProxy() as p:
        yield p


@pytest.fixture(scope="module")
def lite_browser(browser, proxy):
    chromium = ls.launch_chromium(browser.browser_type, proxy)
    yield chromium
    chromium.close()


@pytest.fixture
def server(built_site):
    with ls.RecordingServer(built_site) as s:
        yield s


@pytest.fixture
def context(lite_browser, server, proxy):
    ctx = lite_browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    watch = ls.watch(ctx, server)
    yield ctx, watch
    ctx.close()
    assert proxy.outside() == [], f"requests for other hosts: {proxy.outside()}"


def released(assignment: str) -> dict:
    return ls.read_json(SITE / ls.LITE / "files" / assignment / f"{assignment}.ipynb")


def first_answer(assignment: str) -> tuple[int, str, str, str, str]:
    """(index among code cells, grade id, question, value, new source) of the first answer cell."""
    nb = released(assignment)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    cell = ls.released_answer_cells(nb)[0]
    source = "".join(cell["source"])
    question, value, new = ls.answer_for(source)
    return code.index(cell), cell["metadata"]["nbgrader"]["grade_id"], question, value, new


def answer_and_check(page, assignment: str) -> tuple[str, float]:
    """Run the setup cell, write the first answer, run it: (its output, seconds to output)."""
    cells = ls.code_cells(page)
    ls.run_cell(page, cells.nth(0))  # from course_tools import ...
    index, _, _, _, new = first_answer(assignment)
    cell = cells.nth(index)
    ls.set_cell(page, cell, new)
    assert ls.cell_text(cell) == ls.lines(new)
    return ls.run_cell(page, cell)


def grade(assignment: str, submissions: Path, out: Path) -> dict[str, dict]:
    cmd = [sys.executable, "-m", "autograder", "grade", assignment, "--submissions", str(submissions),
           "--out", str(out), "--no-progress", "--jobs", "2"]
    if not shutil.which("bwrap"):  # these are the course's own notebooks, not a student's code
        cmd.append("--no-sandbox")
    result = subprocess.run(cmd, cwd=bs.ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    with open(out / "answers.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows[r["student_id"]].setdefault("answers", {})[r["question"]] = r["answer"]
    return rows


@pytest.mark.parametrize("assignment", ASSIGNMENTS or ["<no assignment>"])
def test_answer_check_download_and_grade(context, server, assignment, tmp_path):
    ctx, watch = context
    page = ctx.new_page()
    ls.open_notebook(page, server, assignment)
    output, _ = answer_and_check(page, assignment)
    assert READABLE in output, output

    with page.expect_download() as download:
        page.get_by_role("button", name="Download to hand in").click()
    assert download.value.suggested_filename == f"{assignment}.ipynb"
    lite_copy = tmp_path / "submissions" / "from-jupyterlite" / assignment / f"{assignment}.ipynb"
    lite_copy.parent.mkdir(parents=True)
    download.value.save_as(lite_copy)
    page.get_by_role("button", name="OK").click()  # "Your notebook is downloaded"
    watch.assert_clean()

    saved = ls.read_json(lite_copy)
    assert saved["metadata"]["kernelspec"]["name"] == "python"  # the Pyodide kernel's
    _, grade_id, question, value, new = first_answer(assignment)
    ls.as_jupyterlab_saves_it(SITE / ls.LITE / "files" / assignment / f"{assignment}.ipynb", grade_id, new,
                              tmp_path / "submissions" / "from-jupyterlab" / assignment / f"{assignment}.ipynb")
    rows = grade(assignment, tmp_path / "submissions", tmp_path / "grading")
    lite, lab = rows["from-jupyterlite"], rows["from-jupyterlab"]
    assert lite["status"] == lab["status"] == "graded", (lite["status"], lab["status"])
    assert lite["score"] == lab["score"], (lite["score"], lab["score"])
    assert json.loads(lite["answers"][question]) == json.loads(lab["answers"][question]) == json.loads(value)


def test_handing_in_an_answer_the_grader_cannot_read_asks_first(context, server):
    """Download to hand in, with an answer whose last run said "Not readable yet": a dialog names
    the question and its message; going back downloads nothing and puts the answer in front;
    "Download as it is" downloads."""
    ctx, watch = context
    page = ctx.new_page()
    assignment = ASSIGNMENTS[0]
    ls.open_notebook(page, server, assignment)
    cells = ls.code_cells(page)
    ls.run_cell(page, cells.nth(0))
    index, _, question, value, new = first_answer(assignment)
    ls.set_cell(page, cells.nth(index), new.replace(f"{question} = {value}", f"{question} = A"))
    output, _ = ls.run_cell(page, cells.nth(index))
    assert output.startswith("Not readable yet."), output
    downloads: list = []
    page.on("download", lambda d: downloads.append(d))

    page.get_by_role("button", name="Download to hand in").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Before you hand in").wait_for()
    text = dialog.inner_text()
    assert f"Question {question[1:]}: " in text, text
    assert "Not readable yet" not in text and f"Question {question[1:]}: {question}:" not in text, text
    page.keyboard.press("Enter")  # the default is to go back
    page.wait_for_timeout(500)
    assert downloads == []
    assert "jp-mod-active" in (cells.nth(index).evaluate("e => e.closest('.jp-Cell').className"))

    with page.expect_download() as download:
        page.get_by_role("button", name="Download to hand in").click()
        page.get_by_role("button", name="Download as it is").click()
    assert download.value.suggested_filename == f"{assignment}.ipynb"
    page.get_by_role("button", name="OK").click()
    watch.assert_clean()


def test_file_download_keeps_the_file_name(context, server):
    """File > Download gives protection.ipynb, not JupyterLite's protection_protection.ipynb."""
    ctx, watch = context
    page = ctx.new_page()
    assignment = ASSIGNMENTS[0]
    page.goto(server.url + ls.notebook_path(assignment))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    page.get_by_role("menuitem", name="File").click()
    with page.expect_download() as download:
        page.get_by_role("menuitem", name="Download", exact=True).click()
    assert download.value.suggested_filename == f"{assignment}.ipynb"
    page.get_by_role("menuitem", name="File").click()
    assert page.get_by_role("menuitem", name="Download to hand in").is_visible()
    watch.assert_clean()


def _kept_offline(page) -> dict:
    return page.evaluate("""async () => {
      const names = (await caches.keys()).filter(k => k.startsWith('course-kit-lite-'));
      const urls = [];
      for (const n of names) for (const r of await (await caches.open(n)).keys()) urls.push(r.url);
      return {names, urls};
    }""")


def test_second_visit_runs_check_with_the_site_gone(context, server):
    ctx, watch = context
    page = ctx.new_page()
    assignment = ASSIGNMENTS[0]
    ls.open_notebook(page, server, assignment)
    output, _ = answer_and_check(page, assignment)
    assert READABLE in output
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the service worker copies this visit's files into its cache
        kept = _kept_offline(page)
        if any(u.endswith("pyodide.asm.wasm") for u in kept["urls"]) and any(
                "/notebooks/index.html" in u for u in kept["urls"]):
            break
        time.sleep(1)
    else:
        pytest.fail(f"the offline cache did not get the runtime and the page: {kept}")
    time.sleep(2)

    server.stop()
    page.reload()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    ls.wait_for_kernel(page)
    cells = ls.code_cells(page)
    index, _, _, _, new = first_answer(assignment)
    assert ls.cell_text(cells.nth(index)) == ls.lines(new), "the saved answer is not there"
    ls.run_cell(page, cells.nth(0))
    output, _ = ls.run_cell(page, cells.nth(index))
    assert READABLE in output, output
    assert not [p for p in watch.page_errors], watch.page_errors


def test_the_runtime_is_answered_from_the_cache_even_when_first_fetched(context, server):
    """The browser keeps the code it compiles from WebAssembly only beside a response from the
    cache: the service worker stores the runtime's .wasm before it answers, so the response a
    first fetch gets is the cached one (the cache holds it as soon as the answer starts)."""
    ctx, watch = context
    page = ctx.new_page()
    ls.open_notebook(page, server, ASSIGNMENTS[0])
    url = server.url + ls.LITE + "/static/pyodide/pyodide.asm.wasm?fetched-once"  # not yet in the cache
    kept_when_answered, size = page.evaluate("""async (url) => {
      const response = await fetch(url);
      const kept = !!(await caches.match(url));
      return [kept, (await response.arrayBuffer()).byteLength];
    }""", url)
    assert size == (SITE / ls.LITE / "static" / "pyodide" / "pyodide.asm.wasm").stat().st_size
    assert kept_when_answered, "the first answer for the .wasm came from the network, not the cache"
    watch.assert_clean()


def test_helpers_import_where_no_service_worker_runs(context, server):
    """A private window or plain-HTTP host without service workers: the kernel cannot see the
    notebook's folder, and the course's extension gives it the helper files itself."""
    ctx, watch = context
    ctx.add_init_script(ls.NO_SERVICE_WORKER)
    page = ctx.new_page()
    assignment = ASSIGNMENTS[-1]
    nb = ls.open_notebook(page, server, assignment)
    assert any("will NOT be synced" in line for line in nb.console), "the test did not run without a service worker"
    output, _ = answer_and_check(page, assignment)
    assert "ModuleNotFoundError" not in output and READABLE in output, output
    watch.assert_clean()


def test_the_app_uses_no_outside_url_in_its_configuration():
    """What the kernel is told to load: the site's own copy of the runtime, a lock of the site's
    own wheels, no PyPI fallback (an incremental build once sent the kernel to a CDN)."""
    config = ls.read_json(SITE / ls.LITE / "jupyter-lite.json")["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
    assert kernel["disablePyPIFallback"] is True
    lock = ls.read_json(SITE / ls.LITE / "static" / "pyodide" / "pyodide-lock.json")
    for entry in lock["packages"].values():
        assert "/" not in entry["file_name"] and (SITE / ls.LITE / "static" / "pyodide" / entry["file_name"]).is_file()
    assert set(kernel["loadPyodideOptions"]["packages"]) <= set(lock["packages"])


def test_grader_takes_jupyterlites_stock_download_name(tmp_path):
    """Stock JupyterLite elsewhere downloads protection/protection.ipynb as
    protection_protection.ipynb: it grades as the notebook itself, status "graded" with the
    name as a note."""
    assignment = ASSIGNMENTS[0]
    _, grade_id, _, _, new = first_answer(assignment)
    source = SITE / ls.LITE / "files" / assignment / f"{assignment}.ipynb"
    ls.as_jupyterlab_saves_it(source, grade_id, new,
                              tmp_path / "submissions" / "stock-name" / assignment / f"{assignment}_{assignment}.ipynb")
    ls.as_jupyterlab_saves_it(source, grade_id, new,
                              tmp_path / "submissions" / "own-name" / assignment / f"{assignment}.ipynb")
    rows = grade(assignment, tmp_path / "submissions", tmp_path / "grading")
    assert rows["stock-name"]["score"] == rows["own-name"]["score"]
    assert rows["stock-name"]["status"] == (  # graded, and the name said as a note, not a problem
        f"graded; {assignment}_{assignment}.ipynb taken as {assignment}.ipynb "
        "(the name JupyterLite gives a downloaded notebook)"), rows["stock-name"]["status"]


def test_axe_on_the_course_extension(context, server):
    """axe-core (WCAG 2.1 A/AA) on the app: what the course adds (the hand-in button and its
    dialog) has no violation. JupyterLite's own UI is third-party: its findings are printed."""
    ctx, _ = context
    page = ctx.new_page()
    page.goto(server.url + ls.notebook_path(ASSIGNMENTS[0]))
    page.wait_for_selector(".course-kit-hand-in", timeout=120_000)
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    run = """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations
               .map(v => ({id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(' '))}))"""
    violations = page.evaluate(run, AXE_TAGS)
    ours = [v for v in violations if any("course-kit" in t for t in v["targets"])]
    print("\naxe on JupyterLite's notebook page:", json.dumps(violations, indent=1))
    assert ours == [], ours


SITE_WORKER = SITE / "sw.js"  # the course site's own service worker, at the site root


@pytest.mark.skipif(not SITE_WORKER.is_file(), reason="the site has no service worker of its own at its root")
def test_the_site_worker_and_jupyterlites_live_side_by_side(context, server):
    """A student reads a course page first (the site's worker takes the site root), then opens a
    notebook: JupyterLite registers its own worker under lite/ and the kernel sees the notebook's
    folder through it, and the site's worker is still registered afterwards."""
    ctx, watch = context
    page = ctx.new_page()
    page.goto(server.url + "book/work-in-your-browser.html")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    assignment = ASSIGNMENTS[0]
    ls.open_notebook(page, server, assignment)
    output, _ = answer_and_check(page, assignment)
    assert READABLE in output, output
    page.goto(server.url + "book/work-in-your-browser.html")
    scopes = page.evaluate("async () => (await navigator.serviceWorker.getRegistrations()).map(r => r.scope)")
    assert server.url in scopes and server.url + ls.LITE + "/" in scopes, scopes
    watch.assert_clean()


def test_a_notebook_of_ones_own_uploaded_into_its_folder(context, server, tmp_path):
    """As the page explains: the file view, the assignment's folder, Upload, replace the general
    notebook; the student's own notebook then opens there and check() works beside the helpers."""
    ctx, watch = context
    page = ctx.new_page()
    assignment = ASSIGNMENTS[0]
    own = tmp_path / f"{assignment}.ipynb"
    nb = released(assignment)
    nb["cells"].insert(0, {"cell_type": "markdown", "id": "own-facts", "metadata": {},
                           "source": "Notebook of a student with facts of their own"})
    own.write_text(json.dumps(nb), encoding="utf-8")
    page.goto(server.url + f"{ls.LITE}/tree/index.html")
    page.get_by_text(assignment, exact=True).dblclick()
    page.wait_for_selector(f'.jp-DirListing-item[title^="Name: {assignment}.ipynb"]', state="attached")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload").click()
    chooser.value.set_files(own)
    page.get_by_role("button", name="Overwrite").click()
    page.wait_for_timeout(1000)
    ls.open_notebook(page, server, assignment)
    assert page.get_by_text("Notebook of a student with facts of their own").count() >= 1  # not the general one
    output, _ = answer_and_check(page, assignment)
    assert READABLE in output, output
    watch.assert_clean()


# ---- What a student sees: the menus, the save time, starting again, a phone ------------------

# Commands a student has no use for, or that lose work, leave the site or do not work here.
NOT_FOR_STUDENTS = {
    "filemenu:logout", "filemenu:shutdown", "notebook:trust", "filebrowser:open-url",
    "application:open-lab", "application:clear-browser-data", "kernelmenu:change", "kernelmenu:shutdown",
    "apputils:activate-command-palette", "docmanager:restore-checkpoint", "application:rename",
    "filemenu:create-console", "notebook:edit-metadata", "help:jupyter-forum", "help:open",
}
STUDENTS = {"course:download-to-hand-in", "course:start-again-from-original", "course:start-question-again",
            "docmanager:save", "runmenu:run", "kernelmenu:restart"}
MENU_COMMANDS = """() => [...document.querySelectorAll('.lm-Menu .lm-Menu-item')]
    .filter(e => e.offsetParent).map(e => e.dataset.command).filter(Boolean)"""


def open_cells(page, server, assignment: str, path: str | None = None) -> None:
    page.set_default_timeout(120_000)  # a busy machine: the app shares it with the kernel's start
    page.goto(server.url + (f"{ls.LITE}/notebooks/index.html?path={path}" if path else ls.notebook_path(assignment)))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=300_000)


def menu_commands(page) -> set[str]:
    commands = set()
    for name in page.locator(".lm-MenuBar-itemLabel").all_inner_texts():
        page.get_by_role("menuitem", name=name, exact=True).click()
        commands |= set(page.evaluate(MENU_COMMANDS))
        page.keyboard.press("Escape")
    return commands


def answer_cells(assignment: str) -> list[tuple[int, str, str]]:
    """(index among code cells, question, source) of each code answer cell, as the site released it."""
    nb = released(assignment)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    return [(code.index(c), c["metadata"]["course"]["question"], "".join(c["source"]))
            for c in ls.released_answer_cells(nb)]


def run_menu(page, menu: str, item: str) -> None:
    page.get_by_role("menuitem", name=menu, exact=True).click()
    page.get_by_role("menuitem", name=item).click()


def kept_copies(page, server, assignment: str) -> list[str]:
    """The notebooks in the assignment's folder of the file view, other than the assignment's own."""
    page.goto(server.url + f"{ls.LITE}/tree/index.html")
    page.get_by_text(assignment, exact=True).dblclick()
    page.wait_for_selector(f'.jp-DirListing-item[title^="Name: {assignment}.ipynb"]', state="attached")
    names = page.locator(".jp-DirListing-item .jp-DirListing-itemText").all_inner_texts()
    return [n for n in names if n.endswith(".ipynb") and n != f"{assignment}.ipynb"]


def test_the_menus_hold_only_the_students_commands(context, server):
    ctx, watch = context
    page = ctx.new_page()
    open_cells(page, server, ASSIGNMENTS[0])
    commands = menu_commands(page)
    assert commands & NOT_FOR_STUDENTS == set(), sorted(commands & NOT_FOR_STUDENTS)
    assert STUDENTS <= commands, sorted(STUDENTS - commands)
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.keyboard.press("Control+Shift+c")  # the command palette's keys
    assert page.locator(".lm-CommandPalette:visible").count() == 0
    top = page.locator("#top-panel").inner_text()
    assert "Not Trusted" not in page.locator("body").inner_text() and "Checkpoint" not in top, top
    assert "Not saved yet" in top, top
    watch.assert_clean()


def answer_and_save(page, assignment: str) -> tuple[str, tuple[str, str]]:
    """Answer the first question, save with Ctrl+S: the save time the app shows, and the two
    wordings it may rightly have (the clock before and after the save)."""
    index, _, source = answer_cells(assignment)[0]
    ls.set_cell(page, ls.code_cells(page).nth(index), ls.answer_for(source)[2])
    clock = "() => new Date().toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'})"
    before = page.evaluate(clock)
    page.keyboard.press("Control+s")
    page.wait_for_function("() => document.querySelector('.course-kit-saved').textContent.startsWith('Saved at')")
    after = page.evaluate(clock)
    return page.locator(".course-kit-saved").inner_text(), (f"Saved at {before}", f"Saved at {after}")


def test_the_save_time_is_this_browsers_last_save(context, server):
    ctx, watch = context
    page = ctx.new_page()
    assignment = ASSIGNMENTS[0]
    open_cells(page, server, assignment)
    saved, times = answer_and_save(page, assignment)
    assert saved in times, (saved, times)
    page.reload()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=300_000)
    page.wait_for_function("() => document.querySelector('.course-kit-saved').textContent.startsWith('Saved at')")
    watch.assert_clean()


def test_start_this_question_again_keeps_a_copy_and_restores_the_answer(context, server):
    ctx, watch = context
    page = ctx.new_page()
    assignment = ASSIGNMENTS[0]
    open_cells(page, server, assignment)
    (first, q_first, source_first), (second, _, source_second) = answer_cells(assignment)[:2]
    cells = ls.code_cells(page)
    mine_second = ls.answer_for(source_second)[2]
    ls.set_cell(page, cells.nth(second), mine_second)
    mine_first = ls.answer_for(source_first)[2]
    ls.set_cell(page, cells.nth(first), mine_first)  # the cursor stays in the first question
    page.keyboard.press("Control+s")
    n = q_first.removeprefix("q")
    run_menu(page, "Edit", f"Start question {n} again")
    dialog = page.locator(".jp-Dialog")
    assert "a copy of your whole notebook" in dialog.inner_text() and "Your other answers stay" in dialog.inner_text()
    page.get_by_role("button", name=f"Start question {n} again").click()
    page.wait_for_function("() => !document.querySelector('.jp-Dialog')")
    page.wait_for_function("(t) => document.body.innerText.includes(t)", arg="Your work as it was is kept")
    assert ls.cell_text(cells.nth(first)) == ls.lines(source_first)
    assert ls.cell_text(cells.nth(second)) == ls.lines(mine_second)  # the other answer stays

    copies = kept_copies(page, server, assignment)
    assert len(copies) == 1 and copies[0].startswith(f"{assignment} - my work "), copies
    open_cells(page, server, assignment, path=f"{assignment}/{copies[0]}")
    kept = ls.code_cells(page)
    assert ls.cell_text(kept.nth(first)) == ls.lines(mine_first)
    assert ls.cell_text(kept.nth(second)) == ls.lines(mine_second)
    open_cells(page, server, assignment)  # the notebook itself was saved with the question restored
    assert ls.cell_text(ls.code_cells(page).nth(first)) == ls.lines(source_first)
    watch.assert_clean()


def test_start_again_from_the_original_keeps_a_copy(context, server):
    ctx, watch = context
    page = ctx.new_page()
    assignment = ASSIGNMENTS[0]
    open_cells(page, server, assignment)
    answers = answer_cells(assignment)[:2]
    cells = ls.code_cells(page)
    for index, _, source in answers:
        ls.set_cell(page, cells.nth(index), ls.answer_for(source)[2])
    page.keyboard.press("Control+s")
    run_menu(page, "File", "Start again from the original")
    page.get_by_role("button", name="Keep working").click()  # a change of mind changes nothing
    assert ls.cell_text(cells.nth(answers[0][0])) == ls.lines(ls.answer_for(answers[0][2])[2])
    run_menu(page, "File", "Start again from the original")
    page.get_by_role("button", name="Start again", exact=True).click()
    page.wait_for_function("(t) => document.body.innerText.includes(t)", arg="Your work as it was is kept")
    for index, _, source in answers:
        assert ls.cell_text(cells.nth(index)) == ls.lines(source)
    copies = kept_copies(page, server, assignment)
    assert len(copies) == 1, copies
    open_cells(page, server, assignment, path=f"{assignment}/{copies[0]}")
    for index, _, source in answers:
        assert ls.cell_text(ls.code_cells(page).nth(index)) == ls.lines(ls.answer_for(source)[2])
    watch.assert_clean()


def test_pythons_state_is_visible_on_a_phone(lite_browser, server, proxy):
    ctx = lite_browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(server.url + ls.notebook_path(ASSIGNMENTS[0]))
        state = page.locator(".course-kit-kernel-state")
        state.wait_for(timeout=300_000)
        page.wait_for_function("() => document.querySelector('.course-kit-kernel-state').dataset.state === 'ready'",
                               timeout=300_000)
        # Ready means ready for the student's cells: the kernel starts with the app and can be idle
        # before the page's silent set-up cell has run on it, which still says "starting".
        seen = page.evaluate("async () => { const e = document.querySelector('.course-kit-kernel-state');"
                             " const seen = []; for (let i = 0; i < 40; i++) { seen.push(e.innerText);"
                             " await new Promise((r) => setTimeout(r, 50)); } return seen; }")
        assert set(seen) == {"Python is ready"}, seen
        assert state.is_visible()
        box = state.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert not page.locator(".jp-Toolbar-responsive-popup").get_by_text("Python is ready").count()
    finally:
        ctx.close()
    assert proxy.outside() == [], proxy.outside()


def test_the_save_time_is_visible_on_a_phone(lite_browser, server, proxy):
    # Notebook 7 hides its top bar, where the save time is, on a narrow screen unless told not to.
    ctx = lite_browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        watch = ls.watch(ctx, server)
        page = ctx.new_page()
        assignment = ASSIGNMENTS[0]
        open_cells(page, server, assignment)
        page.wait_for_function("() => document.querySelector('.course-kit-saved').textContent")
        saved = page.locator(".course-kit-saved")
        assert saved.is_visible() and saved.inner_text() == "Not saved yet"
        text, times = answer_and_save(page, assignment)
        assert saved.is_visible() and text in times, (text, times)
        box = saved.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        # The top bar it is in brings back none of what the app leaves out.
        top = page.locator("#top-panel").inner_text()
        for word in ("Trust", "Checkpoint", "Log Out", "Shut Down"):
            assert word not in top, top
        watch.assert_clean()
    finally:
        ctx.close()
    assert proxy.outside() == [], proxy.outside()


def test_on_a_phone_the_answer_cell_and_its_message_wrap_between_words(lite_browser, server, proxy):
    """At 390 px the answer cell's hint line wraps instead of running off the editor, and the
    sentence check() prints wraps between words (JupyterLab breaks output anywhere)."""
    ctx = lite_browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        assignment = ASSIGNMENTS[0]
        ls.open_notebook(page, server, assignment, timeout=300)
        index, question, _ = answer_cells(assignment)[0]
        cell = ls.code_cells(page).nth(index)
        cell.scroll_into_view_if_needed()
        editor = cell.locator(".cm-scroller")
        assert editor.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the answer cell runs off the editor"
        output, _ = ls.run_cell(page, cell)
        assert "Not readable yet" in output, output
        pre = cell.locator(".jp-OutputArea-output pre").first
        assert pre.evaluate("e => getComputedStyle(e).wordBreak") == "normal"
        assert pre.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    finally:
        ctx.close()
    assert proxy.outside() == [], proxy.outside()


def test_an_error_shows_its_traceback_with_the_trimmed_kernel(context, server):
    """The kernel's Pygments keeps Python's lexers only: an error still shows its coloured
    traceback, and the course's text encodes as before."""
    ctx, watch = context
    page = ctx.new_page()
    assignment = ASSIGNMENTS[0]
    ls.open_notebook(page, server, assignment, timeout=300)
    index, _, _ = answer_cells(assignment)[0]
    cell = ls.code_cells(page).nth(index)
    ls.set_cell(page, cell, 'print("Article 6 – é".encode("cp1252"))\n1 / 0')
    output, _ = ls.run_cell(page, cell)
    assert "b'Article 6 \\x96 \\xe9'" in output and "ZeroDivisionError" in output, output
    assert cell.locator(".jp-OutputArea-output [style*='color'], .jp-OutputArea-output .ansi-red-fg").count(), \
        "the traceback is not coloured"
    watch.assert_clean()


def test_a_slip_python_cannot_parse_is_one_plain_sentence_as_the_first_move(context, server):
    """A student's first move: curly quotes pasted from a phone into the first answer, before any
    other cell has run. Python cannot parse the cell, so its own import line never runs; the
    kernel has the helpers' plain sentences from its start."""
    ctx, watch = context
    page = ctx.new_page()
    assignment = ASSIGNMENTS[0]
    ls.open_notebook(page, server, assignment, timeout=300)
    index, question, _ = answer_cells(assignment)[0]
    cell = ls.code_cells(page).nth(index)
    source = ls.cell_text(cell)
    ls.set_cell(page, cell, re.sub(rf"^{question}\s*=.*$", f"{question} = \u201cA\u201d", source, flags=re.M))
    output, _ = ls.run_cell(page, cell)
    assert "straight quotes" in output, output
    assert "Traceback" not in output and "SyntaxError" not in output, output
    watch.assert_clean()


# Scrolled through, as Notebook 7 draws cells only as they come into view: every written
# answer seen (a markdown cell whose text is the answer cell's own), framed and labelled or not.
WRITTEN_ANSWERS = """async () => {
  const seen = [];
  const scroller = document.querySelector('.jp-WindowedPanel-outer') || document.scrollingElement;
  for (let step = 0; step < 400; step++) {
    for (const cell of document.querySelectorAll('.jp-MarkdownCell')) {
      const text = cell.querySelector('.jp-RenderedMarkdown');
      if (!text || text.innerText.trim() !== 'Write your answer here.' || seen.includes(cell)) continue;
      seen.push(cell);
    }
    const before = scroller.scrollTop;
    scroller.scrollBy(0, 500);
    await new Promise(r => setTimeout(r, 40));
    if (scroller.scrollTop === before) break;
  }
  return seen.map(cell => {
    const box = cell.querySelector('.jp-Cell-inputWrapper');
    return {framed: cell.classList.contains('course-kit-answer') && parseFloat(getComputedStyle(box).borderTopWidth) >= 2,
            label: getComputedStyle(box, '::before').content};
  });
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_written_answers_are_framed_and_the_app_follows_the_colour_scheme(lite_browser, server, proxy, scheme):
    """A written answer is a markdown cell, drawn like the text around it: each is framed and
    labelled, so a student sees where to write; the app is dark on a dark system."""
    assignment = next((a for a in ASSIGNMENTS if "Write your answer here" in json.dumps(released(a))), None)
    if assignment is None:
        pytest.skip("no assignment on the site has a written answer")
    ctx = lite_browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page = ctx.new_page()
        open_cells(page, server, assignment)
        light = "true" if scheme == "light" else "false"
        page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'")
        ls.wait_for_kernel(page, 300)  # the theme is applied and the notebook drawn by then
        answers = page.evaluate(WRITTEN_ANSWERS)
        assert answers and all(a["framed"] and "Your answer" in a["label"] for a in answers), answers
    finally:
        ctx.close()
