"""The service planner: a profile and a plan in, a coverage table and programme figures out."""

from __future__ import annotations

from typing import Any

import traitlets

from case_studies import common
from case_studies.little_rose_shelter import model
from case_studies.widget import CaseWidget, passed_on

RETURN_LABELS = {"yes": "Yes", "no": "No", "undecided": "Not yet decided"}


def spec() -> dict[str, Any]:
    return {
        **passed_on(model.data(), "services", "obligations", "needs", "assumptions"),
        "return_choices": [[c, RETURN_LABELS[c]] for c in model.RETURN_CHOICES],
        "child_under": model.CHILD_UNDER,
        "return_note": (
            f"Guideline 8 (Box 10) concerns children: its rows on return and care apply only while she is under "
            f"{model.CHILD_UNDER}. Her wish still matters for an adult, but this table does not score it."
        ),
        "group_size": common.fact(model.NAME, "group_size"),
        "rehabilitation_months": common.fact(model.NAME, "rehabilitation_months"),
    }


class ServicePlanner(CaseWidget):
    script_file = "little_rose_shelter.js"
    style_file = "little_rose_shelter.css"

    spec = traitlets.Dict().tag(sync=True)
    profile = traitlets.Dict().tag(sync=True)
    plan = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("spec", spec())
        kwargs.setdefault("profile", model.default_profile())
        super().__init__(**kwargs)

    def coverage(self):
        """The coverage table (pandas) for the current profile and plan."""
        return model.coverage(self.profile, self.plan)

    def programme(self) -> dict[str, Any]:
        return model.programme(self.profile, self.plan)
