"""A second force from data alone: Kent's boundary files and six months of its police.uk files.

No Kent fact is in code: the districts come from the reference table, the LSOA lookups from the
boundary files' properties, the populations from the carried Census and mid-2019 tables.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from crimeplan.crimedata.districts import districts_for
from crimeplan.hotspots.query import HotspotQuery
from crimeplan.hotspots.store_query import analyse
from crimeplan.measures.definition import MeasureDefinition, expand_crime_types
from crimeplan.measures.series import compute_many
from tests.kent_raw import boundary_lookup, rows_of_type

pytestmark = pytest.mark.realdata

MAIDSTONE = "E07000110"


def test_geography_from_boundary_files_alone(kent_store):
    store, geography, _, kent = kent_store
    assert geography.force == "kent"
    lsoa21 = boundary_lookup(kent, "lsoa", "LSOA21CD")
    lsoa11 = boundary_lookup(kent, "lsoa11", "LSOA11CD")
    assert geography.lookups == {2011: len(lsoa11), 2021: len(lsoa21)}
    assert geography.districts_with_boundary == 13
    con = store.connect()
    stored = con.execute("SELECT lsoa_code, district_code FROM lsoa_districts WHERE vintage = 2021")
    assert dict(stored.fetchall()) == lsoa21
    # Populations from the carried tables: both censuses for the 13 districts, and mid-2019
    # estimates for Kent's 2011 LSOAs.
    census = con.execute(
        "SELECT year, count(*) FROM district_population WHERE source LIKE 'Census%' GROUP BY 1"
    ).fetchall()
    assert sorted(census) == [(2011, 13), (2021, 13)]
    with open(kent.parent / "geo" / "2019_population.csv", encoding="utf-8-sig") as fh:
        rows = csv.DictReader(fh)
        expected = sum(int(r["pop"].replace(",", "")) for r in rows if r["lsoa"] in lsoa11)
    assert con.execute("SELECT sum(population) FROM lsoa_population").fetchone() == (expected,)
    assert {f["properties"]["code"] for f in store.district_boundaries("kent")["features"]} == {
        d.code for d in districts_for("kent")
    }


def _raw_counts(kent: Path) -> Counter:
    """(month, district) -> rows, from the raw CSVs: by LSOA code when Kent's boundaries hold it,
    else by the LSOA name's district (as police.uk names it), else not in any Kent district."""
    by_code = boundary_lookup(kent, "lsoa", "LSOA21CD")
    by_name = {d.name: d.code for d in districts_for("kent")}
    counts: Counter = Counter()
    for path in sorted((kent / "policeuk").rglob("*-kent-street.csv")):
        with open(path, newline="", encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                name = re.match(r"^(.+) \d{3}[A-Z]$", row["LSOA name"] or "")
                district = by_code.get(row["LSOA code"]) or (name and by_name.get(name[1]))
                counts[(row["Month"], district or None)] += 1
    return counts


def test_counts_per_district_equal_an_independent_count_of_the_raw_files(kent_store):
    store, _, report, kent = kent_store
    raw = _raw_counts(kent)
    stored = (
        store.connect()
        .execute(
            "SELECT strftime(month, '%Y-%m'), district_code, count(*) FROM street "
            "WHERE force = 'kent' GROUP BY ALL"
        )
        .fetchall()
    )
    assert {(m, d): n for m, d, n in stored} == dict(raw)
    assert sum(f.rows_rejected for f in report.files) == 0
    assert len({d for _m, d in raw if d}) == 13


def test_hotspots_run_for_a_kent_district(kent_store):
    store, _, _, kent = kent_store
    query = HotspotQuery(MAIDSTONE, "2025-01", "2025-06", ("Burglary",), 250)
    hotspots = analyse(store, query, "kent")
    result = hotspots.result
    assert hotspots.area_name == "Maidstone"
    raw = rows_of_type(kent, MAIDSTONE, "Burglary")
    assert result.n_points_used + result.n_points_outside + result.n_points_without_location == raw
    assert result.n_cells > 1000 and int(result.counts.sum()) == result.n_points_used


def test_kent_measures_use_kent_districts_and_populations(kent_store):
    store, _, _, kent = kent_store
    rate = MeasureDefinition(
        key="rate", title="Crime per 1,000", source="policeuk",
        crime_types=expand_crime_types("all_crime"),
        geography="each_district", unit="rate_per_1000", polarity="lower",
    )  # fmt: skip
    series = compute_many(store.connect(), "kent", [rate])["rate"]
    assert sorted(series) == sorted(["force", *(d.code for d in districts_for("kent"))])
    raw = _raw_counts(kent)
    # Maidstone, 2025-03: all crime but ASB over Census 2021 residents (reference table).
    (maidstone,) = [d for d in districts_for("kent") if d.code == MAIDSTONE]
    march = next(p for p in series[MAIDSTONE] if p.period == "2025-03")
    crimes = raw[("2025-03", MAIDSTONE)] - _asb_in(kent, "2025-03", MAIDSTONE)
    assert march.value == pytest.approx(crimes / maidstone.population * 1000)


def _asb_in(kent: Path, month: str, district: str) -> int:
    by_code = boundary_lookup(kent, "lsoa", "LSOA21CD")
    path = kent / "policeuk" / month / f"{month}-kent-street.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return sum(
            1
            for r in csv.DictReader(fh)
            if by_code.get(r["LSOA code"]) == district
            and r["Crime type"] == "Anti-social behaviour"
        )
