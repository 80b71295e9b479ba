"""A small crime store with counts the measures tests know by heart."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from factories import STREET_HEADER

from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01", "2025-02"]
# Burglaries per month in Chelmsford and Basildon; the last Chelmsford month is a spike.
CHELMSFORD = [10, 12, 11, 13, 12, 11, 10, 14, 12, 11, 13, 12, 11, 40]
BASILDON = [5, 6, 5, 7, 6, 5, 6, 5, 7, 6, 5, 6, 5, 6]
ASB_CHELMSFORD = 3  # per month


def _row(month: str, crime_type: str, lsoa_name: str, n: int, located: bool = True) -> list[str]:
    return [
        f"id-{month}-{crime_type[:4]}-{lsoa_name[:4]}-{n}"
        if crime_type != "Anti-social behaviour"
        else "",
        month,
        "Essex Police",
        "Essex Police",
        "0.47" if located else "",
        "51.73" if located else "",
        "On or near Test Street" if located else "No location",
        "E0199999" + lsoa_name[-1] if located else "",
        lsoa_name if located else "",
        crime_type,
        "",
        "",
    ]


def write_months(folder: Path) -> Path:
    for i, month in enumerate(MONTHS):
        rows = []
        for n in range(CHELMSFORD[i]):
            rows.append(_row(month, "Burglary", "Chelmsford 001A", n))
        for n in range(BASILDON[i]):
            rows.append(_row(month, "Burglary", "Basildon 002B", n))
        for n in range(ASB_CHELMSFORD):
            rows.append(_row(month, "Anti-social behaviour", "Chelmsford 001A", n))
        rows.append(_row(month, "Burglary", "", 99, located=False))  # no location: not counted
        path = folder / month / f"{month}-essex-street.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(STREET_HEADER)
            writer.writerows(rows)
    return folder


@pytest.fixture
def crime_store(tmp_path: Path, settings) -> CrimeStore:
    """The store the web process and commands read, loaded with the known counts above."""
    settings.CRIMEPLAN_DATA_DIR = tmp_path / "crimedata"
    store = CrimeStore(settings.CRIMEPLAN_DATA_DIR)
    report = ingest_policeuk(store, [write_months(tmp_path / "csv")])
    assert not report.problems, report.problems
    return store


@pytest.fixture
def values_csv(tmp_path: Path):
    """Write a manual-values CSV: ``values_csv("measure,period,value,source\n...")``."""

    def write(text: str) -> Path:
        path = tmp_path / "values.csv"
        path.write_text(text, encoding="utf-8")
        return path

    return write
