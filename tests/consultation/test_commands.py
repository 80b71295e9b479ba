"""``crimeplan survey``: import, phase and export as thin shells over the library."""

from __future__ import annotations

import csv

from click.testing import CliRunner

from crimeplan.cli import cli
from crimeplan.consultation.models import Survey
from crimeplan.consultation.responding import take_response

SURVEY = "essex-police-and-crime-plan-2016-survey"


def test_import_phase_and_export(example_plans, consultation_file, tmp_path, answer_form):
    runner = CliRunner()
    first = runner.invoke(cli, ["survey", "import", str(consultation_file)])
    assert first.exit_code == 0, first.output
    assert "created 1, updated 0, unchanged 0" in first.output
    again = runner.invoke(cli, ["survey", "import", str(consultation_file)])
    assert "created 0, updated 0, unchanged 1" in again.output
    survey = Survey.objects.get(slug=SURVEY)
    take_response(survey, answer_form(right_priorities="No", feel_safe="2"), "10.9.9.9")

    backwards = runner.invoke(cli, ["survey", "phase", SURVEY, "draft"])
    assert backwards.exit_code == 1
    assert "a survey that is open cannot become draft (next: closed)" in backwards.output
    assert runner.invoke(cli, ["survey", "phase", SURVEY, "closed"]).exit_code == 0
    assert Survey.objects.get(slug=SURVEY).phase == "closed"

    out = tmp_path / "responses.csv"
    done = runner.invoke(cli, ["survey", "export", SURVEY, "-o", str(out)])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["right-priorities"], r["feel-safe"]) for r in rows] == [("No", "2")]
    assert runner.invoke(cli, ["survey", "export", "nope", "-o", str(out)]).exit_code == 1
