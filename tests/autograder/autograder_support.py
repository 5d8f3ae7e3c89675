"""Shared by the autograder tests (imported by name, as pytest puts this folder on sys.path)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import nbformat

ASSIGNMENT = "capstone"  # has per-student facts, every answer kind and a hand-graded essay
SEED = "test-seed"


@cache
def kit_source() -> Path:
    """The folder of the kit's nbgrader sources, every assignment built (as `release` and
    `grade` build the one they are asked for)."""
    from exercises.assignments import SOURCE_DIR
    from exercises.assignments.build import build_sources

    build_sources(SOURCE_DIR)
    return SOURCE_DIR


def set_answer(nb_path: Path, question: str, literal: str) -> None:
    """Edit the one literal of an answer cell, as a student does."""
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == question:
            lines = cell.source.split("\n")
            lines = [f"{question} = {literal}" if line.startswith(f"{question} = ") else line for line in lines]
            cell.source = "\n".join(lines)
    nbformat.write(nb, nb_path)


def read_csv(path: Path) -> dict[str, dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return {r["student_id"]: r for r in csv.DictReader(f)}


def hand_marked(assignment: str = ASSIGNMENT) -> dict[str, float]:
    """Grade id -> points of each criterion of the assignment's hand-marked answers (the cells
    marked by hand, criterion by criterion), in order."""
    from exercises.graded.metadata import read

    nb = nbformat.read(kit_source() / assignment / f"{assignment}.ipynb", as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"] for _, cell, _ in read.criteria(nb)}
