"""The real police.uk files in ../shared/data load whole, typed, and only once."""

from __future__ import annotations

import csv
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from crimeplan.crimedata.categories import CRIME_TYPES
from crimeplan.crimedata.districts import districts_for
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk

pytestmark = pytest.mark.realdata


@dataclass
class Counted:
    rows: int
    blank_lsoa: int
    bad: int  # rows the ingest must reject: unknown crime type, other month, bad coordinates
    by_district: Counter[str]  # via ONS's LSOA -> local authority lookups, not the ingest's rule


def _coordinate(text: str, limit: float) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return math.isfinite(value) and abs(value) <= limit


def lsoa_to_district(shared_data: Path) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for vintage in ("11", "21"):
        path = shared_data / "geo" / f"essex_pfa_lsoa{vintage}_lad_lookup.csv"
        with open(path, newline="", encoding="utf-8") as fh:
            lookup.update({r[f"lsoa{vintage}cd"]: r["lad_cd"] for r in csv.DictReader(fh)})
    return lookup


def data_rows(path: Path, lookup: dict[str, str]) -> Counted:
    """A file's rows counted with the csv module, independently of the ingest."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = [h.lower().replace(" ", "_") for h in next(reader)]
        rows = [dict(zip(header, r, strict=True)) for r in reader if r]
    month = path.parent.name

    def bad(r: dict[str, str]) -> bool:
        coords = (r["longitude"], r["latitude"])
        return (
            r["crime_type"] not in CRIME_TYPES
            or r["month"] != month
            or (
                coords != ("", "")
                and not (_coordinate(coords[0], 180) and _coordinate(coords[1], 90))
            )
        )

    good = [r for r in rows if not bad(r)]
    return Counted(
        rows=len(rows),
        blank_lsoa=sum(1 for r in good if not r["lsoa_code"]),
        bad=len(rows) - len(good),
        by_district=Counter(lookup[r["lsoa_code"]] for r in good if r["lsoa_code"] in lookup),
    )


def test_every_month_loads_with_counts_that_add_up(real_store, shared_data):
    store, report, _ = real_store
    files = sorted((shared_data / "policeuk").glob("*/*.csv"))
    assert len(report.files) == len(files) == 17
    assert not report.failed
    lookup = lsoa_to_district(shared_data)
    for result, path in zip(report.files, files, strict=True):
        counted = data_rows(path, lookup)
        assert result.month == path.parent.name
        assert result.rows_read == counted.rows
        assert result.rows_loaded == counted.rows - counted.bad
        assert result.rows_rejected == counted.bad
        assert result.in_area + result.outside_area + result.no_location == result.rows_loaded
        assert result.no_location == counted.blank_lsoa
        # Loaded before any geography: districts come from the LSOA name, and must agree with
        # ONS's lookup of the LSOA code.
        assert result.by_district == dict(counted.by_district)
        assert result.in_area == counted.by_district.total()
        # SOURCE.md: 97.3-99.5% of rows fall in an Essex LSOA.
        assert result.in_area / result.rows_loaded > 0.95
    con = store.connect()
    per_month = dict(
        con.execute("SELECT strftime(month, '%Y-%m'), count(*) FROM street GROUP BY 1").fetchall()
    )
    assert per_month == {r.month: r.rows_loaded for r in report.files}


def test_snake_case_2018_files_load_typed(real_store):
    store, _, _ = real_store
    con = store.connect()
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE street)").fetchall())
    assert types["month"] == "DATE"
    assert types["longitude"] == types["latitude"] == "DOUBLE"
    assert types["crime_type"].startswith("ENUM(")
    n, kinds, first_id = con.execute(
        "SELECT count(*), count(DISTINCT crime_type), min(crime_id) FROM street "
        "WHERE year(month) = 2018"
    ).fetchone()
    assert n > 100_000 and kinds == 14 and len(first_id) == 64
    assert {
        r[0] for r in con.execute("SELECT DISTINCT crime_type::VARCHAR FROM street").fetchall()
    } == set(CRIME_TYPES)


def test_every_row_is_in_a_known_district_or_counted_as_not(real_store):
    store, _, _ = real_store
    con = store.connect()
    codes = {d.code for d in districts_for("essex")}
    rows = con.execute(
        "SELECT area_status, district_code IS NULL, count(*) FROM street GROUP BY ALL"
    ).fetchall()
    statuses = {(s, is_null) for s, is_null, _ in rows}
    assert statuses == {("in_area", False), ("outside_area", True), ("no_location", True)}
    found = {r[0] for r in con.execute("SELECT DISTINCT district_code FROM street").fetchall()}
    assert found - {None} == codes
    # Both LSOA vintages are known to the lookup: 2011 codes in 2018, 2021 codes in 2024-25.
    by_vintage = con.execute(
        "SELECT l.vintage, count(*) FROM street s JOIN lsoa_districts l USING (lsoa_code) "
        "WHERE s.district_code <> l.district_code GROUP BY 1"
    ).fetchall()
    assert by_vintage == []


def test_second_ingest_changes_nothing(real_store, shared_data):
    store, _, _ = real_store
    before = (store.root / "catalog.json").read_bytes()
    files_before = sorted(p for p in store.root.rglob("*.parquet"))
    report = ingest_policeuk(store, [shared_data / "policeuk"])
    assert {r.status for r in report.files} == {"unchanged"}
    assert (store.root / "catalog.json").read_bytes() == before
    assert sorted(p for p in store.root.rglob("*.parquet")) == files_before


def test_manifest_records_files_and_hashes(real_store, shared_data):
    store, _, _ = real_store
    manifests = store.manifests()
    assert len(manifests) == 17
    first = manifests[0]
    assert first["month"] == "2018-01" and first["kind"] == "street"
    import hashlib

    path = shared_data / "policeuk" / "2018-01" / "2018-01-essex-street.csv"
    assert first["files"][0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    counted = data_rows(path, lsoa_to_district(shared_data))
    assert (first["rows_read"], first["rows_loaded"]) == (counted.rows, counted.rows - counted.bad)
    assert first["by_district"] == dict(sorted(counted.by_district.items()))
    assert first["command"]
