from __future__ import annotations

from pathlib import Path

import pytest

CONSULTATION_FILE = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "plans"
    / "consultation"
    / "essex-police-and-crime-plan-2016-2020.yaml"
)
SURVEY = "essex-police-and-crime-plan-2016-survey"


@pytest.fixture
def consultation_file() -> Path:
    return CONSULTATION_FILE


@pytest.fixture
def survey(example_plans):
    """The example plan's consultation imported, as `crimeplan survey import` does."""
    from crimeplan.consultation.models import Survey
    from crimeplan.consultation.surveyfile import import_file
    from crimeplan.core.audit import acting_as

    with acting_as(label="test:fixture"):
        import_file(CONSULTATION_FILE)
    return Survey.objects.get(slug=SURVEY)


@pytest.fixture
def answer_form():
    """POST data: ``answer_form(right_priorities="Yes", age=["18 to 34"])``."""

    def make(**answers) -> dict[str, list[str]]:
        return {
            f"q-{key.replace('_', '-')}": value if isinstance(value, list) else [value]
            for key, value in answers.items()
        }

    return make
