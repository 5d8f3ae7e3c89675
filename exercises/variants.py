"""Per-student variants for a roster: each student's facts, questions and the lecturer's key."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from exercises import spreadsheet
from exercises.items import Item
from exercises.render.printing import quiz
from exercises.scenarios.facts import draw_person
from exercises.scenarios.templates import Template, slug, variant

ID_COLUMNS = ("student_id", "student", "id", "username", "login", "email")


class RosterError(ValueError):
    pass


def read_roster(path: Path) -> list[str]:
    """Student ids from a CSV with a header (student_id, id, username, email... or the first column)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"{path}: no such roster file") from None
    rows = list(csv.DictReader(text.splitlines(), delimiter=spreadsheet.delimiter(text)))
    if not rows:
        raise RosterError(f"{path}:1: the roster has no students (expected a header line, then one student per line)")
    header = list(rows[0])
    column = next((c for c in header if c.strip().lower() in ID_COLUMNS), header[0])
    ids: list[str] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        sid = (row.get(column) or "").strip()
        if not sid:
            raise RosterError(f"{path}:{line}: empty {column!r}; every student needs an id")
        if "/" in sid or "\\" in sid or sid in (".", "..") or "\0" in sid:
            # Ids name each student's folder of released and graded work.
            raise RosterError(f"{path}:{line}: student id {sid!r} cannot name a folder; "
                              "remove slashes (use the id without a path)")
        if slug(sid) in seen:
            raise RosterError(f"{path}:{line}: student {sid!r} repeats line {seen[slug(sid)]}")
        seen[slug(sid)] = line
        ids.append(sid)
    return ids


def answer_text(item: Item) -> str:
    if item.type in ("single", "multiple"):
        return " | ".join(o.text for o in item.correct_options)
    if item.numeric:
        return f"{item.numeric.value:g}"
    return ""


def write_variants(templates: dict[str, Template], students: list[str], seed: int | str, out: Path,
                   progress=lambda x: x) -> list[Path]:
    (out / "students").mkdir(parents=True, exist_ok=True)
    (out / "lecturer").mkdir(parents=True, exist_ok=True)
    written = []
    with open(out / "lecturer" / "key.csv", "w", newline="", encoding="utf-8") as key_file:
        key = csv.writer(key_file)
        key.writerow(["student", "template", "item", "type", "answer", "provisions"])
        for student in progress(students):
            record = {"student": student, "seed": str(seed), "variants": []}
            items = []
            for t in templates.values():
                item, facts = variant(t, seed, student)
                person = draw_person(seed, student, t.id, facts)
                items.append(item)
                # The person as the student reads them (the facts' own name is only a draw).
                record["variants"].append({"template": t.id, "item": item.id,
                                           "facts": {**facts.as_dict(), "name": person.name, "pronoun": person.pronoun},
                                           "stem": item.stem, "answer": answer_text(item)})
                key.writerow(spreadsheet.inert_rows([[student, t.id, item.id, item.type, answer_text(item),
                                                     " ".join(item.provisions)]])[0])
            stem = slug(student)
            page = out / "students" / f"{stem}.html"
            page.write_text(quiz(items, f"Scenario questions for {student}"), encoding="utf-8")
            facts_file = out / "lecturer" / f"{stem}.json"
            facts_file.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            written += [page, facts_file]
    return written + [out / "lecturer" / "key.csv"]
