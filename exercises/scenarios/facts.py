"""The facts of one scenario, drawn reproducibly for a (seed, student, template).

The base facts come from one stream per (seed, student, template); the circumstances added
later (a special need, the people who exploited the person being at large nearby) from a
stream of their own, and only for the scenario questions that describe them: the base facts,
and so the cases and grades of work already released, stay as they were.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace

from case_studies.sabhnani.model import unpaid_wages

# Invented States and names: scenarios never borrow real people's stories.
STATES = ("State A", "State B", "State C", "State D")
NAMES = ("Amal", "Dana", "Hoa", "Lina", "Mai", "Noor", "Sara", "Tala", "Ana", "Joy")
WISHES = ("return", "stay", "undecided")
# Needs that come from a person's gender or special needs (article 6(4)), as the facts state them.
# Two of them are written for a woman: the person drawn for them is one (draw_person).
SPECIAL_NEEDS = ("pregnant", "disability", "woman counsellor")
FOR_A_WOMAN = ("pregnant", "woman counsellor")


@dataclass(frozen=True)
class Facts:
    name: str
    age: int
    nationality: str            # State of which the person is a national
    residence_at_entry: str     # State where they had permanent residence when they entered
    present_state: str          # the receiving State, where they are now
    has_documents: bool         # passport or identity papers in hand
    proceedings_running: bool   # criminal proceedings against the traffickers
    testifying: bool            # asked to give evidence in those proceedings
    media_interest: bool        # journalists are following the case
    wish: str                   # "return", "stay" or "undecided"
    risk_on_return: bool        # a real risk of harm in the State of origin
    threatened: bool            # threats received in the present State
    needs_housing: bool
    speaks_local_language: bool
    health_needs: bool
    wants_training: bool
    months_worked: int
    promised_per_month: int
    paid_per_month: int
    medical_costs: int
    # Circumstances (drawn from their own stream, for the scenario questions that state them):
    special_needs: str = ""         # "", or one of SPECIAL_NEEDS
    exploiters_nearby: bool = False  # the people who exploited them are at large and know where they are

    @property
    def child(self) -> bool:
        return self.age < 18

    @property
    def foreign(self) -> bool:
        """Neither a national nor a permanent resident of the State they are in."""
        return self.present_state not in (self.nationality, self.residence_at_entry)

    @property
    def unpaid_wages(self) -> float:
        """Promised wages never paid, by the Sabhnani model's arithmetic (case_studies/): a whole
        number here, since the wages and months drawn are whole."""
        return unpaid_wages(self.months_worked, self.promised_per_month, self.paid_per_month)

    def as_dict(self) -> dict:
        return asdict(self) | {"child": self.child, "foreign": self.foreign,
                               "unpaid_wages": self.unpaid_wages}


# Who the person is: how the texts name them. Victims of trafficking are women, men and
# people of any gender; the scenarios say so. Texts start sentences with the name, so that
# no verb has to agree with a pronoun, and use only these object and possessive forms.
PRONOUNS = {"she": {"them": "her", "their": "her"}, "he": {"them": "him", "their": "his"},
            "they": {"them": "them", "their": "their"}}
PRONOUN_WEIGHTS = {"she": 50, "he": 35, "they": 15}  # a teaching choice, not a statistic
NAMES_FOR = {"he": ("Ahmed", "Bao", "Kofi", "Luis", "Omar", "Ravi", "Tuan", "Ivan"),
             "they": ("Alex", "Kim", "Sam", "Robin", "Jules", "Ari")}  # "she": the facts' own name (NAMES)


@dataclass(frozen=True)
class Person:
    name: str
    pronoun: str  # "she", "he" or "they"

    @property
    def words(self) -> dict[str, str]:
        return {"name": self.name, **PRONOUNS[self.pronoun]}


def person_of(f: Facts) -> Person:
    """The person as the facts alone name her: the graded assignments' cases, written for a woman."""
    return Person(f.name, "she")


def draw_person(seed: int | str, student: str, template: str, f: Facts) -> Person:
    """Who the person of a scenario is, drawn from a stream of its own: the facts (and so every
    answer, and the grades of work released before the person was drawn) stay as they were."""
    r = rng_for(seed, student, f"{template}\x1fperson")
    pronoun = r.choices(list(PRONOUN_WEIGHTS), weights=list(PRONOUN_WEIGHTS.values()))[0]
    if f.special_needs in FOR_A_WOMAN:  # the facts say she is pregnant, or asks for a woman counsellor
        pronoun = "she"
    return Person(f.name if pronoun == "she" else r.choice(NAMES_FOR[pronoun]), pronoun)


def rng_for(seed: int | str, student: str, template: str) -> random.Random:
    """A generator that depends only on (seed, student, template), on any machine and run.

    hashlib, not hash(): Python salts str hashes per process, which would change the facts.
    """
    digest = hashlib.sha256(f"{seed}\x1f{student}\x1f{template}".encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


MAX_DRAWS = 200


def draw_facts(seed: int | str, student: str, template: str,
               require: Callable[[Facts], bool] | None = None, circumstances: bool = False) -> Facts:
    """The facts for (seed, student, template); with ``require``, the first draw that meets it.

    Later draws continue the same generator, so the result is as reproducible as the first
    draw, and without ``require`` it is the first draw. With ``circumstances``, the facts also
    have a special need or the people who exploited them nearby, drawn from a stream of their
    own; without, they have neither (the graded cases, whose texts do not state them).
    """
    r = rng_for(seed, student, template)
    extra = _circumstances(rng_for(seed, student, f"{template}\x1fcircumstances")) if circumstances else {}
    for _ in range(MAX_DRAWS):
        f = _draw(r)
        if extra:
            f = replace(f, **extra)
        if require is None or require(f):
            return f
    raise ValueError(f"template {template!r}: no facts met the requirement in {MAX_DRAWS} draws "
                     "for this student; loosen the requirement")


def _circumstances(r: random.Random) -> dict:
    return {"special_needs": r.choice(SPECIAL_NEEDS) if r.random() < 0.3 else "",
            "exploiters_nearby": r.random() < 0.25}


def _draw(r: random.Random) -> Facts:
    present = r.choice(STATES)
    others = [s for s in STATES if s != present]
    # Some people are trafficked within their own country: articles 7 and 8 then do not arise.
    nationality = present if r.random() < 0.15 else r.choice(others)
    # Most people live in their State of nationality; some had settled elsewhere before.
    residence = (nationality if nationality == present or r.random() < 0.75
                 else r.choice([s for s in others if s != nationality]))
    proceedings = r.random() < 0.6
    promised = r.choice((150, 200, 250, 300, 350))
    return Facts(
        name=r.choice(NAMES),
        age=r.choice((14, 15, 16, 17, 19, 22, 26, 31, 38, 45)),
        nationality=nationality,
        residence_at_entry=residence,
        present_state=present,
        has_documents=r.random() < 0.4,
        proceedings_running=proceedings,
        testifying=proceedings and r.random() < 0.6,
        media_interest=r.random() < 0.3,
        wish=r.choice(WISHES),
        risk_on_return=r.random() < 0.35,
        threatened=r.random() < 0.4,
        needs_housing=r.random() < 0.6,
        speaks_local_language=r.random() < 0.4 or nationality == present,
        health_needs=r.random() < 0.5,
        wants_training=r.random() < 0.5,
        months_worked=r.randrange(3, 37),
        promised_per_month=promised,
        paid_per_month=r.choice((0, 0, 25, 50, 100)),
        medical_costs=r.choice((0, 0, 150, 400, 900)),
    )
