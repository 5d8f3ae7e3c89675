"""Fixtures for the question bank tests: a scratch copy of the bank to break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exercises.bank import BANK_DIR, load_bank


@pytest.fixture(scope="session")
def bank():
    return load_bank()


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    root = tmp_path / "bank"
    shutil.copytree(BANK_DIR, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return root


@pytest.fixture
def write_item(bank_copy: Path):
    """Write an item file into the scratch bank; returns its path."""
    def write(text: str, name: str = "broken-item", folder: str = "privacy-and-legal-proceedings") -> Path:
        path = bank_copy / folder / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path
    return write
