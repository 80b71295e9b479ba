"""Test data builders every test folder shares: police.uk street files in the published
layout, and how many examples a property test draws.

Imported as ``factories`` (``tests/`` is on pytest's ``pythonpath``).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

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
