"""A changed file under _static/ reaches the site on the next build, even when no page changed
(Sphinx alone stops early and keeps the old copy): _ext/static_files.py."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

EXT = Path(__file__).resolve().parents[2] / "_ext"


def _build(src: Path, out: Path) -> None:
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)], check=True,
                   capture_output=True, timeout=120)


@pytest.mark.parametrize("with_extension", [True, False])
def test_a_lecturers_stylesheet_change_reaches_the_site(tmp_path, with_extension):
    src, out = tmp_path / "src", tmp_path / "out"
    (src / "_static").mkdir(parents=True)
    extensions = ["static_files"] if with_extension else []
    (src / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(EXT)!r})
        extensions = {extensions!r}
        html_static_path = ["_static"]
        html_css_files = ["course.css"]
        """), encoding="utf-8")
    (src / "index.rst").write_text("Course\n======\n\nText.\n", encoding="utf-8")
    (src / "_static" / "course.css").write_text("body { color: black; }\n", encoding="utf-8")
    _build(src, out)
    named = re.search(r"course\.css\?v=(\w+)", (out / "index.html").read_text(encoding="utf-8")).group(1)
    (src / "_static" / "course.css").write_text("body { color: navy; }\n", encoding="utf-8")
    _build(src, out)
    built = (out / "_static" / "course.css").read_text(encoding="utf-8")
    # Without the extension Sphinx keeps the old copy: the test sees the difference it makes.
    assert ("navy" in built) is with_extension
    renamed = re.search(r"course\.css\?v=(\w+)", (out / "index.html").read_text(encoding="utf-8")).group(1)
    assert (renamed != named) is with_extension  # browsers' caches are told of the new file


def test_our_extensions_browser_files_count_as_static(tmp_path):
    """The widget host is copied from _ext/ by its extension: changing it must rewrite the pages too."""
    import importlib.util
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("static_files", EXT / "static_files.py")
    static_files = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(static_files)
    (tmp_path / "_ext").mkdir()
    (tmp_path / "_static").mkdir()
    host = tmp_path / "_ext" / "widget-host.js"
    host.write_text("// one", encoding="utf-8")
    app = SimpleNamespace(confdir=str(tmp_path), config=SimpleNamespace(html_static_path=["_static"]))
    before = static_files.fingerprint(app)
    host.write_text("// two", encoding="utf-8")
    assert static_files.fingerprint(app) != before
