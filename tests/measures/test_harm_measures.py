"""Harm-weighted measures: each crime weighs its index's weight; anti-social behaviour none."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from factories import STREET_HEADER

from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore
from crimeplan.measures.definition import from_plan_data
from crimeplan.measures.series import compute_many


def _write_month(path: Path, rows: list[tuple[str, str, int]]) -> Path:
    """A police.uk street file for 2024-01: (LSOA name, crime type, how many)."""
    lines = [STREET_HEADER]
    for lsoa, crime_type, count in rows:
        for n in range(count):
            crime_id = "" if crime_type == "Anti-social behaviour" else f"{lsoa}-{crime_type}-{n}"
            force = "Essex Police"
            place = ["0.47", "51.73", "On or near Test Street", "E0199999" + lsoa[-1], lsoa]
            lines.append([crime_id, "2024-01", force, force, *place, crime_type, "", ""])
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(lines)
    return path


def test_harm_measures_weight_each_crime_and_leave_out_asb(tmp_path):
    path = _write_month(
        tmp_path / "csv" / "2024-01-essex-street.csv",
        [
            ("Chelmsford 001A", "Burglary", 10),
            ("Chelmsford 001A", "Shoplifting", 35),
            ("Chelmsford 001A", "Anti-social behaviour", 50),
            ("Basildon 002B", "Robbery", 2),
        ],
    )
    store = CrimeStore(tmp_path / "store")
    assert not ingest_policeuk(store, [path]).problems
    measures = [
        from_plan_data(
            {
                "id": index,
                "title": index,
                "source": "policeuk",
                "polarity": "lower",
                "crime_types": ["Burglary", "Shoplifting", "Anti-social behaviour", "Robbery"],
                "harm": index,
                "geography": "each_district",
            }
        )
        for index in ("cchi", "ons_css")
    ]
    series = compute_many(store.connect(), "essex", measures)
    cchi, ons = series["cchi"], series["ons_css"]
    # CCHI: 10 × 245.91 + 35 × 1 = 2494.1 days in Chelmsford; the 50 ASB incidents weigh nothing.
    assert cchi["E07000070"][0].value == pytest.approx(2494.1, abs=1e-9)
    assert cchi["E07000066"][0].value == 730  # 2 robberies × 365 days
    assert cchi["force"][0].value == pytest.approx(2494.1 + 730, abs=1e-9)
    assert ons["E07000070"][0].value == pytest.approx(10 * 355.76 + 35 * 11.86, abs=1e-9)
