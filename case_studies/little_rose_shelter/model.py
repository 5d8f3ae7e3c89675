"""Little Rose Shelter (Box 17): a plan of services, checked against article 6(3), 6(4) and Guideline 8.

A profile (age, needs, whether she wishes to return home) decides which obligations
apply; a plan (a set of the shelter's services) meets an obligation when it includes
one of the services serving it (or all of them, for the rows marked ``all_of``).
``coverage`` gives the table as a pandas DataFrame; the widget
(``static/little_rose_shelter.js``) evaluates the same rows from the same data.
"""

from __future__ import annotations

import math
from typing import Any

from case_studies import common

NAME = "little_rose_shelter"
RETURN_CHOICES = ("yes", "no", "undecided")
CHILD_UNDER = 18  # CRC's definition of a child; the module's Box 10 speaks of "children"


def data() -> dict[str, Any]:
    return common.load(NAME)


def default_profile() -> dict[str, Any]:
    return dict(data()["profile_defaults"])


def services() -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in data()["services"]}


def validate_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """The profile with numbers checked, or an InputError saying what to fix."""
    doc = data()
    specs = {a["id"]: a for a in doc["assumptions"]}
    clean = {k: common.bounded(specs[k], profile.get(k)) for k in ("age", "girls", "extra_months")}
    for k in ("girls", "extra_months"):  # counts: the browser's check gives the same message
        common.whole(k, clean[k], specs[k]["label"], minimum=specs[k].get("min"), maximum=specs[k].get("max"))
    if profile.get("return_home") not in RETURN_CHOICES:
        raise common.InputError(
            "return_home",
            f"Does she wish to return to her family: {profile.get('return_home')!r} is not one of the answers; "
            f"choose one of {', '.join(RETURN_CHOICES)}.",
        )
    common.choose("needs", "Her needs", list(profile.get("needs", [])), [n["id"] for n in doc["needs"]], "need")
    return {**clean, "needs": list(profile.get("needs", [])), "return_home": profile["return_home"]}


CONDITIONS = ("always", "child", "returns_home", "not_returning")


def _applies(rule: str | list[str], p: dict[str, Any]) -> bool:
    """Whether an obligation's ``applies`` holds for the profile: one condition, or a list that must all hold."""
    holds = {
        "always": True,
        "child": p["age"] < CHILD_UNDER,
        "returns_home": p["return_home"] in ("yes", "undecided"),
        "not_returning": p["return_home"] in ("no", "undecided"),
    }
    return all(holds[c] for c in ([rule] if isinstance(rule, str) else rule))


def rows(profile: dict[str, Any], plan: list[str]) -> list[dict[str, Any]]:
    """Each obligation that applies to the profile, with the planned services meeting it and what is missing."""
    p = validate_profile(profile)
    common.choose("plan", "Her plan", list(plan), list(services()), "service")
    doc = data()
    wanted = [{**o, "all_of": o.get("all_of", False)} for o in doc["obligations"] if _applies(o["applies"], p)]
    wanted += [
        {"id": f"need:{n['id']}", "label": f"Her need: {n['label']}", "source": "Article 6(4)", "met_by": n["met_by"], "all_of": False}
        for n in doc["needs"]
        if n["id"] in p["needs"]
    ]
    out = []
    for o in wanted:
        serving = [s for s in o["met_by"] if s in plan]
        absent = [s for s in o["met_by"] if s not in plan]
        met = (not absent) if o["all_of"] else bool(serving)
        out.append({
            "id": o["id"],
            "obligation": o["label"],
            "source": o["source"],
            "met": met,
            "met_by": serving,
            "missing": absent if (o["all_of"] or not met) else [],
        })
    return out


def coverage(profile: dict[str, Any], plan: list[str]):
    """The coverage table as a pandas DataFrame: one row per obligation, met or missing."""
    import pandas as pd

    names = {k: v["label"] for k, v in services().items()}
    table = pd.DataFrame(
        [
            {
                "Obligation": r["obligation"],
                "Source": r["source"],
                "Status": "met" if r["met"] else "missing",
                "Planned services meeting it": "; ".join(names[s] for s in r["met_by"]) or "none",
                "Could add": "; ".join(names[s] for s in r["missing"]),
            }
            for r in rows(profile, plan)
        ]
    )
    return table


def programme(profile: dict[str, Any], plan: list[str]) -> dict[str, Any]:
    """The programme's figures (Box 17): groups of 15, four months, longer if needed, the grant."""
    p = validate_profile(profile)
    size = common.fact(NAME, "group_size")
    months = common.fact(NAME, "rehabilitation_months")
    groups = math.ceil(p["girls"] / size)
    return {
        "groups": groups,
        "girls_in_last_group": int(p["girls"] - size * (groups - 1)) if groups else 0,
        "months": months + int(p["extra_months"]),
        "grant_eligible": "residency" in plan,  # the grant follows the four-month residency
    }
