"""Scenario templates: facts drawn per student, provisions derived from them by cited rules.

    from exercises.scenarios import draw_facts, applicable, load_templates, variant
    facts = draw_facts(seed=2026, student="s001", template="which-provisions")
    for rule in applicable(facts): print(rule.provisions, rule.source.heading)
    item = variant(load_templates()["which-provisions"], seed=2026, student="s001")

The templates (and through them the bank's schema checker, which takes seconds to import)
load only when asked for: the autograder works out each student's answer key from the facts
and the rules, for every submission.
"""

from exercises.scenarios.facts import Facts, Person, draw_facts, draw_person, rng_for
from exercises.scenarios.rules import RULES, Rule, applicable, derived_provisions

__all__ = ["RULES", "Facts", "Person", "Rule", "Template", "applicable", "derived_provisions",
           "draw_facts", "draw_person", "load_templates", "rng_for", "variant"]

_TEMPLATES = ("Template", "load_templates", "variant")


def __getattr__(name):
    if name in _TEMPLATES:
        from exercises.scenarios import templates

        return getattr(templates, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
