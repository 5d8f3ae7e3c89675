"""Shared by the bank tests (imported by name, as pytest puts this folder on sys.path; a unique
name, since tests/autograder has a conftest.py of its own and both run in one session)."""

GOOD = """\
id: {id}
type: single
use: self-check
stem: Which provision protects the privacy and identity of victims?
provisions: ['6(1)']
bloom: remember
difficulty: easy
section:
  page: privacy-and-legal-proceedings
  heading: Privacy and legal proceedings
options:
  - text: Article 6(1)
    correct: true
    feedback: Right.
  - text: Article 6(6)
    feedback: That is compensation.
"""
