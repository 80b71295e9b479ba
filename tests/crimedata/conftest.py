"""Fixtures for the crimedata tests: an empty store per test, one store loaded from the real
files per session, and a writer of small police.uk files in the published layout."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from crimeplan.crimedata.geography import load_geography
from crimeplan.crimedata.policeuk_ingest import STREET_COLUMNS, ingest_policeuk
from crimeplan.crimedata.store import CrimeStore

PUBLISHED_STREET_HEADER = [
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
assert len(PUBLISHED_STREET_HEADER) == len(STREET_COLUMNS)


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
        writer.writerow(header or PUBLISHED_STREET_HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def store(tmp_path: Path) -> CrimeStore:
    return CrimeStore(tmp_path / "store")


@pytest.fixture(scope="session")
def real_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """Every police.uk file in the shared data, then the geography, loaded once per session."""
    store = CrimeStore(tmp_path_factory.mktemp("real") / "store")
    report = ingest_policeuk(store, [shared_data / "policeuk"])
    geography = load_geography(store, shared_data / "geo")
    return store, report, geography


@pytest.fixture(name="street_row")
def street_row_fixture():
    return street_row


@pytest.fixture(name="write_street_csv")
def write_street_csv_fixture():
    return write_street_csv
