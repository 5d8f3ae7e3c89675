"""Validate one item file against item.schema.json, reporting the line of each fault."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema

from exercises.problems import Problem
from exercises.sections import PAGES
from exercises.sources import Source

SCHEMA_PATH = Path(__file__).with_name("item.schema.json")


@cache
def schema() -> dict:
    s = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # The pages are listed once, in sections.PAGES; the schema takes them from there.
    s["properties"]["section"]["properties"]["page"]["enum"] = list(PAGES)
    return s


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def _where(error: jsonschema.ValidationError, data=None) -> list:
    where = list(error.absolute_path)
    schema_path = list(error.absolute_schema_path)
    if error.validator is None and schema_path and schema_path[-1] == "properties" and isinstance(data, dict):
        # A `false` schema (a field another type owns) reports neither the field nor its path:
        # find the forbidden field that the item has.
        node = schema()
        for step in schema_path:
            node = node[step]
        present = [k for k, v in node.items() if v is False and k in data and data[k] == error.instance]
        where += present[:1]
    return where


def _explain(error: jsonschema.ValidationError, data=None) -> str:
    where = "/".join(str(p) for p in _where(error, data)) or "the item"
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{where}: {error.message}; allowed fields here: {', '.join(allowed)}"
    if error.validator is None:
        return f"{where}: this field does not belong to this item type; remove it"
    if error.validator == "enum":
        return f"{where}: {error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "required":
        return f"{where}: {error.message} (see exercises/bank/README.md for the fields of each type)"
    if error.validator == "type" and error.validator_value == "string" and isinstance(error.instance, int):
        return f"{where}: {error.instance!r} must be text; write it in quotes, e.g. '{error.instance}'"
    return f"{where}: {error.message}"


def _leaves(error: jsonschema.ValidationError):
    # if/then failures wrap the useful errors; report those, not the wrapper.
    if error.context:
        for e in error.context:
            yield from _leaves(e)
    else:
        yield error


def validate(source: Source) -> list[Problem]:
    if not isinstance(source.data, dict):
        return [Problem(source.path, 1, "an item file holds one mapping (id: ..., type: ..., stem: ...); "
                                        f"found {type(source.data).__name__}")]
    problems = []
    for error in _validator().iter_errors(source.data):
        for leaf in _leaves(error):
            where = _where(leaf, source.data)
            if leaf.validator == "additionalProperties":
                # Point at the unexpected key itself.
                extra = [k for k in leaf.instance if k not in leaf.schema.get("properties", {})]
                where = where + extra[:1]
            problems.append(Problem(source.path, source.line_of(where), _explain(leaf, source.data)))
    return sorted(set(problems))
