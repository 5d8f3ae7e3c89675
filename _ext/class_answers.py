"""Model answers and marking notes for the case studies' "Questions for class", in the
lecturer's own build of the site only.

The answers are kept with the graded items, which never reach the public site: in
``class-questions.md`` in the graded folder (``exercises/bank/graded/``, or the folder named by
COURSE_GRADED_BANK). ``{class-answers}`` (a directive, no argument, on the lecturer's guide):

- in the public build (the default), says where the answers are and how to see them, and reads
  nothing from the graded folder: no word of them can reach the site, its search index or its
  build environment;
- in the lecturer's build (``COURSE_LECTURER_BUILD=1``, ``make lecturer-site``), renders the file.
  Each answer in it is a ``{class-answer} <case> <number>`` block: the question is shown from the
  case page itself, so the two cannot drift apart; ``:asks:`` (the question's opening words)
  must still match it, ``:provisions:`` are checked and linked, ``:module:`` names the module's
  section or box. A question on a case page without an answer, or an answer to no question,
  fails that build, naming the file and line. The lecturer's build refuses to write into the
  public site's folder (``_build/html``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[1]

SWITCH = "COURSE_LECTURER_BUILD"
FILE = "class-questions.md"
CASES = ROOT / "book" / "case-studies"
PUBLIC_OUTPUT = ROOT / "_build" / "html"
HEADING = "## Questions for class"
STATE = "class_answers_state"


@dataclass
class _Rendering:
    """What {class-answers} passes to the {class-answer} blocks it parses, on the environment."""

    path: Path
    # The lines of the answers in their own file, for messages: the nested parse reports the page's.
    lines: dict[tuple[str, str], int]
    # (case, number) of each answer rendered so far, and its line.
    seen: dict[tuple[str, int], int] = field(default_factory=dict)


def _rendering(env: BuildEnvironment) -> _Rendering | None:
    """The answers file being rendered, or None outside {class-answers}."""
    state = getattr(env, STATE, None)
    if state is not None and not isinstance(state, _Rendering):
        raise TypeError(f"env.{STATE} is {type(state).__name__}, not the state class-answers sets")
    return state


def lecturer_build() -> bool:
    return os.environ.get(SWITCH, "").strip().lower() in ("1", "yes", "true")


def answers_file() -> Path:
    from exercises.paths import graded_dir

    return graded_dir() / FILE


# ---- Model: the questions of each case page ---------------------------------------------------

def case_questions(case: str, folder: Path = CASES) -> dict[int, tuple[str, int]]:
    """The numbered questions under "## Questions for class" of book/case-studies/<case>.md:
    number -> (text, line)."""
    path = folder / f"{case}.md"
    out: dict[int, tuple[str, int]] = {}
    inside = False
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("## "):
            inside = line.strip() == HEADING
        elif inside and (m := re.match(r"^(\d+)\.\s+(.*)$", line)):
            out[int(m.group(1))] = (m.group(2).strip(), n)
    return out


def cases(folder: Path = CASES) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.md") if case_questions(p.stem, folder))


def _plain(text: str) -> str:
    """A question's words without markup, for comparing its opening words."""
    text = re.sub(r"\{[a-z-]+\}`([^`]*)`", r"\1", text)
    return " ".join(re.sub(r"[*_`\"“”]", "", text).split()).lower()


# ---- Directives ------------------------------------------------------------------------------

