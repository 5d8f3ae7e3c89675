"""Everything a student receives, searched for every graded key.

A released assignment folder (the notebook and the files beside it) and the course site are
searched for each graded question's key in the forms a key takes:

- a citation key: the canonical id as a token (``6(5)``, not inside ``6(5)(a)``); a bare
  article (``14``) only as "article 14", "Art. 14" or a quoted ``"14"``, since a bare number is
  everywhere;
- a letter key: the letter as the question's value (``q2 = "C"``, ``"q2": "C"``), and the
  words only the right option has (six words in a row that no other option has), anywhere
  but the question's own list of options;
- a number key: the value in its usual spellings (``2400``, ``2,400``, ``2 400``,
  ``2400.0``) as a number of its own.

What cannot depend on the bank is not searched: the student module and the parser (checked
byte for byte against the kit's own files) and the table of every provision that
``assignment.json`` carries for ``show()`` (checked to be the whole table, so it singles out no
provision).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

import protocol
from exercises.graded import bundle, kinds
from exercises.graded.metadata import read

WINDOW = 6  # words in a row that make an option's wording recognisable


@dataclass(frozen=True)
class Key:
    """One graded question's key, for one student (or the shared facts)."""

    item: str
    question: str
    kind: str
    answer: Any
    options: tuple[str, ...] = ()  # a letter question's option texts, in order


@dataclass(frozen=True)
class Leak:
    item: str
    question: str
    file: Path
    form: str  # which form of the key was found
    found: str

    def __str__(self) -> str:
        return f"{self.file}: the key of {self.question} (bank item {self.item}) is there as {self.form}: {self.found!r}"


def keys(source_nb, facts: dict[str, Any] | None, bank: dict[str, Any]) -> list[Key]:
    """The key of every question of an instructor notebook, for these facts (None: shared)."""
    out = []
    for _, _cell, q in read.graded_questions(source_nb):
        item = bank[q.item]
        question = kinds.question(item)
        if question.kind == "essay":
            continue  # no key to write: its rubric and model answer are the secrecy test's
        options = tuple(question.choices()) if item.type == "single" else ()
        out.append(Key(item.id, q.question, question.kind, question.right_answer(facts), options))
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9()]+", text.lower())


def _windows(words: list[str]) -> set[str]:
    return {" ".join(words[i:i + WINDOW]) for i in range(len(words) - WINDOW + 1)}


def _citation_patterns(pid: str) -> list[tuple[str, re.Pattern]]:
    if "(" not in pid:  # a whole article: only where it is written as one
        return [("the article", re.compile(rf"\b(?:article|art\.?)\s*{pid}\b(?!\s*\()", re.I)),
                ("the article, quoted", re.compile(rf"[\"']{pid}[\"']"))]
    return [("the provision", re.compile(rf"(?<![\w(]){re.escape(pid)}(?!\s*\()"))]


def _cited(text: str) -> set[str]:
    """The provisions a text names ("article 6(5)", "Art. 8(4)")."""
    found = set()
    for m in re.finditer(r"\b(?:article|art\.?)\s*(\d+(?:\s*\(\d+\)(?:\s*\([a-z]\))?)?)", text, re.I):
        try:
            found.add(protocol.parse(m.group(1)))
        except protocol.CitationError:
            pass
    return found


def _number_patterns(value: float) -> list[tuple[str, re.Pattern]]:
    if value == int(value):
        n = int(value)
        spelled = {str(n), f"{n:,}", f"{n:,}".replace(",", " "), f"{n:,}".replace(",", "\u202f"), f"{n}.0"}
    else:
        spelled = {f"{value:g}", f"{value:,.2f}", f"{value:.2f}"}
    if abs(value) < 100:  # a small number is everywhere (ages, months, article numbers)
        return []
    alternatives = "|".join(re.escape(s) for s in sorted(spelled, key=len, reverse=True))
    return [("the number", re.compile(rf"(?<![\d.,]){'(?:' + alternatives + ')'}(?![\d]|[.,]\d)"))]


def _letter_patterns(q: str, letter: str) -> list[tuple[str, re.Pattern]]:
    return [("the question's value", re.compile(rf"\b{q}\s*=\s*[\"']{letter}[\"']")),
            ("the question's value", re.compile(rf"[\"']{q}[\"']\s*:\s*[\"']{letter}[\"']"))]


@dataclass(frozen=True)
class Text:
    """A piece of what a student receives: its file, and the question whose own cell it is
    (the option list of that question is not a leak of it)."""

    file: Path
    text: str
    own_question: str | None = None


