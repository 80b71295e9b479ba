"""A plan file may keep its measures in a file of their own: ``measures: {include: FILE}``.

The included measures are the same measures as written inline, problems inside them name the
measures file and its line, and a bad include is refused at the plan file's line with nothing
stored.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import example_plan

from crimeplan.measures.models import Measure
from crimeplan.planfile import export_plan, validate_file, validate_text
from crimeplan.plans.models import Plan

PCP = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "plans"
    / "essex-police-and-crime-plan-2016-2020.yaml"
)
SLUG = "essex-police-and-crime-plan-2016-2020"


def split(folder: Path, include: str = "plan.measures.yaml") -> tuple[Path, Path, int]:
    """The example plan written as a plan file and a measures file; returns both paths and the
    plan file's line of ``include:``."""
    text = PCP.read_text(encoding="utf-8")
    at = text.index("\nmeasures:\n") + 1
    folder.mkdir(parents=True, exist_ok=True)
    plan = folder / "plan.yaml"
    plan.write_text(text[:at] + f"measures:\n  include: {include}\n", encoding="utf-8")
    measures = folder / "plan.measures.yaml"
    measures.write_text(text[at:], encoding="utf-8")
    return plan, measures, text[:at].count("\n") + 2


def messages(path: Path) -> list[str]:
    _, problems = validate_file(path)
    return [p.format(str(path)) for p in problems]


def test_included_measures_equal_the_inline_ones(tmp_path):
    plan, _, _ = split(tmp_path)
    inline, problems = validate_file(PCP)
    assert problems == []
    included, problems = validate_file(plan)
    assert problems == []
    assert len(included["measures"]) == len(example_plan(SLUG)["measures"]) > 0
    assert included == inline


def test_a_problem_in_the_measures_file_names_that_file_and_line(tmp_path):
    plan, measures, _ = split(tmp_path)
    lines = measures.read_text(encoding="utf-8").splitlines()
    polarity = next(n for n, line in enumerate(lines) if line == "  polarity: lower")
    lines[polarity] = "  polarity: lowest"
    evidences = next(n for n, line in enumerate(lines) if line == "  - 1h")
    lines[evidences] = "  - 9z"
    measures.write_text("\n".join(lines) + "\n", encoding="utf-8")

    _, problems = validate_file(plan)
    assert [(p.file, p.line) for p in problems] == [(str(measures), polarity + 1)]
    assert messages(plan) == [
        f"{measures}:{polarity + 1}: measures[0].polarity: 'lowest' is not one of "
        "'lower', 'higher', 'neutral'"
    ]

    lines[polarity] = "  polarity: lower"
    measures.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, problems = validate_file(plan)  # the shape is right now, so the cross-checks run
    assert len(problems) == 1
    assert problems[0].file == str(measures)
    assert problems[0].line == evidences + 1
    assert "9z" in problems[0].message


@pytest.mark.parametrize(
    ("include", "message"),
    [
        (
            "../plan.measures.yaml",
            "'../plan.measures.yaml' must be a path inside the plan file's folder",
        ),
        ("/etc/passwd.yaml", "'/etc/passwd.yaml' must be a path inside the plan file's folder"),
        ("plan.measures.txt", "'plan.measures.txt' is not a YAML file (.yaml or .yml)"),
        ("other.yaml", "'other.yaml' not found next to the plan file"),
        ("''", "must not be blank"),
        ("'   '", "must not be blank"),
        ("5", "5 is not of type 'string'"),
    ],
)
def test_a_bad_include_is_refused_at_the_plan_files_line(tmp_path, include, message):
    plan, _, line = split(tmp_path / "plans", include)
    assert messages(plan) == [f"{plan}:{line}: measures.include: {message}"]


def test_an_include_beside_other_fields_is_refused_not_merged(tmp_path):
    plan, _, line = split(tmp_path, "plan.measures.yaml\n  title: ignored?")
    data, problems = validate_file(plan)
    assert data["measures"] == {"include": "plan.measures.yaml", "title": "ignored?"}
    assert [(p.line, p.path) for p in problems] == [(line - 1, ("measures",))]
    assert "unknown field(s)" in problems[0].message


def test_text_without_its_folder_cannot_include():
    text = PCP.read_text(encoding="utf-8")
    at = text.index("\nmeasures:\n") + 1
    line = text[:at].count("\n") + 2
    _, problems = validate_text(text[:at] + "measures:\n  include: plan.measures.yaml\n")
    assert [(p.line, p.path, p.message) for p in problems] == [
        (
            line,
            ("measures", "include"),
            "an include needs the plan file's folder: validate the file, not its text",
        )
    ]


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("- id: a\n", 1, "measures: a measures file must be a mapping with a 'measures' list"),
        ("measures: []\ntitle: x\n", 2, "(top level): unknown field(s) title"),
        ("measures:\n  - id: [unclosed\n", 3, "measures: not valid YAML: "),
        ("measures:\n  - id: a\n    id: b\n", 3, "measures[0]: duplicate key 'id'"),
        (
            "measures:\n  include: more.yaml\n",
            1,
            "measures: must be the list of measures (a measures file cannot include another)",
        ),
    ],
)
def test_a_bad_measures_file_is_refused_at_its_own_line(tmp_path, content, line, message):
    plan, measures, _ = split(tmp_path)
    measures.write_text(content, encoding="utf-8")
    (problem,) = messages(plan)
    assert problem.startswith(f"{measures}:{line}: {message}")


@pytest.mark.django_db
def test_cli_imports_the_split_plan_as_the_inline_one(tmp_path, cli):
    plan, measures, _ = split(tmp_path)
    cli("plan", "import", plan)
    split_export = export_plan(Plan.objects.get(slug=SLUG))
    n_measures = len(example_plan(SLUG)["measures"])
    assert Measure.objects.filter(plan__slug=SLUG).count() == n_measures > 0

    # Import of the inline file finds nothing to change, and export writes the measures inline.
    cli("plan", "import", PCP)
    assert export_plan(Plan.objects.get(slug=SLUG)) == split_export
    assert split_export == PCP.read_text(encoding="utf-8")

    # A bad measures file refuses the whole import and leaves the plan as it was.
    measures.write_text(
        measures.read_text(encoding="utf-8").replace("title: All crime", "title: ''", 1),
        encoding="utf-8",
    )
    refused = cli("plan", "import", plan, exit_code=1)
    assert "1 of 1 plan file(s) refused" in refused.stderr
    assert export_plan(Plan.objects.get(slug=SLUG)) == split_export
