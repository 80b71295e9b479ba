"""Test data builders every test folder shares: police.uk street files in the published
layout, the example plan files as plain YAML, and how many examples a property test draws.

Imported as ``factories`` (``tests/`` is on pytest's ``pythonpath``).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import yaml

from crimeplan.crimedata.policeuk_ingest import STREET_COLUMNS

STREET_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
assert len(STREET_HEADER) == len(STREET_COLUMNS)

EXAMPLE_PLANS = Path(__file__).resolve().parent.parent / "examples" / "plans"


def street_row(**overrides: str) -> list[str]:
    """A plausible Essex street row; keyword arguments replace fields by snake_case name."""
    row = {
        "crime_id": "abc123",
        "month": "2024-01",
        "reported_by": "Essex Police",
        "falls_within": "Essex Police",
        "longitude": "0.432091",
        "latitude": "51.640106",
        "location": "On or near Oakwood Drive",
        "lsoa_code": "E01021237",
        "lsoa_name": "Basildon 001A",
        "crime_type": "Burglary",
        "last_outcome_category": "Under investigation",
        "context": "",
    }
    row.update(overrides)
    return [row[c] for c in STREET_COLUMNS]


def write_street_csv(path: Path, rows: list[list[str]], header: list[str] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header or STREET_HEADER)
        writer.writerows(rows)
    return path


def examples(full: int) -> int:
    """A property test's number of examples: all of them in CI (``CI=true``, as ``.ci/run``
    runs), a tenth (at least 10) otherwise, so a developer's run stays quick."""
    return full if os.environ.get("CI", "").lower() == "true" else max(10, full // 10)


def example_plan(name: str) -> dict[str, Any]:
    """An example file read with PyYAML alone, never crimeplan's loader: ``example_plan(slug)``
    for a plan, ``example_plan("consultation/" + slug)`` for its survey file.

    Tests count what a page or an import should show (priorities, commitments, measures,
    strands) from here, so an edit to the example changes what they expect instead of breaking
    them, and the expectation never comes from the code under test.
    """
    return yaml.safe_load((EXAMPLE_PLANS / f"{name}.yaml").read_text(encoding="utf-8"))


def commitment_codes(plan: dict[str, Any]) -> list[str]:
    """The plan file's commitment codes ("1a", "1b", ... "7g") in the file's order."""
    return [
        f"{priority['number']}{commitment['letter']}"
        for priority in plan.get("priorities", [])
        for commitment in priority.get("commitments", [])
    ]
