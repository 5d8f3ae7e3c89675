"""The service worker's manifest (_ext/offline_site.py): every page and what it loads, with
content hashes; never lite/ (another app's) or the page sources; a new version exactly when a
file changes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

EXT = Path(__file__).resolve().parents[2] / "_ext"
spec = importlib.util.spec_from_file_location("offline_site", EXT / "offline_site.py")
offline = importlib.util.module_from_spec(spec)
spec.loader.exec_module(offline)


def _site(root: Path) -> Path:
    files = {
        "index.html": '<meta http-equiv="refresh" content="0; url=book/index.html">',
        "book/index.html": '<link rel="stylesheet" href="../_static/site.css?v=1"><script src="../_static/site.js"></script>'
                           '<img src="../_images/a.png" srcset="../_images/a.png 1x, ../_images/b.png 2x">'
                           '<a href="../_sources/book/index.md">source</a><a href="../lite/index.html">app</a>',
        "book/quiz.html": '<link rel="stylesheet" href="../_static/site.css?v=1"><script src="../_static/quiz.js"></script>',
        "_static/site.css": "@import 'more.css'; body { background: url(img/bg.png) } .x { background: url(data:image/png;base64,AA==) }",
        "_static/more.css": "@font-face { src: url(font.woff2) }",
        "_static/img/bg.png": "png", "_static/font.woff2": "font", "_static/site.js": "js", "_static/quiz.js": "js",
        "_images/a.png": "a", "_images/b.png": "b", "_sources/book/index.md": "# md",
        "lite/index.html": '<script src="app.js"></script>', "lite/app.js": "app", "searchindex.js": "Search.setIndex({})",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_every_page_and_what_it_loads_and_nothing_of_lite(tmp_path):
    site = _site(tmp_path)
    manifest = offline.build_manifest(site, "book/index.html", None)
    assert set(manifest["files"]) == {
        "index.html", "book/index.html", "book/quiz.html", "_static/site.css?v=1", "_static/more.css",
        "_static/img/bg.png", "_static/font.woff2", "_static/site.js", "_static/quiz.js",
        "_images/a.png", "_images/b.png", "searchindex.js"}
    assert manifest["pages"] == ["book/index.html", "book/quiz.html", "index.html"]
    # Saved at install: what every page that loads anything loads.
    assert manifest["core"] == ["_static/font.woff2", "_static/img/bg.png", "_static/more.css", "_static/site.css?v=1"]
    assert manifest["files"]["_static/site.js"] == offline.digest(site / "_static" / "site.js")


def test_a_new_version_when_and_only_when_a_file_changes(tmp_path):
    site = _site(tmp_path)
    first = offline.build_manifest(site, "book/index.html", None)
    assert offline.build_manifest(site, "book/index.html", None) == first
    (site / "_static" / "more.css").write_text("@font-face { src: url(font.woff2) } p { margin: 0 }", encoding="utf-8")
    second = offline.build_manifest(site, "book/index.html", None)
    assert second["version"] != first["version"]
    assert {k for k in second["files"] if second["files"][k] != first["files"][k]} == {"_static/more.css"}


def test_the_worker_has_the_line_the_manifest_goes_in():
    assert (EXT / "offline-sw.js").read_text(encoding="utf-8").count("\nconst MANIFEST = {};\n") == 1


def test_the_icons_are_the_same_bytes_each_build(tmp_path):
    offline.draw_icon(192, tmp_path / "a.png")
    offline.draw_icon(192, tmp_path / "b.png")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
