"""Consultation files: a plan's surveys in a YAML file of their own beside the plan file.

``examples/plans/<plan>.consultation.yaml`` holds the surveys a plan consults on. Like plan files
they are written by hand, so every problem names the file, the line and the field, and nothing
is stored unless the whole file is right. The survey opens in the engagement stage the plan file
declares (``stage:`` must name one of the plan's stages).

Importing again updates in place (surveys by slug, questions by key) and changes nothing when
the file is unchanged. A survey's phase is taken from the file only when the survey is created:
afterwards the phase is moved on by ``crimeplan survey phase``, and a second import must
not reopen a closed survey.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from jsonschema import Draft202012Validator

from crimeplan.planfile.loading import load_file, load_text
from crimeplan.planfile.problems import LoadedFile, PathKey, Problem, duplicates
from crimeplan.planfile.validation import _leaf_errors, _message

SCHEMA_PATH = Path(__file__).with_name("survey.schema.json")
CHOICE_KINDS = ("single_choice", "multiple_choice")


class SurveyFileError(Exception):
    def __init__(self, filename: str, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.format(filename) for p in problems))


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _rule_problems(loaded: LoadedFile) -> list[Problem]:
    problems: list[Problem] = []
    surveys = loaded.data["surveys"]
    problems += duplicates(loaded, surveys, "slug", ("surveys",), "survey")
    for s_index, survey in enumerate(surveys):
        base: PathKey = ("surveys", s_index, "questions")
        problems += duplicates(loaded, survey["questions"], "key", base, "question key")
        for q_index, question in enumerate(survey["questions"]):
            path = (*base, q_index)
            kind = question["kind"]
            if kind in CHOICE_KINDS and len(question.get("choices") or []) < 2:
                problems.append(
                    loaded.problem((*path, "kind"), f"{kind} needs two or more choices")
                )
            if kind not in CHOICE_KINDS and "choices" in question:
                problems.append(loaded.problem((*path, "choices"), f"{kind} takes no choices"))
            if kind == "rating" and "scale" not in question:
                problems.append(loaded.problem((*path, "kind"), "rating needs a scale (min, max)"))
            scale = question.get("scale")
            if scale and scale["max"] <= scale["min"]:
                problems.append(loaded.problem((*path, "scale", "max"), "must be above min"))
            if scale and kind != "rating":
                problems.append(loaded.problem((*path, "scale"), f"{kind} takes no scale"))
            if question.get("demographic") and question.get("required"):
                problems.append(
                    loaded.problem((*path, "required"), "a demographic question is never required")
                )
    return problems


def validate_loaded(loaded: LoadedFile) -> list[Problem]:
    if loaded.problems and loaded.data is None:
        return loaded.problems
    if not isinstance(loaded.data, dict):
        return [Problem(1, (), "a consultation file must be a mapping (plan: ..., surveys: ...)")]
    validator = Draft202012Validator(schema())
    problems = list(loaded.problems) + [
        loaded.problem(tuple(error.absolute_path), _message(error))
        for error in _leaf_errors(validator.iter_errors(loaded.data))
    ]
    if not problems:
        problems = _rule_problems(loaded)
    return sorted(problems, key=lambda p: (p.line or 0, repr(p.path)))


def validate_file(path: Path) -> LoadedFile:
    """The file read and checked: raises :class:`SurveyFileError` listing every problem."""
    loaded = load_file(Path(path), includable=())
    problems = validate_loaded(loaded)
    if problems:
        raise SurveyFileError(Path(path).name, problems)
    return loaded


def validate_text(text: str, filename: str = "consultation.yaml") -> LoadedFile:
    loaded = load_text(text, includable=())
    problems = validate_loaded(loaded)
    if problems:
        raise SurveyFileError(filename, problems)
    return loaded


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _question_fields(order: int, question: dict[str, Any]) -> dict[str, Any]:
    scale = question.get("scale") or {}
    return {
        "order": order,
        "kind": question["kind"],
        "text": question["text"],
        "hint": question.get("hint", ""),
        "required": bool(question.get("required", False)),
        "demographic": bool(question.get("demographic", False)),
        "choices": list(question.get("choices") or []),
        "scale_min": scale.get("min"),
        "scale_max": scale.get("max"),
        "scale_min_label": scale.get("min_label", ""),
        "scale_max_label": scale.get("max_label", ""),
        "max_length": question.get("max_length", 2000),
    }


def _apply(instance: Any, values: dict[str, Any]) -> bool:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save(update_fields=changed)
    return bool(changed)


def import_loaded(loaded: LoadedFile, filename: str) -> ImportResult:
    """Store the file's surveys in one transaction; problems that need the database (an unknown
    plan or stage, a question with answers that the file drops) are reported like file problems
    and leave everything as it was."""
    from crimeplan.consultation.models import Question, Survey
    from crimeplan.plans.models import Plan

    data = loaded.data
    plan = Plan.objects.filter(slug=data["plan"]).first()
    if plan is None:
        problem = loaded.problem(("plan",), f"no plan {data['plan']!r} (import the plan first)")
        raise SurveyFileError(filename, [problem])
    stages = {s.stage: s for s in plan.engagement.all()}
    problems = []
    for index, survey in enumerate(data["surveys"]):
        if survey["stage"] not in stages:
            known = ", ".join(repr(s) for s in stages) or "none"
            message = f"{survey['stage']!r} is not one of the plan's engagement stages ({known})"
            problems.append(loaded.problem(("surveys", index, "stage"), message))
    result = ImportResult()
    with transaction.atomic():
        for index, item in enumerate(data["surveys"]):
            values = {
                "plan": plan,
                "title": item["title"],
                "introduction": item.get("introduction", ""),
                "privacy_notice": item["privacy_notice"],
                "engagement_stage": stages.get(item["stage"]),
            }
            survey = Survey.objects.filter(slug=item["slug"]).first()
            created = survey is None
            if created:
                survey = Survey.objects.create(
                    slug=item["slug"], phase=item.get("phase", "draft"), **values
                )
            changed = _apply(survey, values) if not created else False
            keys = [q["key"] for q in item["questions"]]
            dropped = survey.questions.exclude(key__in=keys)
            for question in dropped:
                if question.answers.exists():
                    message = f"question {question.key!r} has answers and cannot be removed"
                    problems.append(loaded.problem(("surveys", index, "questions"), message))
            if problems:
                continue
            changed |= bool(dropped.delete()[0])
            # Orders are moved out of the way first, so a reordering never collides.
            existing = {q.key: q for q in survey.questions.all()}
            wanted = {q["key"]: _question_fields(n + 1, q) for n, q in enumerate(item["questions"])}
            if any(existing[k].order != wanted[k]["order"] for k in existing):
                for n, question in enumerate(existing.values()):
                    question.order = 1000 + n
                    question.save(update_fields=["order"])
                changed = True
            for key, fields in wanted.items():
                if key in existing:
                    changed |= _apply(existing[key], fields)
                else:
                    Question.objects.create(survey=survey, key=key, **fields)
                    changed = True
            bucket = result.created if created else result.updated if changed else result.unchanged
            bucket.append(survey.slug)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise SurveyFileError(filename, problems)
    return result


def import_file(path: Path) -> ImportResult:
    return import_loaded(validate_file(path), Path(path).name)
