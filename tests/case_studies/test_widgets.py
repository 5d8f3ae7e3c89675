"""Widget state round-trips: what the browser would save is what the model reads back."""

import json

from case_studies.little_rose_shelter.widget import ServicePlanner
from case_studies.sabhnani import model as sab
from case_studies.sabhnani.widget import RestitutionExplorer
from case_studies.savannakhet.widget import TestimonyJourney


def roundtrip(widget):
    state = json.loads(json.dumps(widget.get_state()))  # as it travels to and from the browser
    clone = type(widget)()
    clone.set_state({k: v for k, v in state.items() if not k.startswith("_")})
    return state, clone


def test_restitution_explorer_state_roundtrip():
    w = RestitutionExplorer()
    w.inputs = {**w.inputs, "victims": [{**w.inputs["victims"][0], "hours_per_day": 12}, w.inputs["victims"][1]]}
    state, clone = roundtrip(w)
    assert clone.inputs == w.inputs
    assert clone.results()["first"] == sab.restitution(w.inputs["victims"][0], w.inputs["rules"])
    assert "_esm" in state and "compute(" in state["_esm"] and "csFrame" in state["_esm"]


def test_restitution_explorer_reports_bad_input_without_raising():
    w = RestitutionExplorer()
    w.inputs = {**w.inputs, "victims": [{**w.inputs["victims"][0], "hours_per_day": 30}, w.inputs["victims"][1]]}
    assert w.errors() == ["First victim (aged 53) — Hours worked per day: 30 is more than 24; enter a number from 0 to 24."]


def test_testimony_journey_state_roundtrip():
    w = TestimonyJourney()
    w.choices = {"escape": ["6(5)"], "hospital": ["6(3)(c)"]}
    w.compared = ["escape", "hospital"]
    w.current = 4
    _, clone = roundtrip(w)
    assert (clone.choices, clone.compared, clone.current) == (w.choices, w.compared, w.current)
    readings = [[(r.provision, r.verdict) for r in c.readings] for c in clone.comparisons()]
    assert readings == [[("6(5)", "engaged")], [("6(3)(c)", "engaged"), ("6(4)", "also engaged")]]
    assert not hasattr(clone, "score") and "score" not in clone.trait_names()
    assert clone.spec["provision_links"]["6(3)(a)"] == "../article-6.html#art-6-3-a"


def test_service_planner_state_roundtrip():
    w = ServicePlanner()
    w.plan = ["residency", "counselling"]
    w.profile = {**w.profile, "return_home": "no"}
    _, clone = roundtrip(w)
    assert clone.plan == w.plan and clone.profile == w.profile
    assert clone.coverage().equals(w.coverage())
