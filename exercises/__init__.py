"""The question bank and everything generated from it.

One source of questions on articles 6, 7, 8 and 14 (``exercises/bank/``), validated
against a JSON Schema and the course's provision list, turned by ``python -m exercises``
into self-check pages, LMS exports, printable quizzes and per-student variants.

Imports downward only: ``protocol`` (and ``case_studies`` where a model computes a figure).
"""
