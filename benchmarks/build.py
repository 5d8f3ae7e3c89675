"""Time the site build: cold (empty cache), warm (nothing changed), one page edited.

Run from the repository root with the project's venv: `make bench`. Builds a copy of the
tracked sources in a temporary folder, so the working tree and its _build are untouched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
EDITED_PAGE = "book/physical-safety.md"


def build(src: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(JUPYTER_BOOK), "build", ".", "-n", "-W", "--keep-going", "--quiet"],
                   cwd=src, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "course"
        for name in tracked:
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
        cold = build(src)
        warm = build(src)
        page = src / EDITED_PAGE
        page.write_text(page.read_text() + "\n")
        edited = build(src)
    print(f"cold build (empty cache):      {cold:6.1f} s")
    print(f"warm rebuild (nothing changed): {warm:6.1f} s   warm/cold = {warm / cold:.2f}")
    print(f"rebuild after editing one page: {edited:6.1f} s   edit/cold = {edited / cold:.2f}")


if __name__ == "__main__":
    main()
