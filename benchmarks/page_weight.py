"""Page weight: the bytes each page of the built site transfers on a cold load.

Every page is opened in a fresh browser context with the HTTP cache disabled, served from
127.0.0.1 under a sub-path (site_browser.py, beside this file), every outside request blocked.
Bytes are read from the Chrome DevTools Protocol: for each request, the encoded length
reported by Network.loadingFinished (headers + body as transferred) and the decoded body
size (Network.dataReceived).  The table lists pages lightest first, with each page's ratio
to the lightest text page (no widgets, no questions) measured in the same run, and checks
that the widget host and self-check scripts load only
on pages that use them.

    python benchmarks/page_weight.py [--site _build/html] [--json benchmarks/results/page_weight.json]
    python benchmarks/page_weight.py --compare     # builds the stock and the light site, and compares
    python benchmarks/page_weight.py --before DIR  # compares --site with a stock build in DIR

``--compare`` builds the course twice into a temporary folder, once with ``light_pages: false``
(the theme's stock assets) and once as configured, in the same run, and reports per page type
(text, self-check, case study) the first-visit weight and requests of both and their ratio, and
what saving the whole course for offline reading costs once (the service worker's manifest).

"KB gzipped" is the same files compressed as most static hosts send them (the local server
sends them as they are).

Exit status 1 when a page loads widget or quiz scripts it does not use (or a request fails).
This is a measurement, not a timed test: run it on a quiet machine for stable figures.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import site_browser as bs  # beside this file
from site_browser import discover_pages, settle

ROOT = Path(__file__).resolve().parents[1]

WIDGET_ASSET = re.compile(r"/_static/widgets/", re.I)
QUIZ_ASSET = re.compile(r"self-?check[^/]*\.(js|css)", re.I)
WIDGET_MARKUP = "application/vnd.jupyter.widget-view+json"
KINDS = (("html", r"\.html?$|/$"), ("script", r"\.m?js$"), ("style", r"\.css$"),
         ("font", r"\.(woff2?|ttf|otf|eot)$"), ("image", r"\.(png|jpe?g|gif|svg|webp)$"))


def kind_of(url: str) -> str:
    path = url.split("?")[0].split("#")[0]
    for kind, pattern in KINDS:
        if re.search(pattern, path, re.I):
            return kind
    return "other"


def uses_widgets(html: str) -> bool:
    return WIDGET_MARKUP in html


def uses_quiz(path: str, html: str) -> bool:
    return path.startswith("book/self-check/") or 'class="self-check' in html or "data-self-check" in html


def compressed_size(server: bs.StaticServer, site: Path, url: str) -> int:
    """The file's size gzipped (level 6), as most static hosts send text; already-compressed
    files (fonts, images) as they are, whichever is smaller."""
    import gzip

    if not url.startswith(server.url):  # data: URLs and the like travel inside the page
        return 0
    path = site / url.split("?")[0].split("#")[0][len(server.url):]
    if path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return 0
    data = path.read_bytes()
    return min(len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))


def measure(browser, server: bs.StaticServer, site: Path, path: str) -> dict:
    # A first visit: no service worker yet (one registered now would only save the course in the
    # background, for later visits, and be cut off when the context closes).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    watch = bs.watch_context(context, server)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    encoded: dict[str, int] = {}
    decoded: dict[str, int] = defaultdict(int)
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.dataReceived", lambda e: decoded.__setitem__(e["requestId"], decoded[e["requestId"]] + e["dataLength"]))
    cdp.on("Network.loadingFinished", lambda e: encoded.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(server.url + path, wait_until="load")
    settle(page)
    page.wait_for_timeout(300)  # let the last loadingFinished events arrive
    by_kind: dict[str, int] = defaultdict(int)
    for rid, size in encoded.items():
        by_kind[kind_of(urls.get(rid, ""))] += size
    loaded = [urls[r] for r in encoded if r in urls]
    context.close()
    return {
        "gzip_bytes": sum(compressed_size(server, site, u) for u in loaded),
        "page": path,
        "requests": len(encoded),
        "bytes": sum(encoded.values()),
        "body_bytes": sum(decoded.values()),
        "by_kind": dict(by_kind),
        "widget_assets": sorted({u.split("?")[0].split("/course-kit/")[-1] for u in loaded if WIDGET_ASSET.search(u)}),
        "quiz_assets": sorted({u.split("?")[0].split("/course-kit/")[-1] for u in loaded if QUIZ_ASSET.search(u)}),
        "problems": watch.problems(),
    }


def page_kind(row: dict) -> str:
    return "case study" if row["uses_widgets"] else "self-check" if row["uses_quiz"] else "text"


def build(out: Path, light: bool) -> Path:
    """The course built into ``out`` (``light_pages`` on or off), from the normal build's
    execution cache when there is one, without the notebook app (not a page of the book)."""
    import os
    import shutil
    import subprocess

    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["sphinx"]["config"]["light_pages"] = light
    # The config is read from another folder: the extensions' folder by its full path.
    config["sphinx"]["local_extensions"] = {k: str(ROOT / v) for k, v in config["sphinx"]["local_extensions"].items()}
    out.mkdir(parents=True, exist_ok=True)
    (out / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    cache = ROOT / "_build" / ".jupyter_cache"
    if cache.is_dir() and not (out / "_build" / ".jupyter_cache").exists():
        shutil.copytree(cache, out / "_build" / ".jupyter_cache")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run([str(jupyter_book), "build", str(ROOT), "-n", "-W", "--keep-going", "--config",
                             str(out / "_config.yml"), "--path-output", str(out)], capture_output=True, text=True,
                            env={**os.environ, "COURSE_LITE": "0"})
    if result.returncode:
        raise SystemExit(f"the build into {out} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return out / "_build" / "html"


def offline_copy(site: Path) -> tuple[int, int] | None:
    """(files, gzipped bytes) the service worker saves for the whole course, if the site has one."""
    import gzip

    worker = site / "sw.js"
    if not worker.is_file():
        return None
    manifest = json.loads(re.search(r"^const MANIFEST = (\{.*\});$", worker.read_text(encoding="utf-8"), re.M)[1])
    total = 0
    for key in manifest["files"]:
        data = (site / key.split("?")[0]).read_bytes()
        total += min(len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))
    return len(manifest["files"]), total


def summary(rows: list[dict]) -> dict[str, dict]:
    """Per page type: the heaviest page's gzipped KB and the most requests, and the median KB."""
    out = {}
    for kind in ("text", "self-check", "case study"):
        these = sorted((r for r in rows if page_kind(r) == kind), key=lambda r: r["gzip_bytes"])
        if these:
            out[kind] = {"pages": len(these), "median_kb": these[len(these) // 2]["gzip_bytes"] / 1024,
                         "max_kb": these[-1]["gzip_bytes"] / 1024, "heaviest": these[-1]["page"],
                         "max_requests": max(r["requests"] for r in these)}
    return out


def compare(before: Path, after: Path) -> int:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as p:
        browser = bs.launch_chromium(p)
        for name, site in (("before (stock theme assets)", before), ("after (light pages)", after)):
            with bs.StaticServer(site) as server:
                rows = []
                for path in discover_pages(site):
                    html = (site / path).read_text(encoding="utf-8", errors="replace")
                    row = measure(browser, server, site, path)
                    row["uses_widgets"], row["uses_quiz"] = uses_widgets(html), uses_quiz(path, html)
                    rows.append(row)
            results[name] = (rows, summary(rows))
        browser.close()
    (b_rows, b), (a_rows, a) = results.values()
    print("First visit (cold load), gzipped as a static host sends it; before and after in one run\n")
    print("| page type | pages | before: median KB | before: heaviest KB | before: requests | after: median KB "
          "| after: heaviest KB | after: requests | ratio (median) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind in a:
        x, y = b[kind], a[kind]
        print(f"| {kind} | {y['pages']} | {x['median_kb']:.1f} | {x['max_kb']:.1f} | {x['max_requests']} "
              f"| {y['median_kb']:.1f} | {y['max_kb']:.1f} ({y['heaviest']}) | {y['max_requests']} "
              f"| {y['median_kb'] / x['median_kb']:.2f} |")
    offline = offline_copy(after)
    if offline:
        print(f"\nThe whole course for offline reading, saved once in the background: {offline[0]} files, "
              f"{offline[1] / 1024:.0f} KB gzipped.")
    problems = [f"{r['page']}: {p}" for r in a_rows + b_rows for p in r["problems"]]
    for line in problems:
        print(f"  {line}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, default=bs.BUILT_SITE, help="built site (default: _build/html or $COURSE_SITE_DIR)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--compare", action="store_true", help="build the stock and the light site, and compare them")
    ap.add_argument("--before", type=Path, help="a stock build (light_pages: false) to compare --site with")
    args = ap.parse_args(argv)
    if args.compare:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="page-weight-") as tmp:
            return compare(build(Path(tmp) / "stock", light=False), build(Path(tmp) / "light", light=True))
    if args.before:
        return compare(args.before.resolve(), args.site.resolve())
    site = args.site.resolve()
    pages = discover_pages(site)
    if not pages:
        print(f"no built site at {site}: run `jupyter-book build .` first", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    rows = []
    with bs.StaticServer(site) as server, sync_playwright() as p:
        browser = bs.launch_chromium(p)
        for path in pages:
            html = (site / path).read_text(encoding="utf-8", errors="replace")
            row = measure(browser, server, site, path)
            row["uses_widgets"] = uses_widgets(html)
            row["uses_quiz"] = uses_quiz(path, html)
            rows.append(row)
        browser.close()

    text_pages = [r for r in rows if not r["uses_widgets"] and not r["uses_quiz"]
                  and r["page"] not in ("search.html", "genindex.html")]
    base = min(text_pages or rows, key=lambda r: r["bytes"])
    for r in rows:
        r["ratio"] = r["bytes"] / base["bytes"]
    rows.sort(key=lambda r: r["bytes"])

    print(f"Page weight, cold load, cache disabled: {len(rows)} pages of {site}")
    print(f"Ratios against the lightest text page: {base['page']} ({base['bytes'] / 1024:.1f} KB)\n")
    print("| page | requests | KB transferred | KB gzipped | KB bodies | ratio | html | scripts | styles | fonts | images | widgets | quiz |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:--:|:--:|")
    for r in rows:
        def kb(name, k=r["by_kind"]):
            return f"{k.get(name, 0) / 1024:.1f}"

        print(f"| {r['page']} | {r['requests']} | {r['bytes'] / 1024:.1f} | {r['gzip_bytes'] / 1024:.1f} "
              f"| {r['body_bytes'] / 1024:.1f} | {r['ratio']:.2f} "
              f"| {kb('html')} | {kb('script')} | {kb('style')} | {kb('font')} | {kb('image')} "
              f"| {'uses' if r['uses_widgets'] else ('LOADS' if r['widget_assets'] else '-')} "
              f"| {'uses' if r['uses_quiz'] else ('LOADS' if r['quiz_assets'] else '-')} |")
    light, heavy = rows[0], rows[-1]
    print(f"\nlightest: {light['page']} {light['bytes'] / 1024:.1f} KB; heaviest: {heavy['page']} "
          f"{heavy['bytes'] / 1024:.1f} KB ({heavy['bytes'] / light['bytes']:.2f}x the lightest)")

    problems = []
    for r in rows:
        if r["widget_assets"] and not r["uses_widgets"]:
            problems.append(f"{r['page']}: loads widget assets it does not use: {', '.join(r['widget_assets'])}")
        if r["quiz_assets"] and not r["uses_quiz"]:
            problems.append(f"{r['page']}: loads self-check assets it does not use: {', '.join(r['quiz_assets'])}")
        problems += [f"{r['page']}: {p}" for p in r["problems"]]
    if problems:
        print("\nProblems:")
        for line in problems:
            print(f"  {line}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"site": str(site), "baseline": base["page"], "pages": rows}, indent=1), encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
