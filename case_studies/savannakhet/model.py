"""The Savannakhet testimony (Box 8) as stages; which provisions each engages; the award.

The learner picks provisions at each stage and compares them with the course's reading.
``compare`` says, per provision chosen, whether the course reads it as engaged here,
arguable (worth discussing) or not engaged here, and names the provisions it reads as
engaged that were not chosen, each with why and the module section to read, and gives a
question to reflect on. It keeps no score: this is a survivor's account, not a quiz.
``compensation`` sets the 500 Euros awarded beside the promised wage and the heads of loss
the module lists. The widget (``static/savannakhet.js``) applies the same reading to the same
data in the browser.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, TypedDict

import protocol
from case_studies import common

NAME = "savannakhet"
# How the course reads a provision at a stage: the reader chose it and it is "engaged",
# "arguable" or "not engaged" here; or the reader did not choose it and it is "also engaged".
VERDICTS = ("engaged", "arguable", "not engaged", "also engaged")


def data() -> dict[str, Any]:
    return common.load(NAME)


def stages() -> list[dict[str, Any]]:
    return data()["stages"]


def _stage(stage_id: str) -> dict[str, Any]:
    for s in stages():
        if s["id"] == stage_id:
            return s
    raise common.InputError("stage", f"Stage: there is no stage {stage_id!r}; choose one of {', '.join(s['id'] for s in stages())}.")


@dataclass(frozen=True)
class Reading:
    provision: str
    verdict: str  # one of VERDICTS
    why: str


@dataclass(frozen=True)
class StageComparison:
    stage: str
    about: str = ""  # the stage's own note, said once, whatever was chosen
    readings: list[Reading] = field(default_factory=list)
    reflect: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def elsewhere(provision_id: str, stage_id: str) -> str:
    """Why a provision chosen at a stage where the course does not read it says something of its
    own: the other stages of her account at which the course reads it as engaged or arguable."""
    places: dict[str, list[str]] = {"engaged": [], "arguable": []}
    for number, s in enumerate(stages(), start=1):
        if s["id"] == stage_id:
            continue
        for verdict in places:
            if provision_id in s[verdict]:
                places[verdict].append(f"stage {number} ({s['title']})")
    said = [f"as {verdict} at {_and(where)}" for verdict, where in places.items() if where]
    if said:
        return f"The course reads article {provision_id} {' and '.join(said)}."
    # A paragraph whose sub-paragraphs the course reads one by one (6(3): (a) to (d)).
    parts = [p for p in protocol.provision_ids() if p.startswith(provision_id + "(")
              and any(p in s["engaged"] or p in s["arguable"] for s in stages())]
    if parts:
        return f"The course reads its sub-paragraphs one by one ({_and(parts)}) rather than the paragraph as a whole."
    return f"The course reads article {provision_id} as engaged at no stage of her account: the testimony says nothing that calls on it."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def compare(stage_id: str, chosen: list[str]) -> StageComparison:
    """The course's reading of each provision chosen (citations are parsed: "Art. 6(3)(a)" is
    fine) and of each one it reads as engaged that was not chosen. Each reading says something
    of its own; what holds for the whole stage is said once, in ``about``."""
    stage = _stage(stage_id)
    try:
        picked = protocol.parse_many(chosen) if chosen else []
    except protocol.CitationError as e:
        raise common.InputError("chosen", f"Provisions chosen: {e}; write them as in \"6(3)(a)\" or \"Art. 8(2)\".") from None
    picked = [p for p in protocol.provision_ids() if p in set(picked)]  # treaty order, no repeats
    engaged, arguable = stage["engaged"], stage["arguable"]
    readings = []
    for pid in picked:
        if pid in engaged:
            readings.append(Reading(pid, "engaged", engaged[pid]))
        elif pid in arguable:
            readings.append(Reading(pid, "arguable", arguable[pid]))
        else:
            readings.append(Reading(pid, "not engaged", elsewhere(pid, stage_id)))
    readings += [Reading(pid, "also engaged", why) for pid, why in engaged.items() if pid not in picked]
    return StageComparison(stage=stage_id, about=stage["not_here"], readings=readings, reflect=stage["reflect"])


def default_compensation_inputs() -> dict[str, Any]:
    doc = data()
    values = {a["id"]: a["default"] for a in doc["assumptions"]}
    values.update({h["id"]: 0 for h in doc["heads_of_loss"] if not h.get("computed")})
    return values


@dataclass(frozen=True)
class Compensation:
    daily_wage: float
    unpaid_wages: float
    heads_total: float
    award: float
    award_in_months_of_wage: float  # how many months of the promised wage the award equals
    award_less_heads: float  # positive: the award exceeds the losses entered

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def compensation(values: dict[str, Any]) -> Compensation:
    """The award set against the promised wage and the heads of loss (module, Compensation)."""
    doc = data()
    v = {a["id"]: common.bounded(a, values.get(a["id"])) for a in doc["assumptions"]}
    heads = {
        h["id"]: common.number(h["id"], values.get(h["id"], 0), h["label"], minimum=0)
        for h in doc["heads_of_loss"]
        if not h.get("computed")
    }
    daily = v["promised_per_month"] / v["days_per_month"]
    unpaid = daily * v["days_worked"]
    total = unpaid + sum(heads.values())
    months = v["award"] / v["promised_per_month"] if v["promised_per_month"] > 0 else 0.0
    return Compensation(
        daily_wage=daily,
        unpaid_wages=unpaid,
        heads_total=total,
        award=v["award"],
        award_in_months_of_wage=months,
        award_less_heads=v["award"] - total,
    )


class ProvisionOption(TypedDict):
    id: str  # "6(3)(b)"
    article: int
    title: str


def provision_options() -> list[ProvisionOption]:
    """Every provision the learner can pick, in treaty order."""
    return [{"id": p.id, "article": p.article, "title": p.title} for p in protocol.PROVISIONS.values()]
