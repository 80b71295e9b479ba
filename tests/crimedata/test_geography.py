"""Geography from the ONS layouts in ../shared/data/geo."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, shape
from shapely.prepared import prep

from crimeplan.crimedata.districts import districts_for
from crimeplan.crimedata.geography import GeographyError, load_geography

pytestmark = pytest.mark.realdata


def test_lookups_population_and_boundaries(real_store):
    store, _, result = real_store
    assert result.lookups == {2011: 1077, 2021: 1111}
    con = store.connect()
    # SOURCE.md: the Essex LSOA 2011 mid-2019 population sums to 1,846,655.
    assert con.execute(
        "SELECT sum(population) FROM lsoa_population WHERE year = 2019"
    ).fetchone() == (1_846_655,)
    census = dict(
        con.execute(
            "SELECT year, sum(population) FROM district_population "
            "WHERE source LIKE 'Census%' GROUP BY 1"
        ).fetchall()
    )
    assert census == {2011: 1_724_950, 2021: 1_855_200}
    districts = store.district_boundaries()["features"]
    assert sorted(f["properties"]["code"] for f in districts) == sorted(
        d.code for d in districts_for("essex")
    )
    lsoas = store.lsoa_boundaries(2021)["features"]
    assert len(lsoas) == 1111
    assert len(store.lsoa_boundaries(2011)["features"]) == 1077


def test_district_boundaries_contain_their_crimes(real_store):
    """A located crime assigned to a district by its LSOA lies in (or at the edge of) the
    district's boundary, so the unions are the districts and are in WGS84."""
    store, _, _ = real_store
    # Each district's edge zone is built once (buffering per row took most of this test's time).
    shapes = {
        f["properties"]["code"]: prep(shape(f["geometry"]).buffer(0.002))
        for f in store.district_boundaries()["features"]
    }
    rows = (
        store.connect()
        .execute(
            "SELECT district_code, longitude, latitude FROM street "
            "WHERE district_code IS NOT NULL AND year(month) = 2025 USING SAMPLE 500 ROWS"
        )
        .fetchall()
    )
    inside = sum(shapes[code].contains(Point(x, y)) for code, x, y in rows)
    assert inside / len(rows) > 0.98


def test_missing_folder_is_an_error(store, tmp_path):
    with pytest.raises(GeographyError, match="not found"):
        load_geography(store, tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(GeographyError, match="no LSOA lookup"):
        load_geography(store, tmp_path / "empty")


def test_loading_the_same_geography_twice_writes_nothing(store, shared_data):
    first = load_geography(store, shared_data / "geo")
    catalog = (store.root / "catalog.json").read_text()
    files = sorted(p.name for p in store.root.rglob("*") if p.is_file())
    second = load_geography(store, shared_data / "geo")
    assert not first.unchanged and second.unchanged
    assert second.lookups == first.lookups
    assert second.district_population_rows == first.district_population_rows
    assert (store.root / "catalog.json").read_text() == catalog
    assert sorted(p.name for p in store.root.rglob("*") if p.is_file()) == files
