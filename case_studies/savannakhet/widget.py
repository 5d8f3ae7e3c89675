"""The testimony journey: stages, provision choices compared with the course's reading, and the
compensation panel. No score: it is a survivor's account."""

from __future__ import annotations

from typing import Any

import traitlets

from case_studies import common
from case_studies.savannakhet import model
from case_studies.widget import CaseWidget

PAGE = "book/case-studies/savannakhet"  # links are made relative to this page
MODULE_TITLES = {
    "book/protection": "Protection under the Protocol",
    "book/compensation": "Compensation",
    "book/physical-safety": "Physical safety",
    "book/recovery-of-victims": "Recovery of victims",
    "book/article-8": "Repatriation (article 8)",
    "book/privacy-and-legal-proceedings": "Privacy and legal proceedings",
}


def spec(page: str = PAGE) -> dict[str, Any]:
    doc = model.data()
    options = model.provision_options()
    return {
        "currency": doc["currency"],
        "stages": doc["stages"],
        "options": options,
        "provision_links": {o["id"]: common.provision_link(page, o["id"]) for o in options},
        "module_links": {s["id"]: common.page_link(page, s["module"]) for s in doc["stages"]},
        "module_titles": {s["id"]: f"module section, {MODULE_TITLES[s['module']]}" for s in doc["stages"]},
        "assumptions": doc["assumptions"],
        "heads_of_loss": doc["heads_of_loss"],
        "heads_of_loss_source": doc["heads_of_loss_source"],
    }


class TestimonyJourney(CaseWidget):
    __test__ = False  # not a pytest class, despite the name
    script_file = "savannakhet.js"
    style_file = "savannakhet.css"

    spec = traitlets.Dict().tag(sync=True)
    choices = traitlets.Dict().tag(sync=True)  # stage id -> provision ids chosen
    compared = traitlets.List(traitlets.Unicode()).tag(sync=True)  # stages whose reading is shown
    current = traitlets.Int(0).tag(sync=True)
    compensation_inputs = traitlets.Dict().tag(sync=True)

    def __init__(self, page: str = PAGE, **kwargs: Any) -> None:
        kwargs.setdefault("spec", spec(page))
        kwargs.setdefault("compensation_inputs", model.default_compensation_inputs())
        super().__init__(**kwargs)

    def comparisons(self) -> list[model.StageComparison]:
        """The course's reading at each stage the reader has compared, in the testimony's order."""
        return [model.compare(s["id"], self.choices.get(s["id"], [])) for s in model.stages() if s["id"] in self.compared]

    def compensation(self):
        return model.compensation(self.compensation_inputs)