def _search(texts: Iterable[Text], key_list: Iterable[Key]) -> list[Leak]:
    texts = list(texts)
    out: list[Leak] = []
    for key in key_list:
        patterns: list[tuple[str, re.Pattern]] = []
        if key.kind == "citations":
            for pid in key.answer:
                patterns += _citation_patterns(pid)
        elif key.kind == "number":
            patterns += _number_patterns(float(key.answer))
        elif key.kind == "letter":
            patterns += _letter_patterns(key.question, key.answer)
        wording: set[str] = set()
        own_patterns: list[tuple[str, re.Pattern]] = []  # searched outside the question's own cell
        if key.options:
            right = kinds.LETTERS.index(key.answer)
            others = [t for i, t in enumerate(key.options) if i != right]
            wording = _windows(_words(key.options[right])) - set().union(*(_windows(_words(t)) for t in others))
            for pid in _cited(key.options[right]) - set().union(*(_cited(t) for t in others)):
                own_patterns += [(f"the provision only the right option names ({form})", p)
                                 for form, p in _citation_patterns(pid)]
        for t in texts:
            for form, pattern in patterns:
                m = pattern.search(t.text)
                if m:
                    out.append(Leak(key.item, key.question, t.file, form, m.group(0)))
            if t.own_question != key.question:
                for form, pattern in own_patterns:
                    m = pattern.search(t.text)
                    if m:
                        out.append(Leak(key.item, key.question, t.file, form, m.group(0)))
            if wording and t.own_question != key.question:
                flat = " ".join(_words(t.text))
                hit = next((w for w in sorted(wording) if w in flat), None)
                if hit:
                    out.append(Leak(key.item, key.question, t.file, "the right option's own words", hit))
    return out


def _notebook_texts(path: Path) -> Iterator[Text]:
    nb = nbformat.read(path, as_version=4)
    yield Text(path, json.dumps(nb.metadata, ensure_ascii=False))
    for cell in nb.cells:
        q = read.question(cell)
        nbg = cell.metadata.get("nbgrader", {})
        own = q.question if q else (str(nbg.get("grade_id", "")).split("_")[0] or None)
        yield Text(path, cell.source, own if cell.cell_type == "markdown" else None)
        yield Text(path, json.dumps(cell.metadata, ensure_ascii=False))
        for output in cell.get("outputs", []):
            yield Text(path, json.dumps(output, ensure_ascii=False))


def _data_texts(path: Path) -> Iterator[Text]:
    data = json.loads(path.read_text(encoding="utf-8"))
    table = data.pop("provisions", None)
    if table is not None:
        ids = [p.get("id") for p in table]
        if ids != list(protocol.PROVISIONS):  # a partial table would single out provisions
            yield Text(path, json.dumps(table, ensure_ascii=False))
    yield Text(path, json.dumps(data, ensure_ascii=False))


def student_texts(folder: Path) -> Iterator[Text]:
    """Every file of a released assignment folder, as text to search."""
    modules = {name: p.read_bytes() for name, p in bundle.MODULES.items()}
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        if path.suffix == ".ipynb":
            yield from _notebook_texts(path)
        elif path.name == bundle.DATA:
            yield from _data_texts(path)
        elif path.name in modules and path.read_bytes() == modules[path.name]:
            continue  # the kit's own module, the same for every assignment and bank
        else:
            yield Text(path, path.read_text(encoding="utf-8", errors="replace"))


def scan_release(folder: Path, key_list: Iterable[Key]) -> list[Leak]:
    """Leaks of these keys in one released assignment folder."""
    return _search(student_texts(folder), key_list)


def _page_text(path: Path) -> str:
    t = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix in (".html", ".htm"):
        t = re.sub(r"<(script|style)\b.*?</\1>", " ", t, flags=re.S | re.I)
        t = html.unescape(re.sub(r"<[^>]+>", " ", t))
    return t


def site_pages(site: Path) -> Iterator[Path]:
    """The site's pages and the files its search reads, leaving out the released notebooks
    under lite/files (searched as released folders) and the app's own code."""
    for path in sorted(Path(site).rglob("*")):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or rel.startswith("lite/"):
            continue
        if path.suffix in (".html", ".txt", ".json") or path.name == "searchindex.js":
            yield path


SHARE = 0.4  # of a graded text's own word runs on one page: that text is on the page


def scan_site_for_items(site: Path, items: Iterable[Any]) -> list[Leak]:
    """Graded items on the site's pages: their stem, or the feedback or model answer that
    gives their key, is on a page when a good share of its word runs are (the module's own
    words left out: they are on the site by design, and a short run of them is common)."""
    texts = []
    for item in items:
        for what, text in (("stem", item.stem), ("feedback", item.feedback_correct or ""),
                           ("model answer", item.model_answer or "")):
            own = {w for w in _windows(_words(text)) if not _in_module(w)}
            if len(own) >= 3:
                texts.append((item.id, what, own))
    out: list[Leak] = []
    for path in site_pages(site):
        flat = " ".join(_words(_page_text(path)))
        for item_id, what, own in texts:
            found = sorted(w for w in own if w in flat)
            if len(found) >= SHARE * len(own):
                out.append(Leak(item_id, "-", path, f"the graded item's {what} ({len(found)} of its "
                                                    f"{len(own)} word runs)", found[0]))
    return out


_MODULE: str | None = None


def _in_module(window: str) -> bool:
    """Words the module itself has: on the site by design, not a graded item's."""
    global _MODULE
    if _MODULE is None:
        _MODULE = " ".join(_words(protocol.MODULE_TEXT.read_text(encoding="utf-8")))
    return window in _MODULE