class ClassAnswers(SphinxDirective):
    """```{class-answers}```: every answer (lecturer's build) or where to find them (public build)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        if not self.config.course_lecturer_build:
            return self._parsed([
                "Model answers and marking notes for the case studies' *Questions for class* are kept "
                "with the graded items, off the public site. To read them here, build the site for "
                f"yourself: `make lecturer-site` (or `{SWITCH}=1 jupyter-book build . --path-output "
                "_build/lecturer`) writes it to `_build/lecturer/_build/html/`; open it on your own "
                "machine and never publish that folder."])
        out = Path(self.env.app.outdir).resolve()
        if out == PUBLIC_OUTPUT.resolve() or PUBLIC_OUTPUT.resolve() in out.parents:
            raise self.error(f"{SWITCH} is set and this build writes to {out}, the public site's folder: "
                             "the lecturer's build shows model answers; build it elsewhere "
                             "(make lecturer-site), or unset the variable")
        path = answers_file()
        if not path.is_file():
            raise self.error(f"class-answers: no model answers at {path}: the lecturer's build shows them "
                             f"from {FILE} in the graded folder; restore it or build without {SWITCH}")
        self.env.note_dependency(str(path))
        for case in cases():
            self.env.note_dependency(str(CASES / f"{case}.md"))
        text = path.read_text(encoding="utf-8")
        lines = {(m.group(1), m.group(2)): n for n, line in enumerate(text.splitlines(), 1)
                 if (m := re.match(r"^:::+\{class-answer\}\s+(\S+)\s+(\S+)", line))}
        state = _Rendering(path, lines)
        # setattr: BuildEnvironment declares no attributes for extensions' state.
        setattr(self.env, STATE, state)
        body = self._parsed(text.splitlines(), source=str(path), offset=0)
        self._complete(path, state.seen)
        delattr(self.env, STATE)
        return body

    def _parsed(self, lines: list[str], source: str | None = None, offset: int | None = None) -> list[nodes.Node]:
        box = nodes.container()
        src = source or self.get_source_info()[0]
        self.state.nested_parse(StringList(lines, source=src), self.content_offset if offset is None else offset, box)
        return box.children

    def _complete(self, path: Path, seen: dict[tuple[str, int], int]) -> None:
        missing = [f"{case} {n} ({CASES / case}.md:{line})" for case in cases()
                   for n, (_, line) in case_questions(case).items() if (case, n) not in seen]
        if missing:
            raise self.error(f"class-answers: {path}: no model answer for {', '.join(missing)}; add a "
                             "'{class-answer} <case> <number>' block for each")


class ClassAnswer(SphinxDirective):
    """```{class-answer} <case> <number>```: one question, from its case page, and its answer."""

    required_arguments = 2
    has_content = True
    option_spec = {"asks": str, "provisions": str, "module": str}

    def run(self) -> list[nodes.Node]:
        import protocol

        source, line = self.get_source_info()
        case, number = self.arguments[0], self.arguments[1]
        state = _rendering(self.env)
        if state and (at := state.lines.get((case, number))):
            source, line = str(state.path), at
        where = f"{source}:{line}"
        known = cases()
        if case not in known:
            raise self.error(f"{where}: class-answer: no case page {case!r} with questions for class; "
                             f"write one of {', '.join(known)}")
        questions = case_questions(case)
        if not number.isdigit() or int(number) not in questions:
            raise self.error(f"{where}: class-answer: {case} has questions 1 to {len(questions)}, not {number!r}")
        question, _ = questions[int(number)]
        asks = self.options.get("asks", "")
        if not asks or not _plain(question).startswith(_plain(asks)):
            raise self.error(f"{where}: class-answer {case} {number}: ':asks: {asks}' is not how the question "
                             f"on the case page begins ({question[:80]!r}); the page changed: check the answer "
                             "still fits, then copy its opening words")
        seen: dict[tuple[str, int], int] = state.seen if state else {}
        if (case, int(number)) in seen:
            raise self.error(f"{where}: class-answer {case} {number} is also answered at line {seen[(case, int(number))]}")
        seen[(case, int(number))] = line
        cited = []
        for value in (v.strip() for v in self.options.get("provisions", "").split(",") if v.strip()):
            try:
                pid = protocol.parse(value)
            except protocol.CitationError as e:
                raise self.error(f"{where}: class-answer {case} {number}: provisions: {e}") from None
            cited.append(pid)
        module = self.options.get("module", "").strip()
        if not cited or not module:
            raise self.error(f"{where}: class-answer {case} {number}: name the provisions (:provisions:) and the "
                             "module's section or box (:module:) the answer rests on")
        lines = [f"*{question}*", "", *self.content, "",
                 "*Rests on:* " + ", ".join(f"{{provision}}`{p}`" for p in cited) + f"; the module: {module}."]
        # An admonition, so the theme sets each answer apart (in both colour modes) with its title.
        box = nodes.admonition(classes=["class-answer"])
        box += nodes.title(text=f"{case_title(case)}, question {number}")
        self.state.nested_parse(StringList(lines, source=source), self.content_offset - 1, box)
        return [box]


def case_title(case: str) -> str:
    for line in (CASES / f"{case}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].split(":")[0].strip()
    return case


def setup(app):
    # Read from the environment variable; a config value that rebuilds the environment when it
    # changes, so no page read for one build is reused by the other (answers left in a public
    # build, or missing from the lecturer's).
    app.add_config_value("course_lecturer_build", lecturer_build(), "env", types=(bool,))
    app.add_directive("class-answers", ClassAnswers)
    app.add_directive("class-answer", ClassAnswer)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
