"""Scenario templates: facts drawn per student, provisions derived from them by cited rules.

    from exercises.scenarios import draw_facts, applicable, load_templates, variant
    facts = draw_facts(seed=2026, student="s001", template="which-provisions")
    for rule in applicable(facts): print(rule.provisions, rule.source.heading)
    item = variant(load_templates()["which-provisions"], seed=2026, student="s001")
"""

from exercises.scenarios.facts import Facts, draw_facts, rng_for
from exercises.scenarios.rules import RULES, Rule, applicable, derived_provisions
from exercises.scenarios.templates import Template, load_templates, variant

__all__ = ["RULES", "Facts", "Rule", "Template", "applicable", "derived_provisions",
           "draw_facts", "load_templates", "rng_for", "variant"]
