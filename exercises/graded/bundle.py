"""The student bundle: the files released beside each graded notebook.

- ``course_tools.py``: the student module (``exercises/graded/course_tools.py``), as it is;
- ``citations.py``: the course's citation parser (``protocol/citations.py``), as it is, which
  ``course_tools.py`` imports: one parser, the same bytes for students and grader;
- ``assignment.json``: what the module reads: each question's kind of answer (never the
  answer), the facts shared by everyone, the provisions' texts: the Protocol's official text
  and the module's quotation of each (``show()`` prints both, saying which is which).

The build writes them into each assignment's source folder; nbgrader releases them with the
notebook and the grader restores them beside every submission.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import protocol
from exercises.graded import course_tools
from protocol import citations

DATA = course_tools.DATA.name  # assignment.json
MODULES: dict[str, Path] = {"course_tools.py": Path(course_tools.__file__),
                            "citations.py": Path(citations.__file__)}


def data(questions: dict[str, dict[str, Any]], shared_facts: dict[str, Any] | None) -> dict[str, Any]:
    """assignment.json: `questions` is each question's spec (GradedQuestion.spec())."""
    return {
        "questions": questions,
        "shared_facts": shared_facts,
        "provisions": [{"id": p.id, "article": p.article, "paragraph": p.paragraph, "subparagraph": p.subparagraph,
                        "title": p.title, "text": p.text, "official": p.official,
                        "departs": [[d.excerpt(d.module), d.excerpt(d.official)] for d in p.differences()]}
                       for p in protocol.PROVISIONS.values()],
    }


def files(questions: dict[str, dict[str, Any]], shared_facts: dict[str, Any] | None) -> dict[str, bytes]:
    """File name -> content, for one assignment."""
    out = {name: path.read_bytes() for name, path in MODULES.items()}
    out[DATA] = (json.dumps(data(questions, shared_facts), indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    return out
