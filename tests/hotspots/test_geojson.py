"""The GeoJSON: valid, closed rings, every cell, the properties promised, no NaN."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from crimeplan.hotspots.analysis import run
from crimeplan.hotspots.geojson import feature_collection
from crimeplan.hotspots.gistar import METHOD
from crimeplan.hotspots.weighting import per_crime_weights


def check_collection(collection, result):
    text = json.dumps(collection, allow_nan=False)  # raises on NaN or infinity
    back = json.loads(text)
    assert back["type"] == "FeatureCollection"
    assert len(back["features"]) == result.n_cells
    ids = [f["id"] for f in back["features"]]
    assert len(set(ids)) == len(ids)
    for feature in back["features"]:
        geometry = feature["geometry"]
        assert geometry["type"] == "Polygon" and len(geometry["coordinates"]) == 1
        ring = geometry["coordinates"][0]
        assert len(ring) == 5 and ring[0] == ring[-1]
        assert shapely.LinearRing(ring).is_ccw  # RFC 7946: exterior rings anticlockwise
        for lon, lat in ring:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = feature["properties"]
        for key in ("count", "z", "p", "p_adjusted", "class", "id", "row", "col", "bin"):
            assert key in props
    return back


def test_every_cell_is_a_feature_including_empty_ones(wgs84_from_bng, lonlat_from_bng):
    area = wgs84_from_bng(shapely.box(0, 0, 2000, 2000))
    lon, lat = lonlat_from_bng(np.array([100.0, 120, 140, 1900]), np.array([100.0, 110, 90, 1900]))
    result = run(
        area,
        lon,
        lat,
        cell_size=250,
        area="E0700TEST",
        period=("2025-01", "2025-06"),
        crime_types=["Burglary"],
    )
    back = check_collection(feature_collection(result), result)
    counts = [f["properties"]["count"] for f in back["features"]]
    assert sum(counts) == 4 and counts.count(0) == 62
    props = back["properties"]
    assert props["cell_size_m"] == 250 and props["method"] == METHOD
    assert props["correction"] == "fdr_bh" and props["n_cells"] == 64
    assert props["period"] == {"from": "2025-01", "to": "2025-06"}
    assert props["area"] == "E0700TEST" and props["crime_types"] == ["Burglary"]
    assert (props["n_points_used"], props["n_points_outside"]) == (4, 0)
    assert "harm" not in back["features"][0]["properties"]


def test_harm_is_a_property_when_weighted(wgs84_from_bng, lonlat_from_bng):
    area = wgs84_from_bng(shapely.box(0, 0, 1000, 1000))
    lon, lat = lonlat_from_bng(np.array([100.0, 600]), np.array([100.0, 600]))
    weights = per_crime_weights(
        np.array(["Robbery", "Shoplifting"]), {"Robbery": 365, "Shoplifting": 1}
    )
    result = run(area, lon, lat, weights=weights, weighting="CCHI", cell_size=250)
    back = check_collection(feature_collection(result), result)
    assert sum(f["properties"]["harm"] for f in back["features"]) == pytest.approx(366)
    assert back["properties"]["value"] == "harm" and back["properties"]["harm_weighting"] == "CCHI"


def test_no_crimes_is_valid_geojson_with_the_message(wgs84_from_bng):
    area = wgs84_from_bng(shapely.box(0, 0, 1000, 1000))
    result = run(area, np.array([]), np.array([]), cell_size=250)
    back = check_collection(feature_collection(result), result)
    assert "no crimes" in back["properties"]["message"]
    assert {f["properties"]["class"] for f in back["features"]} == {"not significant"}


def test_extra_per_cell_properties(wgs84_from_bng):
    area = wgs84_from_bng(shapely.box(0, 0, 500, 500))
    result = run(area, np.array([]), np.array([]), cell_size=250)
    collection = feature_collection(result, extra={"trend": np.array(["emerging"] * 4)})
    assert {f["properties"]["trend"] for f in collection["features"]} == {"emerging"}


@pytest.mark.realdata
def test_real_district_geojson(chelmsford):
    result = run(chelmsford.boundary, chelmsford.lon, chelmsford.lat, cell_size=500)
    back = check_collection(feature_collection(result), result)
    assert sum(f["properties"]["count"] for f in back["features"]) == result.n_points_used
