"""Read a YAML file and remember the line each value came from, for `path:line:` messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple  # a path into the document: ("options", 2, "feedback")


class SourceError(Exception):
    """A file that cannot be read as YAML; carries the line of the fault."""

    def __init__(self, path: Path, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class Source:
    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)  # 1-based line of each value

    def line_of(self, where: Path_ | list) -> int:
        """Line of the value at `where`, or of its nearest parent that has one."""
        where = tuple(where)
        while where and where not in self.lines:
            where = where[:-1]
        return self.lines.get(where, 1)


def _index(node: yaml.Node, here: Path_, lines: dict[Path_, int]) -> None:
    lines[here] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value
            lines[here + (k,)] = key.start_mark.line + 1
            _index(value, here + (k,), lines)
            # A key's own line is more useful than its value's for block scalars.
            lines[here + (k,)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _index(child, here + (i,), lines)


def read(path: Path) -> Source:
    """Parse one YAML file; raise SourceError with the line of a syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise SourceError(path, 1, f"not UTF-8 text ({e.reason}); save the file as UTF-8") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(filter(None, [e.context, e.problem]))
        raise SourceError(
            path, line,
            f"YAML syntax error: {what}; check indentation, and quote text that contains ': ' or starts with a symbol",
        ) from None
    except yaml.YAMLError as e:
        raise SourceError(path, 1, f"YAML error: {e}") from None
    lines: dict[Path_, int] = {}
    if node is not None:
        _index(node, (), lines)
    return Source(path=path, data=data, lines=lines)
