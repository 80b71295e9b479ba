"""A bad plan file is refused with every problem, each with its line number and path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from factories import commitment_codes, example_plan

from crimeplan.planfile import validate_file, validate_text

REPO = Path(__file__).resolve().parents[2]
PCP = REPO / "examples" / "plans" / "essex-police-and-crime-plan-2016-2020.yaml"


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found")


def test_example_plans_are_valid():
    for path in sorted((REPO / "examples" / "plans").glob("*.yaml")):
        data, problems = validate_file(path)
        assert problems == [], [p.format(path.name) for p in problems]
    data, _ = validate_file(PCP)
    letters = [f"{p['number']}{c['letter']}" for p in data["priorities"] for c in p["commitments"]]
    expected = example_plan(PCP.stem)
    assert len(data["priorities"]) == len(expected["priorities"]) > 1
    assert letters == commitment_codes(expected) and len(letters) > len(data["priorities"])


def test_missing_commitment_text_names_path_and_line():
    text = PCP.read_text(encoding="utf-8")
    # Priority 3 (index 2), commitment e (index 4): drop its text line.
    target = "    text: Provide safe ways for victims to report Domestic Abuse"
    lines = text.splitlines(keepends=True)
    letter_line = next(i for i, line in enumerate(lines) if line.startswith(target)) - 1
    assert lines[letter_line].strip() == "- letter: e"
    del lines[letter_line + 1]
    broken = "".join(lines)

    _, problems = validate_text(broken)
    assert [p.format("plan.yaml") for p in problems] == [
        f"plan.yaml:{letter_line + 1}: priorities[2].commitments[4]: 'text' is required"
    ]


def test_every_problem_is_listed_with_its_own_line():
    data = yaml.safe_load(PCP.read_text(encoding="utf-8"))
    data["status"] = "live"
    data["priorities"][0]["commitments"][1]["letter"] = "B!"
    data["priorities"][6]["title"] = "   "
    del data["period"]["end"]
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    _, problems = validate_text(text)
    found = {(p.line, ".".join(map(str, p.path)), p.message.split(" ")[0]) for p in problems}
    assert (_line_of(text, "status: live"), "status", "'live'") in found
    assert (_line_of(text, "letter: B!"), "priorities.0.commitments.1.letter", "'B!'") in found
    assert (_line_of(text, "title: '   '"), "priorities.6.title", "must") in found
    assert (_line_of(text, "period:"), "period", "'end'") in found
    assert len(problems) == 4


def test_cross_references_and_duplicates_are_checked():
    text = """\
schema: crimeplan/plan/1
slug: test-plan
title: Test plan
kind: other
owner: nobody
period: {start: 2020, end: 2019}
status: draft
priorities:
- number: 1
  title: One
  commitments:
  - letter: a
    text: First
    strands: [ghost]
  - letter: a
    text: Again
- number: 1
  title: One again
  commitments: []
"""
    _, problems = validate_text(text)
    messages = [p.format("t.yaml") for p in problems]
    assert messages == [
        "t.yaml:5: owner: unknown organisation (list it under organisations) 'nobody'",
        "t.yaml:6: period.end: ends before it starts",
        "t.yaml:14: priorities[0].commitments[0].strands[0]: unknown strand 'ghost'",
        "t.yaml:15: priorities[0].commitments[1].letter: commitment letter 'a' is used twice "
        "(first at commitments[0])",
        "t.yaml:17: priorities[1].number: priority number 1 is used twice (first at priorities[0])",
    ]


def test_bad_yaml_and_duplicate_keys():
    _, problems = validate_text("title: [unclosed\nslug: x\n")
    assert len(problems) == 1 and problems[0].message.startswith("not valid YAML")
    assert problems[0].line == 2

    _, problems = validate_text(PCP.read_text(encoding="utf-8") + "title: Twice\n")
    assert any(p.message == "duplicate key 'title'" for p in problems)

    _, problems = validate_text("- just\n- a list\n")
    assert problems[0].message.startswith("a plan file must be a mapping")


def test_cli_validate_exits_1_and_lists_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        PCP.read_text(encoding="utf-8").replace("kind: police_and_crime_plan", "kind: manifesto")
    )
    result = subprocess.run(
        [sys.executable, "-m", "crimeplan.cli", "plan", "validate", str(PCP), str(bad)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert f"{bad}:4: kind: 'manifesto' is not one of" in result.stderr
    assert "1 of 2 plan file(s) refused" in result.stderr


def test_text_is_parsed_once(monkeypatch):
    from crimeplan.planfile import loading as planfile_yaml

    made = []
    init = planfile_yaml.PlanLoader.__init__

    def counting(self, stream):
        made.append(stream)
        init(self, stream)

    monkeypatch.setattr(planfile_yaml.PlanLoader, "__init__", counting)
    data, problems = validate_text(PCP.read_text(encoding="utf-8"))
    assert problems == [] and len(data["measures"]) == len(example_plan(PCP.stem)["measures"]) > 0
    assert len(made) == 1
