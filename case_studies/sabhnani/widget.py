"""The restitution explorer: the Sabhnani model's inputs as fields, its results as a table and chart."""

from __future__ import annotations

from typing import Any

import traitlets

from case_studies.sabhnani import model
from case_studies.widget import CaseWidget, passed_on

DISCLAIMER = (
    "A teaching model, not legal advice. It applies Box 7's restitution rule to Box 9's facts "
    "as a teaching exercise: the module does not say the court used that rule. The module gives "
    "no hours, dates or wage rates: every figure not taken from Box 9 is an assumption you can change."
)


def spec() -> dict[str, Any]:
    """What the browser needs from the model: field specs with bounds, the rules, notes."""
    doc = model.data()
    return {
        **passed_on(doc, "currency", "victim_fields", "assumptions"),
        "victim_notes": {v["id"]: v.get("note", "") for v in doc["victims"]},
        "field_notes": {v["id"]: v.get("field_notes", {}) for v in doc["victims"]},
        "disclaimer": DISCLAIMER,
    }


class RestitutionExplorer(CaseWidget):
    script_file = "sabhnani.js"
    style_file = "sabhnani.css"

    spec = traitlets.Dict().tag(sync=True)
    inputs = traitlets.Dict().tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("spec", spec())
        kwargs.setdefault("inputs", model.default_inputs())
        super().__init__(**kwargs)

    def errors(self) -> list[str]:
        return [e.message for e in model.validate(self.inputs)]

    def results(self):
        """The model's figures for the current inputs (raises InputError if they are invalid)."""
        return model.all_victims(self.inputs)
