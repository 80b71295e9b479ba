"""The plan file's measures section: cross-checks, and that every example measure is sound."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from crimeplan.measures.definition import ALL_CRIME, ASB, expand_crime_types
from crimeplan.planfile import validate_text

PCP = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "plans"
    / ("essex-police-and-crime-plan-2016-2020.yaml")
)


def _with_measures(measures: list[dict]) -> str:
    data = yaml.safe_load(PCP.read_text(encoding="utf-8"))
    data["measures"] = measures
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)


def test_example_measures_cover_every_priority():
    data = yaml.safe_load(PCP.read_text(encoding="utf-8"))
    priority_of = {
        f"{p['number']}{c['letter']}": p["number"]
        for p in data["priorities"]
        for c in p["commitments"]
    }
    evidenced = {priority_of[c] for m in data["measures"] for c in m.get("evidences", [])}
    assert evidenced == {p["number"] for p in data["priorities"]} and len(evidenced) > 1
    ids = {m["id"] for m in data["measures"]}
    assert {
        "all-crime",
        "asb-incidents",
        "violence-and-sexual-offences",
        "possession-of-weapons",
        "drugs",
        "harm-cchi",
        "road-ksi",
        "special-constables",
        "public-confidence",
        "emergency-response",
        "victims-updated",
    } <= ids
    assert next(m for m in data["measures"] if m["id"] == "harm-cchi")["harm"] == "cchi"


def test_all_crime_is_every_type_but_asb():
    types = expand_crime_types(ALL_CRIME)
    assert len(types) == 13 and ASB not in types


def test_measure_rules_are_checked_with_lines():
    text = _with_measures(
        [
            {"id": "a", "title": "A", "source": "policeuk", "polarity": "lower"},
            {"id": "b", "title": "B", "source": "manual", "polarity": "higher", "harm": "cchi"},
            {
                "id": "c",
                "title": "C",
                "source": "policeuk",
                "polarity": "lower",
                "crime_types": ["Drugs"],
                "unit": "percentage",
                "evidences": ["9z"],
            },
            {
                "id": "d",
                "title": "D",
                "source": "stats19_ksi",
                "polarity": "neutral",
                "target": {"value": 3},
                "geography": "E07000999",
            },
            {
                "id": "a",
                "title": "A again",
                "source": "manual",
                "polarity": "higher",
                "manual_source": "HR",
            },
        ]
    )
    _, problems = validate_text(text)
    lines = text.splitlines()
    found = {(p.path, p.message) for p in problems}
    assert (("measures", 0), "'crime_types' is required for a police.uk measure") in found
    assert (
        ("measures", 1),
        "'manual_source' is required for a manual measure (who supplies it)",
    ) in found
    assert (("measures", 1, "harm"), "a manual measure cannot be harm-weighted") in found
    assert (("measures", 2, "unit"), "only manual measures can be percentages") in found
    assert (("measures", 2, "evidences", 0), "unknown commitment '9z'") in found
    assert (
        ("measures", 3, "target"),
        "a neutral measure has no direction, so it cannot have a target",
    ) in found
    assert (("measures", 3, "geography"), "unknown district 'E07000999'") in found
    assert (("measures", 4, "id"), "measure 'a' is used twice (first at measures[0])") in found
    # Nine: a harm-weighted manual measure breaks two rules, both said.
    assert len(problems) == len(found) == 9
    # The loader's rule: a value is placed at its key's line, a list item at its '- ' line (so a
    # whole measure at its '- id:' line). Locate each path in the text by that rule.
    start = lines.index("measures:") + 1
    items = [n for n in range(start + 1, len(lines) + 1) if lines[n - 1].startswith("- id: ")]
    assert len(items) == 5

    def line_of(path: tuple) -> int:
        n = items[path[1]]
        for part in path[2:]:
            if isinstance(part, str):
                n = next(
                    i for i in range(n, len(lines)) if re.match(rf"\s*(- )?{part}:", lines[i - 1])
                )
            else:
                n = [i for i in range(n + 1, len(lines)) if re.match(r"\s*- ", lines[i - 1])][part]
        return n

    for problem in problems:
        assert problem.path[0] == "measures"
        assert problem.line == line_of(problem.path), (problem, lines[problem.line - 1])
    assert lines[line_of(("measures", 4)) - 1] == "- id: a"
    assert lines[line_of(("measures", 2, "evidences", 0)) - 1].strip() == "- 9z"


def test_schema_refuses_unknown_crime_type_and_bad_month():
    text = _with_measures(
        [
            {
                "id": "x",
                "title": "X",
                "source": "policeuk",
                "polarity": "lower",
                "crime_types": ["Burglary", "Jaywalking"],
                "baseline": {"start": "2023-1", "end": "2023-12"},
            },
        ]
    )
    _, problems = validate_text(text)
    messages = [p.format("f") for p in problems]
    assert any("measures[0].crime_types" in m for m in messages)
    assert any("measures[0].baseline.start" in m for m in messages)


def _problem_lines(text: str) -> dict[tuple, tuple[int, str]]:
    _, problems = validate_text(text)
    return {p.path: (p.line, p.message) for p in problems}


def _line_starting(text: str, prefix: str, after: str) -> int:
    """The 1-based number of the first line starting with ``prefix`` after the line ``after``."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == after)
    return next(n for n in range(start, len(lines)) if lines[n].lstrip().startswith(prefix)) + 1


