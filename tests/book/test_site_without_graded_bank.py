"""Integration: the public site builds, the same, from a copy of the course without its graded items.

A lecturer may keep the answer keys (exercises/bank/graded/) outside the repository. The
repository's files (git ls-files, untracked files included, as the normal build sees them) are
copied without that folder and the copy is built as lecturers build it; every page must match
the normal build's (tests/book/conftest.py builds it once per session): the same files, the same
text, ids and links. The copy reuses the normal build's execution cache, so its notebooks are not
run again.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.book.site_text import ROOT, SITE, read_page

pytestmark = pytest.mark.integration

GRADED = "exercises/bank/graded"
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


# The graded notebooks in the browser are released from the graded items, so a copy without
# them has no JupyterLite app (lite/), and the page that lists the notebooks says so.
LITE_APP, LITE_PAGE = "lite", "book/work-in-your-browser.html"
# The lecturer's guide counts the graded items per learning outcome when it has them, and says
# that they were not counted when it has not: its words differ, its ids and links do not.
GUIDE = "book/lecturers-guide.html"


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*")
            if p.is_file() and p.relative_to(site).parts[0] != LITE_APP}


@pytest.fixture(scope="module")
def copy_site(pages, tmp_path_factory) -> Path:
    """The site built from a copy without the graded folder (after the normal build: `pages`)."""
    copy = tmp_path_factory.mktemp("no-graded") / "course"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\0")
    for name in listed:
        source = ROOT / name
        if name and not (name == GRADED or name.startswith(GRADED + "/")) and source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    assert not (copy / GRADED).exists()
    cache = SITE.parent / ".jupyter_cache"
    if cache.is_dir():
        shutil.copytree(cache, copy / "_build" / ".jupyter_cache")
    # The copy's own packages, ahead of the checkout's (installed in the venv, editable).
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(copy), *filter(None, [os.environ.get("PYTHONPATH")])])}
    result = subprocess.run([str(JUPYTER_BOOK), "build", str(copy), "-n", "-W", "--keep-going"],
                            cwd=copy, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, (result.stdout[-3000:], result.stderr[-3000:])
    return copy / "_build" / "html"


def test_the_copy_read_its_own_public_bank_only(copy_site):
    """The build read the copy's bank (not the checkout's, through the installed packages)."""
    with open(copy_site.parent / ".doctrees" / "environment.pickle", "rb") as f:
        env = pickle.load(f)
    bank = (copy_site.parents[1] / "exercises" / "bank").resolve()
    read = {Path(p).resolve() for doc in env.course_pages["self-check"] for p in env.dependencies[doc]}
    assert read and all(p.is_relative_to(bank) for p in read), sorted(read)[:5]
    assert not any("graded" in p.relative_to(bank).parts for p in read)


def test_same_files_as_the_normal_build(copy_site):
    missing, extra = _files(SITE) - _files(copy_site), _files(copy_site) - _files(SITE)
    assert not missing and not extra, (sorted(missing)[:10], sorted(extra)[:10])


def test_no_browser_notebooks_without_the_graded_items(copy_site):
    assert not (copy_site / LITE_APP).exists()
    assert "does not offer the notebooks in the browser" in read_page(copy_site / LITE_PAGE).text


def test_every_page_has_the_same_text_ids_and_links(pages, copy_site):
    differ = []
    for name, page in pages.items():
        if name == LITE_PAGE:
            continue
        other = read_page(copy_site / name)
        for what in ("ids", "links") if name == GUIDE else ("text", "ids", "links"):
            if getattr(page, what) != getattr(other, what):
                differ.append(f"{name}: {what}")
    assert not differ
