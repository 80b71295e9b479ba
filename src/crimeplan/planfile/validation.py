"""Checking a plan file before anything touches the database.

Two passes: the published JSON Schema (shape and types), then each section's rules, which say
what a schema cannot (unique numbers and letters, references that must resolve). Every problem
is reported at once, so an officer fixes the file in one go rather than one error per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from crimeplan.planfile.loading import load_file, load_text
from crimeplan.planfile.problems import LoadedFile, PathKey, Problem
from crimeplan.planfile.sections import schema, sections


def _message(error: ValidationError) -> str:
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"'{missing}' is required"
    if error.validator == "additionalProperties":
        return str(error.message).replace(
            "Additional properties are not allowed", "unknown field(s)"
        )
    if error.validator == "enum":
        allowed = ", ".join(repr(v) for v in error.validator_value)
        return f"{error.instance!r} is not one of {allowed}"
    if error.validator == "pattern" and error.schema.get("maxLength") == 80:
        return f"{error.instance!r} is not a slug (lower-case letters, digits and hyphens)"
    if error.validator == "pattern" and error.validator_value == "\\S":
        return "must not be blank"
    if error.validator == "minLength" and error.validator_value == 1:
        return "must not be blank"
    return str(error.message)


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


def validate_loaded(loaded: LoadedFile) -> list[Problem]:
    if loaded.problems and loaded.data is None:
        return loaded.problems
    if not isinstance(loaded.data, dict):
        return [Problem(1, (), "a plan file must be a mapping of fields (e.g. 'title: ...')")]
    problems = list(loaded.problems) + _schema_problems(loaded)
    # The cross-reference rules assume the shape is right; run them only on a well-formed file.
    if not problems:
        for section in sections():
            problems += section.problems(loaded)
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.path.__repr__()))


def validate_text(text: str) -> tuple[Any, list[Problem]]:
    loaded = load_text(text)
    return loaded.data, validate_loaded(loaded)


def validate_file(path: Path) -> tuple[Any, list[Problem]]:
    loaded = load_file(path)
    return loaded.data, validate_loaded(loaded)
