"""Checking a plan file before anything touches the database.

Two passes: the published JSON Schema (shape and types), then the rules a schema cannot say
(unique numbers and letters, references that must resolve). Every problem is reported at once, so
an officer fixes the file in one go rather than one error per run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from crimeplan.crimedata.districts import forces
from crimeplan.plans.planfile_yaml import LoadedFile, PathKey, Problem, load_file, load_text

SCHEMA_PATH = Path(__file__).with_name("plan.schema.json")


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _message(error: ValidationError) -> str:
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"'{missing}' is required"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field(s)")
    if error.validator == "enum":
        allowed = ", ".join(repr(v) for v in error.validator_value)
        return f"{error.instance!r} is not one of {allowed}"
    if error.validator == "pattern" and error.schema.get("maxLength") == 80:
        return f"{error.instance!r} is not a slug (lower-case letters, digits and hyphens)"
    if error.validator == "pattern" and error.validator_value == "\\S":
        return "must not be blank"
    if error.validator == "minLength" and error.validator_value == 1:
        return "must not be blank"
    return error.message


def _leaf_errors(errors: Iterable[ValidationError]) -> Iterable[ValidationError]:
    for error in errors:
        if error.context:
            yield from _leaf_errors(error.context)
        else:
            yield error


def _schema_problems(loaded: LoadedFile) -> list[Problem]:
    validator = Draft202012Validator(schema())
    problems = []
    for error in _leaf_errors(validator.iter_errors(loaded.data)):
        path: PathKey = tuple(error.absolute_path)
        problems.append(loaded.problem(path, _message(error)))
    return problems


def duplicates(
    loaded: LoadedFile, items: list[dict], key: str, base: PathKey, what: str
) -> list[Problem]:
    """A problem at each item whose ``key`` repeats an earlier item's, pointing back to it."""
    problems, seen = [], {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or key not in item:
            continue
        value = item[key]
        if value in seen:
            path = (*base, index, key)
            message = f"{what} {value!r} is used twice (first at {base[-1]}[{seen[value]}])"
            problems.append(loaded.problem(path, message))
        else:
            seen[value] = index
    return problems


def _rule_problems(loaded: LoadedFile) -> list[Problem]:
    data = loaded.data
    problems: list[Problem] = []
    get = lambda name: [x for x in data.get(name) or [] if isinstance(x, dict)]  # noqa: E731

    def ref(path: PathKey, value: Any, known: set, what: str) -> None:
        if value not in known:
            problems.append(loaded.problem(path, f"unknown {what} {value!r}"))

    if isinstance(data.get("force"), str):
        ref(("force",), data["force"], set(forces()), "police.uk force")
    organisations = {o.get("slug") for o in get("organisations")}
    strands = {s.get("slug") for s in get("strands")}
    assets = {a.get("number") for a in get("assets")}
    boards = {b.get("slug") for b in get("boards")}

    problems += duplicates(loaded, get("organisations"), "slug", ("organisations",), "organisation")
    problems += duplicates(loaded, get("sections"), "key", ("sections",), "section key")
    problems += duplicates(loaded, get("priorities"), "number", ("priorities",), "priority number")
    problems += duplicates(loaded, get("strands"), "slug", ("strands",), "strand")
    problems += duplicates(loaded, get("assets"), "number", ("assets",), "asset number")
    problems += duplicates(loaded, get("boards"), "slug", ("boards",), "board")

    if "owner" in data:
        ref(("owner",), data["owner"], organisations, "organisation (list it under organisations)")
    period = data.get("period")
    if isinstance(period, dict) and isinstance(period.get("start"), int):
        if isinstance(period.get("end"), int) and period["end"] < period["start"]:
            problems.append(loaded.problem(("period", "end"), "ends before it starts"))
    for p_index, priority in enumerate(data.get("priorities") or []):
        if not isinstance(priority, dict):
            continue
        base: PathKey = ("priorities", p_index, "commitments")
        commitments = [c for c in priority.get("commitments") or [] if isinstance(c, dict)]
        problems += duplicates(loaded, commitments, "letter", base, "commitment letter")
        for c_index, commitment in enumerate(priority.get("commitments") or []):
            if not isinstance(commitment, dict):
                continue
            for s_index, slug in enumerate(commitment.get("strands") or []):
                ref((*base, c_index, "strands", s_index), slug, strands, "strand")
    expected = data.get("strands_expected")
    if isinstance(expected, int) and len(strands) > expected:
        message = f"{len(strands)} strands are named but only {expected} are expected"
        problems.append(loaded.problem(("strands_expected",), message))
    for s_index, strand in enumerate(data.get("strands") or []):
        if isinstance(strand, dict):
            for a_index, role in enumerate(strand.get("assets") or []):
                if isinstance(role, dict) and "asset" in role:
                    path = ("strands", s_index, "assets", a_index, "asset")
                    ref(path, role["asset"], assets, "asset")
    for a_index, asset in enumerate(data.get("assets") or []):
        if isinstance(asset, dict) and "lead" in asset:
            ref(("assets", a_index, "lead"), asset["lead"], organisations, "organisation")
    for b_index, board in enumerate(data.get("boards") or []):
        if not isinstance(board, dict):
            continue
        if "organisation" in board:
            ref(
                ("boards", b_index, "organisation"),
                board["organisation"],
                organisations,
                "organisation",
            )
        for n_index, number in enumerate(board.get("assets") or []):
            ref(("boards", b_index, "assets", n_index), number, assets, "asset")
        if "reports_to" in board:
            ref(("boards", b_index, "reports_to"), board["reports_to"], boards, "board")
    return problems


def validate_loaded(loaded: LoadedFile) -> list[Problem]:
    if loaded.problems and loaded.data is None:
        return loaded.problems
    if not isinstance(loaded.data, dict):
        return [Problem(1, (), "a plan file must be a mapping of fields (e.g. 'title: ...')")]
    problems = list(loaded.problems) + _schema_problems(loaded)
    # The cross-reference rules assume the shape is right; run them only on a well-formed file.
    if not problems:
        from crimeplan.measures.planfile import measure_problems

        problems = _rule_problems(loaded) + measure_problems(loaded)
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.path.__repr__()))


def validate_text(text: str) -> tuple[Any, list[Problem]]:
    loaded = load_text(text)
    return loaded.data, validate_loaded(loaded)


def validate_file(path: Path) -> tuple[Any, list[Problem]]:
    loaded = load_file(path)
    return loaded.data, validate_loaded(loaded)
