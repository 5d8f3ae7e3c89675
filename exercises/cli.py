"""`python -m exercises`: check the bank and turn it into every output a lecturer needs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tqdm import tqdm

from exercises.bank import check_bank
from exercises.paths import BANK_DIR, graded_dir
from exercises.problems import BankError


def _progress(desc: str):
    # Progress on a terminal only: keeps logs and piped output clean.
    def wrap(iterable):
        return tqdm(iterable, desc=desc, unit="item", leave=False, disable=not sys.stderr.isatty())
    return wrap


def _load(args, use: str | None = None):
    # Only the folders that hold `use`: the public items never need the graded folder.
    items, problems = check_bank(args.bank, progress=_progress("reading bank"), use=use)
    if problems:
        raise BankError(problems)
    return sorted(items, key=lambda i: i.id)


def cmd_check(args) -> int:
    from exercises.checks import outcome_warnings, warnings
    from exercises.scenarios.templates import check_templates

    items, problems = check_bank(args.bank, progress=_progress("checking"))
    templates, template_problems = check_templates(args.bank)
    problems = sorted(problems + template_problems)
    cues = warnings(items, args.bank, graded_dir(args.bank)) + outcome_warnings(items)
    for p in problems + cues:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in {args.bank}; nothing was changed", file=sys.stderr)
        return 1
    if cues and args.strict:
        print(f"{len(cues)} warning(s) in {args.bank}, and --strict fails on warnings", file=sys.stderr)
        return 1
    print(f"ok: {len(items)} items and {len(templates)} scenario templates, no problems"
          + (f"; {len(cues)} warning(s) about cues, public twins and outcomes to review" if cues else ""))
    return 0


def cmd_coverage(args) -> int:
    from exercises import coverage

    if args.by == "outcome":
        by_outcome = coverage.by_outcome(_load(args))
        text = coverage.outcomes_to_csv(by_outcome) if args.format == "csv" else coverage.outcomes_to_table(by_outcome)
        ok = all(r.ok for r in by_outcome)
    else:
        rows = coverage.coverage(_load(args))
        text = coverage.to_csv(rows) if args.format == "csv" else coverage.to_table(rows)
        ok = all(r.ok for r in rows)
    print(text, end="\n" if args.format != "csv" else "")
    return 0 if ok else 1


def _selected(args, use=None):
    from exercises.select import SelectError, sample, select

    items = _load(args, use)
    try:
        chosen = select(items, args.select or [])
    except SelectError as e:
        raise SystemExit(f"error: {e}") from None
    if not chosen:
        raise SystemExit(f"error: --select {' '.join(args.select)} matches no item")
    if args.count is not None:
        try:
            chosen = sample(chosen, args.count, args.seed)
        except SelectError as e:
            raise SystemExit(f"error: {e}") from None
    return chosen


def cmd_export(args) -> int:
    from exercises.export import export
    from exercises.export.lms import prepare

    items = _selected(args)
    ready, left_out = prepare(items, args.format)
    for item, why in left_out:
        print(f"{item.where()}: left out of the LMS file: {why}", file=sys.stderr)
    if not ready:
        raise SystemExit("error: every selected item is left out of LMS files; nothing written")
    try:
        out = export(items, args.format, args.output, moodle_version=args.moodle_version)
    except ValueError as e:
        raise SystemExit(f"error: {e}") from None
    graded = sum(not i.public for i in ready)
    left_ids = {i.id for i, _ in left_out}
    changed = sum(i.needs_all_citations and i.id not in left_ids for i in items)
    note = f"; {changed} citation item(s) needing several provisions exported as multiple-select" if changed else ""
    kept = f"{graded} graded: keep this file off the public site" if graded else "all public self-check questions"
    print(f"wrote {out}: {len(ready)} questions ({kept}){note}")
    return 0


def cmd_build(args) -> int:
    # The site's self-check pages are not written here: the site build renders them from the bank.
    from exercises.assignments import SOURCE_DIR
    from exercises.assignments.build import build_sources

    sources = build_sources()
    print(f"nbgrader sources: {len(sources)} files written to {SOURCE_DIR} "
          "(python -m autograder builds an assignment again whenever it needs it)")
    return 0


def cmd_print(args) -> int:
    from exercises.render.printing import answer_key, quiz

    items = _selected(args)
    args.output.mkdir(parents=True, exist_ok=True)
    q, k = args.output / "quiz.html", args.output / "answer-key.html"
    q.write_text(quiz(items, args.title), encoding="utf-8")
    k.write_text(answer_key(items, args.title), encoding="utf-8")
    print(f"wrote {q} ({len(items)} questions) and the separate answer key {k}")
    return 0


def cmd_assignment(args) -> int:
    from exercises.assignments.new import NewAssignmentError, create, points
    from exercises.select import SelectError, select

    try:
        items = select(_load(args, use="graded"), args.select or [])
        md, written, chosen, left_out = create(args.name, args.title or args.name.replace("-", " ").capitalize(),
                                               items, count=args.count, seed=args.seed, force=args.force)
    except (NewAssignmentError, SelectError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for item, why in left_out:
        print(f"{item.where()}: left out: {why}", file=sys.stderr)
    total = sum(points(i) for i in chosen)
    essays = sum(i.type == "essay" for i in chosen)
    print(f"wrote {md}: {len(chosen)} questions, {total:g} points"
          + (f" ({essays} essay(s), graded by hand)" if essays else "")
          + f"; nbgrader source in {written[0].parent}.\n"
          f"Edit {md.name} to reorder, reweight or add text, then: "
          f"python -m autograder release {args.name} --out released/")
    return 0


def cmd_variants(args) -> int:
    from exercises.scenarios.templates import load_templates
    from exercises.variants import RosterError, read_roster, write_variants

    try:
        students = read_roster(args.roster)
    except RosterError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    templates = load_templates(args.bank)
    if args.template:
        unknown = sorted(set(args.template) - set(templates))
        if unknown:
            print(f"error: unknown template(s) {', '.join(unknown)}; known: {', '.join(templates)}", file=sys.stderr)
            return 1
        templates = {k: v for k, v in templates.items() if k in args.template}
    def progress(xs):
        return tqdm(xs, desc="variants", unit="student", disable=not sys.stderr.isatty())

    write_variants(templates, students, args.seed, args.output, progress)
    print(f"wrote variants of {len(templates)} template(s) for {len(students)} student(s) under {args.output} "
          f"(students/: one quiz per student; lecturer/: facts and key.csv)")
    return 0


def _sampling(p) -> None:
    p.add_argument("--count", type=int, help="this many questions, a sample of those selected")
    p.add_argument("--seed", default="0", help="with --count: the same seed picks the same questions")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m exercises", description=__doc__)
    ap.add_argument("--bank", type=Path, default=BANK_DIR, help="bank folder (default: exercises/bank); graded items come from $COURSE_GRADED_BANK "
                         "when it is set, else BANK/graded")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ch = sub.add_parser("check", help="validate the whole bank; print path:line: message per problem, and "
                                      "path:line: warning: message per cue or public twin (exit 1 on problems only)")
    ch.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    cov = sub.add_parser("coverage", help="provisions by number of items, type and Bloom level "
                                          "(exit 1 if a provision has fewer than 3 items or none applied to facts); "
                                          "--by outcome: learning outcomes by items, and items at the outcome's level "
                                          "(exit 1 if one has fewer than 3 at its level)")
    cov.add_argument("--format", choices=("table", "csv"), default="table")
    cov.add_argument("--by", choices=("provision", "outcome"), default="provision",
                     help="one row per provision (default) or per learning outcome (exercises/outcomes.yaml)")

    from exercises.export import FORMATS
    from exercises.select import KEYS
    ex = sub.add_parser("export", help="Moodle XML, GIFT or a QTI 1.2 zip for Canvas")
    ex.add_argument("--format", choices=FORMATS, required=True)
    ex.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    ex.add_argument("--moodle-version", metavar="X.Y",
                    help="with --format moodle: the oldest Moodle the file must import into; 4.4 or later "
                         "writes ordering items as Moodle's ordering question (default: as matching, for any Moodle)")
    ex.add_argument("--select", action="append", metavar="KEY=VALUE",
                    help=f"only items matching; keys: {', '.join(KEYS)}; repeat a key for alternatives")
    _sampling(ex)

    sub.add_parser("build", help="write the graded assignments' nbgrader sources (into _build/assignments/source/, never committed); "
                                 "the site's self-check pages need no step: jupyter-book build renders them")

    pr = sub.add_parser("print", help="printable quiz (HTML, print stylesheet) and a separate answer key")
    pr.add_argument("-o", "--output", type=Path, default=Path("out/print"), help="folder (default: out/print)")
    pr.add_argument("--title", default="Protecting victims: articles 6, 7, 8 and 14")
    pr.add_argument("--select", action="append", metavar="KEY=VALUE", help="as for export")
    _sampling(pr)

    na = sub.add_parser("assignment", help="a new graded notebook from the bank's graded items "
                                           "(exercises/assignments/NAME.md and its nbgrader source)")
    na.add_argument("name", help="lower-case letters, digits and hyphens; names the notebook")
    na.add_argument("--title", help="shown at the top of the notebook (default: from the name)")
    na.add_argument("--select", action="append", metavar="KEY=VALUE", help="as for export; use=graded is implied")
    _sampling(na)
    na.add_argument("--force", action="store_true", help="replace an assignment of that name")

    va = sub.add_parser("variants", help="one variant set per student of a roster")
    va.add_argument("--roster", type=Path, required=True, help="CSV with a header; column student_id (or id, "
                                                              "username, email; else the first column)")
    va.add_argument("--seed", required=True, help="course seed: same seed and student give the same facts")
    va.add_argument("-o", "--output", type=Path, required=True, help="folder to write")
    va.add_argument("--template", action="append", help="only these scenario templates (repeatable)")
    return ap


COMMANDS = {"check": cmd_check, "coverage": cmd_coverage, "export": cmd_export, "build": cmd_build,
            "print": cmd_print, "assignment": cmd_assignment, "variants": cmd_variants}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # here, not at exit, so that a closed pipe is met inside this try
        return code
    except BankError as e:
        print(e, file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader stopped early (`... | head`): what it read is complete
        # Python would complain again flushing stdout at exit: point it at nothing instead.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
