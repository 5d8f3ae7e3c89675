"""The graded notebooks in the browser (the site's JupyterLite app): a student's first and second visit.

In one browser run, served from 127.0.0.1 under a sub-path, every other host refused
(benchmarks/lite_browser.py):

1. a text page of the course, cold (fresh profile): the yardstick;
2. the first visit to a notebook (fresh profile): requests and bytes the site served until the
   kernel was ready (the kernel's worker and the service worker included: counted by the
   server), time until the notebook is visible and until the kernel is ready, time from
   Shift+Enter on the setup cell and then on an answer cell to their output (``check()``);
3. the second visit, in the same profile, a new tab: the same figures; then ``--later`` visits
   more like it (3 in all by default), whose median and range are reported: on a two-core
   machine one later visit can be half a second off another.

Each visit also gives the steps of the kernel's start, in seconds from the page's start (the app's
shell, the notebook drawn, the kernel's worker started, its runtime and wheels fetched, the
kernel's file-system requests, the kernel ready): where a later visit's time goes.

Each figure is also given as a ratio to the text page's cold load (time to the load event;
bytes), so runs on busy or quiet machines compare. "gzip" is the same responses compressed, as
most static hosts send them (the local server sends them as they are).

    python benchmarks/lite.py [--site _build/html] [--assignment protection] [--later 3] [--json benchmarks/results/lite.json]

A measurement, not a test: run it on a quiet machine for stable figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

# The repository root, so that benchmarks/ is importable as a package however this is started
# (the benchmarks never import tests/; the tests import the benchmarks' browser helpers).
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import lite_browser as ls  # noqa: E402
from benchmarks import site_browser as bs  # noqa: E402

TEXT_PAGE = "book/physical-safety.html"


def text_page_cold(browser, server) -> dict:
    ctx = browser.new_context()
    page = ctx.new_page()
    mark = server.mark()
    start = time.monotonic()
    page.goto(server.url + TEXT_PAGE, wait_until="load")
    elapsed = time.monotonic() - start
    page.wait_for_timeout(500)
    hits = server.since(mark)
    ctx.close()
    return {"seconds_to_load": elapsed, "requests": len(hits), "bytes": sum(h.bytes for h in hits),
            "bytes_gzip": server.gzipped(hits)}


# In the page, from its start: when the app's shell and the notebook appeared (polled every 10 ms).
SHELL_MARKS = """(() => { const t = {}; window.__courseMarks = t;
  const id = setInterval(() => {
    if (!t.shell && document.querySelector('#main-panel, .jp-LabShell')) t.shell = performance.now();
    if (!t.notebook && document.querySelector('.jp-Notebook .jp-Cell')) { t.notebook = performance.now(); clearInterval(id); }
  }, 10); })();"""
# In the kernel's worker: what it fetched (from the service worker's cache on a later visit), when.
WORKER_FETCHES = ("() => [performance.timeOrigin, performance.getEntriesByType('resource')"
                  ".map((e) => [e.name, e.startTime, e.responseEnd])]")


def phases(page, workers) -> dict:
    """Seconds from the page's start to each step of the kernel's start: the app's shell, the
    notebook drawn, the kernel's worker started, the runtime (wasm, standard library) and the
    wheels fetched, the first and last request of the kernel's file system (each one synchronous,
    answered by the page through the service worker), the kernel ready."""
    marks = page.evaluate("window.__courseMarks")
    origin = page.evaluate("performance.timeOrigin")
    out = {"shell": marks.get("shell", 0) / 1000, "notebook visible": marks.get("notebook", 0) / 1000,
           "kernel ready": page.evaluate("performance.now()") / 1000}
    for worker in workers:
        try:
            start, entries = worker.evaluate(WORKER_FETCHES)
        except Exception:  # a worker that has ended
            continue
        if not any("pyodide.asm.wasm" in name for name, _, _ in entries):
            continue
        at = (start - origin) / 1000
        runtime = [e for n, _, e in entries if n.endswith(("pyodide.asm.wasm", "python_stdlib.zip"))]
        wheels = [e for n, _, e in entries if n.endswith(".whl")]
        drive = [(s, e) for n, s, e in entries if "/api/drive" in n]
        out.update({"worker started": at, "runtime fetched": at + max(runtime) / 1000,
                    "wheels fetched": at + max(wheels, default=0) / 1000})
        if drive:
            out.update({"first drive request": at + drive[0][0] / 1000, "last drive request": at + drive[-1][1] / 1000,
                        "drive requests": len(drive),
                        "drive request seconds": sum(e - s for s, e in drive) / 1000})
    return out


def visit(ctx, server, assignment: str) -> dict:
    page = ctx.new_page()
    workers: list = []
    page.on("worker", lambda w: workers.append(w))
    page.add_init_script(SHELL_MARKS)
    mark = server.mark()
    nb = ls.open_notebook(page, server, assignment)
    steps = phases(page, workers)
    hits = server.since(mark)
    cells = ls.code_cells(page)
    _, setup_seconds = ls.run_cell(page, cells.nth(0))
    index, source = _answer_cell(server.directory, assignment)
    question, value, new = ls.answer_for(source)
    answer = cells.nth(index)
    ls.set_cell(page, answer, new)
    output, check_seconds = ls.run_cell(page, answer)
    page.keyboard.press("Control+s")
    page.wait_for_timeout(3000)  # the service worker keeps this visit's files
    settled = server.since(mark)
    page.close()
    return {
        "seconds_to_notebook": nb.visible_at - nb.opened_at,
        "seconds_to_kernel_ready": nb.ready_at - nb.opened_at,
        "requests_until_ready": len(hits),
        "bytes_until_ready": sum(h.bytes for h in hits),
        "bytes_gzip_until_ready": server.gzipped(hits),
        "requests_by_end": len(settled),
        "bytes_by_end": sum(h.bytes for h in settled),
        "requested_until_ready": sorted({h.path for h in hits}) if len(hits) < 20 else None,
        "seconds_setup_cell": setup_seconds,
        "seconds_to_first_check_output": check_seconds,
        "phases": steps,
        "check_output": output.strip(),
        "gzip_by_asset": by_asset(server, hits),
    }


def by_asset(server, hits, top: int = 15) -> list[tuple[str, int, int]]:
    """(path, bytes, gzip bytes) of the largest responses until the kernel was ready."""
    import gzip

    sizes = {}
    for h in hits:
        path = server.file_of(h.path)
        if h.status == 200 and path is not None:
            name = path.relative_to(server.directory).as_posix()
            sizes[name] = (h.bytes, len(gzip.compress(path.read_bytes(), 6)))
    return sorted(((n, b, g) for n, (b, g) in sizes.items()), key=lambda r: -r[2])[:top]


def _answer_cell(site: Path, assignment: str) -> tuple[int, str]:
    nb = ls.read_json(site / ls.LITE / "files" / assignment / f"{assignment}.ipynb")
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    cell = ls.released_answer_cells(nb)[0]
    return code.index(cell), "".join(cell["source"])


def summary(visits: list[dict], text: dict) -> dict:
    """Median, range and each value of the later visits' times, the median also as a ratio to the
    text page's cold load."""
    out = {}
    for key in ("seconds_to_notebook", "seconds_to_kernel_ready"):
        values = [v[key] for v in visits]
        median = statistics.median(values)
        out[key] = {"median": median, "min": min(values), "max": max(values), "each": values,
                    "median_to_text_page": median / text["seconds_to_load"] if text["seconds_to_load"] else None}
    return out


