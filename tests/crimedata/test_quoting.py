"""Paths and values with a quote in them reach DuckDB as strings, never as SQL."""

from __future__ import annotations

import duckdb
import pytest

from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.stats19 import load_stats19
from crimeplan.crimedata.store import CrimeStore, sql_string


@pytest.mark.parametrize("value", ["", "plain", "o'brien", "''", "a'b'c", "back\\slash", "x';--"])
def test_sql_string_round_trips_through_duckdb(value):
    con = duckdb.connect()
    assert con.execute(f"SELECT {sql_string(value)}").fetchone() == (value,)


def test_policeuk_loads_from_and_into_folders_named_with_an_apostrophe(
    tmp_path, street_row, write_street_csv
):
    folder = tmp_path / "o'brien's data"
    path = folder / "in" / "2024-01" / "2024-01-essex-street.csv"
    write_street_csv(
        path,
        [
            street_row(crime_id="a"),
            street_row(crime_id="b", crime_type="Jaywalking"),  # line 3, rejected
            street_row(crime_id="c", lsoa_name="O'Brien 001A", lsoa_code="E01999999"),
        ],
    )
    store = CrimeStore(folder / "store")
    report = ingest_policeuk(store, [folder / "in"])
    assert [f.status for f in report.files] == ["loaded"]
    assert (report.files[0].rows_loaded, report.files[0].rows_rejected) == (2, 1)
    con = store.connect()
    assert con.execute("SELECT crime_id FROM street ORDER BY 1").fetchall() == [("a",), ("c",)]
    assert con.execute("SELECT line, column_name FROM rejects").fetchall() == [(3, "crime_type")]


def test_stats19_loads_from_and_into_folders_named_with_an_apostrophe(tmp_path):
    folder = tmp_path / "o'brien"
    folder.mkdir()
    path = folder / "accident-2019.csv"
    path.write_text(
        "accident_index,police_force,accident_severity,date,local_authority_ons_district\n"
        "1,42,1,05/03/2019,E07000066\n"
    )
    store = CrimeStore(folder / "store")
    result = load_stats19(store, [path])
    assert result.collisions_read == 1
    assert store.connect().execute("SELECT district_code, ksi FROM ksi").fetchall() == [
        ("E07000066", 1.0)
    ]
