import subprocess
import sys
from pathlib import Path

import pytest

from tests.book.site_text import ROOT, SITE, read_page, site_pages

# The extensions' folder, as Jupyter Book puts it on the path for the build (local_extensions),
# so the tests import the extensions and their modules as the build does.
if str(ROOT / "_ext") not in sys.path:
    sys.path.insert(0, str(ROOT / "_ext"))

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


@pytest.fixture(scope="session")
def strict_build():
    """Build the site once per run exactly as lecturers do, with warnings as errors."""
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", ".", "-n", "-W", "--keep-going"],
        cwd=ROOT, capture_output=True, text=True,
    )
    return result


@pytest.fixture(scope="session")
def pages(strict_build):
    if not (SITE / "index.html").exists():
        pytest.fail(f"the build wrote no site at {SITE}:\n{strict_build.stdout[-3000:]}\n{strict_build.stderr[-3000:]}")
    return {p.relative_to(SITE).as_posix(): read_page(p) for p in site_pages()}
