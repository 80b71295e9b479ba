"""Consultation files: the example validates and imports; bad files name file, line and field,
and store nothing; importing again changes nothing and never reopens a closed survey."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from factories import example_plan

from crimeplan.cli import cli
from crimeplan.consultation.models import Question, Survey
from crimeplan.consultation.surveyfile import SurveyFileError, import_loaded, validate_text
from crimeplan.core.audit import acting_as

GOOD = """\
plan: essex-police-and-crime-plan-2016-2020
surveys:
- slug: test-survey
  title: Test survey
  stage: Public survey launches
  phase: open
  privacy_notice: No personal data.
  questions:
  - key: colour
    kind: single_choice
    text: Which colour?
    choices: [Red, Blue]
"""


def _demographic_questions() -> list[dict]:
    """The example survey's questions about the respondent, as PyYAML reads the file."""
    surveys = example_plan("consultation/essex-police-and-crime-plan-2016-2020")["surveys"]
    survey = next(s for s in surveys if s["slug"] == "essex-police-and-crime-plan-2016-survey")
    return [q for q in survey["questions"] if q.get("demographic")]


def test_example_consultation_asks_the_three_seed_questions(survey):
    texts = list(survey.questions.values_list("text", flat=True))
    assert texts[:3] == [
        "Do we have the right policing priority areas?",
        "Are any policing priority areas missing?",
        "How can the Commissioner, the police and partners work with local communities to keep "
        "them safer?",
    ]
    assert survey.phase == "open"
    assert survey.engagement_stage.stage == "Public survey launches"
    assert survey.engagement_stage.timing == "Early September"
    kinds = set(survey.questions.values_list("kind", flat=True))
    assert kinds == {"single_choice", "multiple_choice", "free_text", "rating"}
    demographic = survey.questions.filter(demographic=True)
    assert demographic.count() == len(_demographic_questions()) > 0
    assert all(q.options[-1] == "Prefer not to say" for q in demographic)
    assert not demographic.filter(required=True).exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("    kind: single_choice\n", "    kind: dropdown\n"),
            "t.yaml:10: surveys[0].questions[0].kind: 'dropdown' is not one of",
        ),
        (
            ("    choices: [Red, Blue]\n", "    choices: [Red]\n"),
            "t.yaml:10: surveys[0].questions[0].kind: single_choice needs two or more choices",
        ),
        (
            ("  privacy_notice: No personal data.\n", ""),
            "t.yaml:3: surveys[0]: 'privacy_notice' is required",
        ),
        (
            ("  phase: open\n", "  phase: maybe\n"),
            "t.yaml:6: surveys[0].phase: 'maybe' is not one of",
        ),
    ],
)
def test_bad_file_names_file_line_and_field(change, expected):
    text = GOOD.replace(*change)
    assert text != GOOD
    with pytest.raises(SurveyFileError) as caught:
        validate_text(text, "t.yaml")
    assert str(caught.value).startswith(expected), str(caught.value)


def test_unknown_stage_is_refused_and_nothing_is_stored(example_plans):
    text = GOOD.replace("stage: Public survey launches", "stage: Sometime")
    with pytest.raises(SurveyFileError) as caught, acting_as(label="test"):
        import_loaded(validate_text(text, "t.yaml"), "t.yaml")
    assert str(caught.value).startswith(
        "t.yaml:5: surveys[0].stage: 'Sometime' is not one of the plan's engagement stages"
    )
    assert not Survey.objects.exists() and not Question.objects.exists()


def test_import_again_changes_nothing_and_keeps_the_phase(example_plans):
    with acting_as(label="test"):
        first = import_loaded(validate_text(GOOD, "t.yaml"), "t.yaml")
        Survey.objects.filter(slug="test-survey").update(phase="closed")
        again = import_loaded(validate_text(GOOD, "t.yaml"), "t.yaml")
    assert first.created == ["test-survey"] and again.unchanged == ["test-survey"]
    assert Survey.objects.get(slug="test-survey").phase == "closed"


def test_cli_validate_reports_line_and_exits_1(tmp_path, consultation_file):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("    text: Which colour?\n", ""))
    result = CliRunner().invoke(cli, ["survey", "validate", str(consultation_file), str(bad)])
    assert result.exit_code == 1
    assert "bad.yaml:9: surveys[0].questions[0]: 'text' is required" in result.output
    assert f"{consultation_file}: ok" in result.output
