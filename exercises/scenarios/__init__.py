"""Scenario templates: facts drawn per student, provisions derived from them by cited rules.

    from exercises.scenarios import draw_facts, applicable, load_templates, variant
    facts = draw_facts(seed=2026, student="s001", template="which-provisions")
    for rule in applicable(facts): print(rule.provisions, rule.source.heading)
    item = variant(load_templates()["which-provisions"], seed=2026, student="s001")

Below the graded questions and the bank's checks, above the bank's folders and the item model:
the templates are read from exercises/bank/templates/ (``exercises.paths``), never through the
bank's loader, so this package stays light for the hidden tests that draw each student's facts.
"""

from exercises.scenarios.facts import Facts, Person, draw_facts, draw_person, rng_for
from exercises.scenarios.rules import RULES, Rule, applicable, derived_provisions
from exercises.scenarios.templates import Template, load_templates, variant

__all__ = ["RULES", "Facts", "Person", "Rule", "Template", "applicable", "derived_provisions",
           "draw_facts", "draw_person", "load_templates", "rng_for", "variant"]
