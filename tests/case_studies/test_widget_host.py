"""The site's widget host (_ext/widget-host.js): renders saved anywidget views with no kernel
and no request beyond the page, and says plainly when a widget needs Python. Checked on pages
made here, in chromium, and on a strict build of a page holding a widget it cannot run."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import browser_support as bs
import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("widget_host", ROOT / "_ext" / "widget_host.py")
widget_host = importlib.util.module_from_spec(spec)
spec.loader.exec_module(widget_host)

# A module in anywidget's other form (a default-export function), with initialize; it
# counts renders and mirrors the model's "n" into each view.
COUNTER = """
export default () => ({
  initialize({ model }) { model.set("initialized", (model.get("initialized") || 0) + 1); },
  render({ model, el }) {
    const b = document.createElement("button");
    const show = () => { b.textContent = "n=" + model.get("n"); };
    b.addEventListener("click", () => { model.set("n", model.get("n") + 1); model.save_changes(); });
    const off = () => model.off("change:n", show);
    el.dataset.initialized = model.get("initialized");
    model.on("change:n", show);
    show();
    el.append(b);
    el.addEventListener("stop", off);
  },
});
"""
BROKEN = "export default { render() { throw new Error('boom'); } };"


def _anywidget(esm, **state):
    return {"model_name": "AnyModel", "model_module": "anywidget", "model_module_version": "~0.11.*",
            "state": {"_esm": esm, "_css": ".counter-test { color: rgb(1, 2, 3); }", "_dom_classes": ["counter-test"],
                      "layout": "IPY_MODEL_layout", **state}}


STATE = {"version_major": 2, "version_minor": 0, "state": {
    "layout": {"model_name": "LayoutModel", "model_module": "@jupyter-widgets/base", "model_module_version": "2.0.0",
               "state": {"_model_name": "LayoutModel", "width": "300px", "height": None}},
    "counter": _anywidget(COUNTER, n=1),
    "broken": _anywidget(BROKEN),
    "slider": {"model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls",
               "model_module_version": "2.0.0", "state": {"value": 3}},
}}


def _view(model_id):
    return (f'<script type="application/vnd.jupyter.widget-view+json">'
            f'{json.dumps({"version_major": 2, "version_minor": 0, "model_id": model_id})}</script>')


PAGE = f"""<!doctype html><html lang="en"><head><title>host</title>
<script type="application/vnd.jupyter.widget-state+json">{json.dumps(STATE)}</script>
<script src="widgets/widget-host.js"></script></head><body>
<div id="a">{_view("counter")}</div><div id="b">{_view("counter")}</div>
<div id="s">{_view("slider")}</div><div id="x">{_view("broken")}</div><div id="m">{_view("missing")}</div>
</body></html>"""


@pytest.fixture
def host_page(browser, tmp_path):
    (tmp_path / "widgets").mkdir()
    shutil.copy(widget_host.HOST, tmp_path / "widgets" / "widget-host.js")
    (tmp_path / "host.html").write_text(PAGE, encoding="utf-8")
    with bs.StaticServer(tmp_path) as server:
        context = browser.new_context()
        watch = bs.watch_context(context, server)
        page = context.new_page()
        page.goto(server.url + "host.html")
        page.wait_for_selector("#a .widget-subarea button")
        yield page, watch
        context.close()


@pytest.mark.browser
def test_views_of_one_model_share_its_state_and_initialize_once(host_page):
    page, watch = host_page
    assert page.inner_text("#a button") == "n=1" and page.inner_text("#b button") == "n=1"
    page.click("#a button")
    assert page.inner_text("#b button") == "n=2"  # the other view heard the change
    assert page.get_attribute("#a .counter-test", "data-initialized") == "1"
    assert page.get_attribute("#b .counter-test", "data-initialized") == "1"
    # The module's CSS and the layout model's width apply; saved view scripts stay as data.
    assert page.eval_on_selector("#a .counter-test", "e => getComputedStyle(e).color") == "rgb(1, 2, 3)"
    assert page.eval_on_selector("#a .counter-test", "e => e.style.width") == "300px"


@pytest.mark.browser
def test_off_stops_a_listener(host_page):
    page, _ = host_page
    page.eval_on_selector("#b .counter-test", "e => e.dispatchEvent(new Event('stop'))")
    page.click("#a button")
    assert page.inner_text("#a button") == "n=2" and page.inner_text("#b button") == "n=1"


@pytest.mark.browser
def test_widgets_it_cannot_run_say_so_and_the_rest_still_render(host_page):
    page, watch = host_page
    needs = "needs Python (a Jupyter kernel)"
    assert needs in page.inner_text("#s .widget-subarea")  # a standard ipywidgets slider
    assert needs in page.inner_text("#m .widget-subarea")  # a view of a model not saved
    assert "could not start" in page.inner_text("#x .widget-subarea")
    assert watch.blocked == [] and watch.failed == [] and watch.page_errors == []
    assert [e for e in watch.console_errors if "boom" not in e] == []


def test_myst_nb_loads_the_host_by_a_relative_path():
    paths = widget_host.ipywidgets_js()
    assert list(paths) == ["widgets/widget-host.js"]
    assert not any("://" in p or p.startswith("/") for p in paths)


def test_unsupported_names_every_widget_that_is_not_an_anywidget():
    assert widget_host.unsupported(STATE) == ["IntSliderModel (@jupyter-widgets/controls)"]
    assert widget_host.unsupported({"state": {k: STATE["state"][k] for k in ("layout", "counter")}}) == []


def test_a_page_with_a_widget_the_host_cannot_run_fails_the_strict_build(tmp_path):
    """The book's build settings (myst-nb, -W) on a one-page project holding a standard slider."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT / "_ext")!r})
        extensions = ["myst_nb", "widget_host"]
        nb_execution_mode = "force"
        """), encoding="utf-8")
    (src / "index.md").write_text(textwrap.dedent("""
        ---
        jupytext:
          text_representation:
            extension: .md
            format_name: myst
        kernelspec:
          display_name: Python 3
          language: python
          name: python3
        ---

        # Slider

        ```{code-cell} ipython3
        import ipywidgets
        ipywidgets.IntSlider()
        ```
        """).lstrip(), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", str(src), str(tmp_path / "out")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode != 0
    assert "index" in r.stderr and "IntSliderModel (@jupyter-widgets/controls) cannot run on the static site" in r.stderr


@pytest.mark.browser
def test_a_case_study_renders_from_a_folder_opened_without_a_server(built_site, browser):
    """A lecturer's USB stick or a downloaded copy: file:// URLs, no HTTP server."""
    page_path = built_site / "book" / "case-studies" / "sabhnani.html"
    if not page_path.is_file():
        pytest.skip(f"{page_path} not built")
    context = browser.new_context()
    errors = []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(page_path.resolve().as_uri())
        page.wait_for_selector(".cs-widget .cs-results", timeout=20_000)
    finally:
        context.close()
    assert errors == []
