"""Scenario templates (exercises/bank/templates/*.yaml) and the variants drawn from them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import protocol
from exercises.items import BLOOM, DIFFICULTY, Item, Numeric, Option, Section
from exercises.paths import BANK_DIR, TEMPLATES
from exercises.problems import Problem
from exercises.scenarios.facts import Facts, Person, draw_facts, draw_person, person_of
from exercises.scenarios.rules import RULES, applicable, derived_provisions, explain
from exercises.sections import PAGES
from exercises.sources import SourceError, read

KINDS = ("provisions", "unpaid-wages", "return-state")
_REQUIRED = ("id", "kind", "use", "title", "stem", "bloom", "difficulty", "section")
ASSUMPTION = "The person, the States and every fact of this scenario are invented for teaching."


@dataclass(frozen=True)
class Template:
    id: str
    kind: str
    use: str
    title: str
    stem: str
    bloom: str
    difficulty: str
    section: Section
    options: tuple[str, ...] = ()  # provisions offered, for kind "provisions"
    path: Path | None = None


def template_files(root: Path | None = None) -> list[Path]:
    folder = Path(root or BANK_DIR) / TEMPLATES
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def check_templates(root: Path | None = None) -> tuple[dict[str, Template], list[Problem]]:
    found: dict[str, Template] = {}
    problems: list[Problem] = []
    for path in template_files(root):
        try:
            src = read(path)
        except SourceError as e:
            problems.append(Problem(e.path, e.line, e.message))
            continue
        d = src.data if isinstance(src.data, dict) else {}

        def bad(where, msg, path=path, src=src):
            problems.append(Problem(path, src.line_of(where), msg))

        missing = [k for k in _REQUIRED if k not in d]
        if missing:
            bad((), f"template is missing {', '.join(missing)} (see exercises/bank/README.md, Scenario templates)")
            continue
        if d["kind"] not in KINDS:
            bad(("kind",), f"kind {d['kind']!r} is not one of {', '.join(KINDS)}")
        if d["use"] not in ("self-check", "graded"):
            bad(("use",), "use is 'self-check' or 'graded'")
        if d["bloom"] not in BLOOM:
            bad(("bloom",), f"bloom is one of {', '.join(BLOOM)}")
        if d["difficulty"] not in DIFFICULTY:
            bad(("difficulty",), f"difficulty is one of {', '.join(DIFFICULTY)}")
        sec = d["section"] if isinstance(d["section"], dict) else {}
        if sec.get("page") not in PAGES:
            bad(("section", "page"), f"section/page is one of {', '.join(PAGES)}")
        if path.stem != d["id"]:
            bad(("id",), f"id {d['id']!r} differs from the file name {path.name!r}")
        for i, pid in enumerate(d.get("options", [])):
            try:
                if protocol.parse(str(pid)) != pid:
                    bad(("options", i), f"write the canonical id {protocol.parse(str(pid))!r}")
            except protocol.CitationError as e:
                bad(("options", i), f"unknown provision: {e}")
                continue
            if d["kind"] == "provisions" and not any(pid in r.provisions for r in RULES):
                derived = sorted({q for r in RULES for q in r.provisions}, key=protocol.provision_ids().index)
                bad(("options", i), f"no rule in exercises/scenarios/rules.py derives {pid!r}, so no facts can "
                                    f"make it right or wrong; offer one of {', '.join(derived)} or add a rule")
        try:
            d["stem"].format(**{**_sample().as_dict(), **person_of(_sample()).words})
        except (KeyError, IndexError, ValueError) as e:
            bad(("stem",), f"stem uses a placeholder the facts do not have: {e}; "
                           f"available: {', '.join(sorted({**_sample().as_dict(), **person_of(_sample()).words}))}")
        if d["kind"] == "provisions" and len(d.get("options", [])) < 2:
            bad(("options",), "a provisions template offers at least two provisions in 'options'")
        if any(p.path == path for p in problems):
            continue
        found[d["id"]] = Template(
            id=d["id"], kind=d["kind"], use=d["use"], title=d["title"], stem=d["stem"].strip(),
            bloom=d["bloom"], difficulty=d["difficulty"],
            section=Section(sec["page"], sec.get("heading", PAGES[sec["page"]]), sec.get("quote")),
            options=tuple(d.get("options", ())), path=path)
    return found, problems


def load_templates(root: Path | None = None) -> dict[str, Template]:
    from exercises.problems import BankError

    found, problems = check_templates(root)
    if problems:
        raise BankError(problems)
    return found


def _sample() -> Facts:
    return draw_facts(0, "sample", "sample")


def describe(f: Facts, person: Person | None = None) -> list[str]:
    """The facts as the student reads them, one short sentence each; every sentence that
    speaks of the person starts with their name, so it reads right for any pronoun."""
    w = (person or person_of(f)).words
    n, them, their = w["name"], w["them"], w["their"]
    home = (f"{n} is a national of {f.nationality}"
            + (f" and, on entering {f.present_state}, had the right of permanent residence in {f.residence_at_entry}"
               if f.residence_at_entry != f.nationality else "")
            + (f"; {n} is now in {f.present_state}." if f.foreign else f", and was exploited in {their} own State."))
    lines = [f"{n} is {f.age} years old.", home]
    lines.append(f"{n} has {their} passport." if f.has_documents else f"{n} has no passport or identity papers.")
    if f.proceedings_running:
        lines.append(f"Criminal proceedings against the people who exploited {them} are under way"
                     + (f", and {n} has been asked to give evidence." if f.testifying else "."))
    else:
        lines.append("No criminal proceedings have started.")
    if f.media_interest:
        lines.append("Journalists are following the case.")
    lines.append({"return": f"{n} wishes to go home.", "stay": f"{n} wishes to stay in {f.present_state}.",
                  "undecided": f"{n} has not decided whether to go home."}[f.wish] if f.foreign
                 else f"{n} wishes to rebuild {their} life in {f.present_state}.")
    if f.foreign:
        lines.append(f"There is a real risk of harm to {them} on going home." if f.risk_on_return
                     else f"Nothing suggests a risk to {them} at home.")
    if f.threatened:
        lines.append(f"{n} has received threats since leaving the people who exploited {them}.")
    if f.exploiters_nearby:
        lines.append(f"The people who exploited {them} are still at large and know where {n} is staying.")
    if f.needs_housing:
        lines.append(f"{n} has nowhere safe to stay.")
    lines.append(f"{n} speaks the local language." if f.speaks_local_language
                 else f"{n} does not speak the local language.")
    if f.health_needs:
        lines.append(f"{n} needs medical care.")
    if f.special_needs:
        lines.append({"pregnant": f"{n} is pregnant.",
                      "disability": f"{n} has a physical disability and uses a wheelchair.",
                      "woman counsellor": f"{n} asks to be counselled by a woman."}[f.special_needs])
    if f.wants_training:
        lines.append(f"{n} would like vocational training, to find work.")
    lines.append(f"{n} worked for {f.months_worked} months, was promised {f.promised_per_month} "
                 f"US dollars a month and was paid {f.paid_per_month} US dollars a month.")
    if f.medical_costs:
        lines.append(f"{n} has paid {f.medical_costs} US dollars in medical costs.")
    return lines


def slug(student: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", student.lower()).strip("-") or "student"


class _Common(TypedDict):
    """The Item fields every kind of variant shares (`variant`)."""

    id: str
    use: str
    stem: str
    bloom: str
    difficulty: str
    section: Section
    title: str | None
    assumptions: tuple[str, ...]
    path: Path | None


def variant(t: Template, seed: int | str, student: str) -> tuple[Item, Facts]:
    """The item student `student` gets from template `t` under `seed`, with its facts."""
    f = draw_facts(seed, student, t.id, circumstances=True)
    person = draw_person(seed, student, t.id, f)
    facts_text = "\n".join(f"- {line}" for line in describe(f, person))
    stem = t.stem.format(**{**f.as_dict(), **person.words}) + "\n\n" + facts_text
    common = _Common(id=f"{t.id}-{slug(student)}", use=t.use, stem=stem, bloom=t.bloom,
                     difficulty=t.difficulty, section=t.section, title=t.title,
                     assumptions=(ASSUMPTION,), path=t.path)
    if t.kind == "provisions":
        derived = set(derived_provisions(f))
        options = tuple(
            Option(text=f"Article {pid}: {protocol.get(pid).title}", correct=pid in derived,
                   feedback=explain(pid, f, person))
            for pid in t.options)
        item = Item(type="multiple", provisions=t.options, options=options, **common)
    elif t.kind == "unpaid-wages":
        n = Numeric(value=f.unpaid_wages, tolerance=0, unit="US dollars",
                    derivation=f"{f.months_worked} * ({f.promised_per_month} - {f.paid_per_month})")
        item = Item(type="numeric", provisions=("6(6)",), numeric=n,
                    feedback_correct=f"Right: {n.derivation} = {f.unpaid_wages}. Article 6(6) asks States to offer "
                                     "the possibility of obtaining compensation, which may include unpaid wages.",
                    feedback_incorrect="For each month, take the promised wage less what was paid, "
                                       "and multiply by the number of months.", **common)
    else:  # return-state
        item = Item(type="single", provisions=("8(1)",), options=_return_options(f, person), **common)
    return item, f


def _return_options(f: Facts, person: Person) -> tuple[Option, ...]:
    w = person.words
    n, them, their = w["name"], w["them"], w["their"]
    own_state = f"None: {n} is in {their} own State, so article 8 does not arise."
    if not f.foreign:
        right = own_state
    elif f.residence_at_entry != f.nationality:
        right = (f"{f.nationality} (nationality) or {f.residence_at_entry} "
                 "(permanent residence at the time of entry)")
    else:
        right = f"{f.nationality}, the State of which {n} is a national"
    candidates = [right,
                  f"{f.present_state}, the State {n} is in now",
                  own_state,
                  f"Any State that agrees to take {them}"]
    seen, out = set(), []
    for text in candidates:
        if text in seen:
            continue
        seen.add(text)
        ok = text == right
        out.append(Option(text=text, correct=ok, feedback=(
            "Right. Article 8(1) places the duty on the State of nationality, or of permanent residence at the "
            "time of entry into the receiving State." if ok else
            "Not on these facts. Article 8(1) places the duty on the State of which the person is a national or "
            "in which the person had the right of permanent residence at the time of entry.")))
    return tuple(out)


__all__ = ["KINDS", "RULES", "Template", "applicable", "check_templates", "describe",
           "load_templates", "template_files", "variant"]
