"""A problem found in the bank, reported as `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int  # 0: about the folder `path` as a whole (a figure over its items), no one line
    message: str
    warning: bool = False  # a cue to reread, not an error: `check` fails on it only with --strict

    def __str__(self) -> str:
        where = f"{_shown(self.path)}:{self.line}" if self.line else _shown(self.path)
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


def _shown(path: Path) -> str:
    # Relative to the working directory when possible: clickable in editors and terminals.
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class BankError(Exception):
    """The bank has problems; `problems` lists each with its file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        shown = "\n".join(map(str, self.problems[:20]))
        more = f"\n... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(
            f"the question bank has {len(self.problems)} problem(s); "
            f"run `python -m exercises check` for all of them:\n{shown}{more}"
        )