REBASE = {"reason": "New recording standard", "decided_on": "2024-09-01", "approved_by": "Board"}


def test_duplicate_rebase_periods_are_refused_at_the_rebases_line():
    measure = {
        "id": "burglary-rebased",
        "title": "Burglary",
        "source": "policeuk",
        "polarity": "lower",
        "crime_types": ["Burglary"],
        "rebases": [{"period": "2024-08", **REBASE}, {"period": "2024-08", **REBASE}],
    }
    text = _with_measures([measure])
    line = _line_starting(text, "rebases:", "- id: burglary-rebased")
    assert _problem_lines(text) == {
        ("measures", 0, "rebases"): (line, "two rebases start in the same period")
    }


def test_a_baseline_ending_before_it_starts_is_refused_at_its_end():
    measure = {
        "id": "backwards",
        "title": "Backwards",
        "source": "policeuk",
        "polarity": "lower",
        "crime_types": ["Drugs"],
        "baseline": {"start": "2024-06", "end": "2024-01"},
    }
    text = _with_measures([measure])
    line = _line_starting(text, "end: 2024-01", "- id: backwards")
    assert _problem_lines(text) == {
        ("measures", 0, "baseline", "end"): (line, "ends before it starts")
    }


def test_crime_types_on_a_measure_not_from_policeuk_are_refused():
    measure = {
        "id": "ksi-with-types",
        "title": "KSI",
        "source": "stats19_ksi",
        "polarity": "lower",
        "crime_types": ["Burglary"],
    }
    text = _with_measures([measure])
    line = _line_starting(text, "crime_types:", "- id: ksi-with-types")
    assert _problem_lines(text) == {
        ("measures", 0, "crime_types"): (
            line,
            "a stats19_ksi measure does not count police.uk crime types",
        )
    }


def test_the_schema_vocabulary_is_the_models(db):
    """The schema's enums and the stored choices are one list each (no second copy to drift)."""
    from crimeplan.crimedata.categories import CRIME_TYPES
    from crimeplan.measures.models import Measure
    from crimeplan.planfile import schema

    entry = schema()["properties"]["measures"]["else"]["items"]["properties"]
    for name in ("source", "unit", "harm", "polarity"):
        choices = [value for value, _label in Measure._meta.get_field(name).choices]
        assert sorted(entry[name]["enum"]) == sorted(choices), name
    assert entry["harm"]["enum"] == ["none", "cchi", "ons_css"]
    assert entry["crime_types"]["oneOf"][1]["items"]["enum"] == sorted(CRIME_TYPES)