def site_size(site: Path) -> dict:
    files = [p for p in (site / ls.LITE).rglob("*") if p.is_file()]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", type=Path, default=bs.BUILT_SITE)
    ap.add_argument("--assignment", default="protection")
    ap.add_argument("--later", type=int, default=3, help="later visits, the second included (default 3)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if args.later < 1:
        ap.error(f"--later {args.later}: give 1 or more (the second visit is the first later one)")
    if not (args.site / ls.LITE / "jupyter-lite.json").is_file():
        print(f"no JupyterLite app in {args.site}: build the site with the browser notebooks on", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    with ls.OutsideProxy() as proxy, ls.RecordingServer(args.site) as server, sync_playwright() as p:
        browser = ls.launch_chromium(p.chromium, proxy)
        text = text_page_cold(browser, server)
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        first = visit(ctx, server, args.assignment)
        later = [visit(ctx, server, args.assignment) for _ in range(args.later)]
        second = later[0]
        ctx.close()
        browser.close()
        outside = proxy.outside()

    result = {"text_page": text, "first_visit": first, "second_visit": second,
              "later_visits": summary(later, text), "site": site_size(args.site), "outside_requests": outside}
    rows = [("", "first visit", "second visit")]

    def row(label, key, fmt, ratio_to=None):
        cells = [label]
        for v in (first, second):
            value = v[key]
            cell = fmt.format(value)
            if ratio_to is not None and text[ratio_to]:
                cell += f" ({value / text[ratio_to]:.1f}x text page)"
            cells.append(cell)
        rows.append(tuple(cells))

    row("requests until the kernel is ready", "requests_until_ready", "{}")
    row("MB until the kernel is ready", "bytes_until_ready", "{:.2f}", None)
    rows[-1] = (rows[-1][0], f"{first['bytes_until_ready'] / 1e6:.2f} ({first['bytes_until_ready'] / text['bytes']:.0f}x text page)",
                f"{second['bytes_until_ready'] / 1e6:.2f}")
    rows.append(("  gzip (a compressing host)", f"{first['bytes_gzip_until_ready'] / 1e6:.2f}",
                 f"{second['bytes_gzip_until_ready'] / 1e6:.2f}"))
    row("s until the notebook is visible", "seconds_to_notebook", "{:.1f}", "seconds_to_load")
    row("s until the kernel is ready", "seconds_to_kernel_ready", "{:.1f}", "seconds_to_load")
    row("s from Shift+Enter to the setup cell's end", "seconds_setup_cell", "{:.2f}")
    row("s from Shift+Enter to check()'s output", "seconds_to_first_check_output", "{:.2f}")
    width = max(len(r[0]) for r in rows)
    print(f"text page cold ({TEXT_PAGE}): {text['seconds_to_load']:.2f} s, {text['requests']} requests, "
          f"{text['bytes'] / 1e3:.0f} KB ({text['bytes_gzip'] / 1e3:.0f} KB gzip)")
    for r in rows:
        print(f"{r[0]:<{width}}  {r[1]:<34}  {r[2]}")
    for key, label in (("seconds_to_kernel_ready", "kernel ready"), ("seconds_to_notebook", "notebook visible")):
        figure = result["later_visits"][key]
        ratio = figure["median_to_text_page"]
        print(f"later visits ({len(later)}), {label}: median {figure['median']:.2f} s "
              f"({figure['min']:.2f}-{figure['max']:.2f})" + (f", {ratio:.1f}x the text page" if ratio else ""))
    print("the kernel's start, s from the page's start (first visit, second visit):")
    for step in sorted(first["phases"], key=lambda k: second["phases"].get(k, 0)):
        if step not in ("drive requests", "drive request seconds"):
            print(f"  {step:<22} {first['phases'][step]:6.2f}  {second['phases'].get(step, 0):6.2f}")
    print("  requests of the kernel's file system: " + ", ".join(
        f"{v['phases'].get('drive requests', 0)} ({v['phases'].get('drive request seconds', 0):.2f} s waiting)"
        for v in (first, second)))
    if second["requested_until_ready"] is not None:
        print("second visit asked the site for:", ", ".join(second["requested_until_ready"]) or "nothing")
    print("largest files of the first visit (bytes, gzip):")
    for name, size, packed in first["gzip_by_asset"]:
        print(f"  {name:<60} {size / 1e6:6.2f} MB  {packed / 1e6:6.2f} MB")
    print(f"lite/ on the site: {result['site']['bytes'] / 1e6:.1f} MB in {result['site']['files']} files")
    print(f"requests for other hosts: {outside or 'none'}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 1 if outside else 0


if __name__ == "__main__":
    sys.exit(main())
