"""Public hotspot squares: a square that is hot only because of its neighbours says so, and
squares are named by the ward they fall in."""

from __future__ import annotations

import json

import numpy as np
import shapely
from shapely.geometry import mapping

from crimeplan.crimedata.store import CrimeStore
from crimeplan.hotspots.analysis import run
from crimeplan.hotspots.grid import to_wgs84
from crimeplan.public.hotspot_places import hottest_places

E0, N0 = 570_000.0, 205_000.0  # a corner of Chelmsford on the 250 m grid


def _wgs84(geometry):
    moved = shapely.affinity.translate(geometry, E0, N0)
    return shapely.transform(moved, lambda c: np.column_stack(to_wgs84(c[:, 0], c[:, 1])))


def _ring_around_an_empty_square():
    """30 crimes in each of the eight squares around (1250..1500, 1250..1500), none inside it,
    and a thin scatter elsewhere, in a 10 x 10 grid of 250 m squares."""
    rng = np.random.default_rng(5)
    xs, ys = [], []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            if dx == dy == 0:
                continue
            xs.append(rng.uniform(1250 + 250 * dx + 10, 1500 + 250 * dx - 10, 30))
            ys.append(rng.uniform(1250 + 250 * dy + 10, 1500 + 250 * dy - 10, 30))
    xs.append(rng.uniform(0, 500, 10))
    ys.append(rng.uniform(0, 500, 10))
    lon, lat = to_wgs84(np.concatenate(xs) + E0, np.concatenate(ys) + N0)
    return lon, lat


def _store_with_wards(tmp_path, wards) -> CrimeStore:
    """A store whose catalog lists only a ward boundary file, as `ingest geography` writes it."""
    root = tmp_path / "crimedata"
    (root / "geography").mkdir(parents=True)
    features = [
        {
            "type": "Feature",
            "properties": {"ward_code": code, "ward_name": name, "district_code": "E07000070"},
            "geometry": mapping(_wgs84(shape)),
        }
        for code, name, shape in wards
    ]
    (root / "geography" / "wards.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features})
    )
    (root / "catalog.json").write_text(
        json.dumps({"geography": {"files": {"ward_boundaries": "geography/wards.geojson"}}})
    )
    return CrimeStore(root)


def test_a_square_hot_from_its_neighbours_says_so_and_squares_are_named_by_ward(tmp_path):
    boundary = _wgs84(shapely.box(0, 0, 2500, 2500))
    lon, lat = _ring_around_an_empty_square()
    result = run(boundary, lon, lat, cell_size=250, area="Test")
    west = ("E05000001", "West Ward", shapely.box(0, 0, 1300, 2500))
    east = ("E05000002", "East Ward", shapely.box(1300, 0, 2500, 2500))
    store = _store_with_wards(tmp_path, [west, east])
    squares = hottest_places(store, "E07000070", "Chelmsford", result)
    # The empty square in the middle of the ring is the hottest: all eight neighbours are busy.
    assert squares[0].crimes == 0 and squares[0].hot_from_neighbours
    empty = [s for s in squares if s.crimes == 0]
    assert all(s.hot_from_neighbours for s in empty)
    assert all(not s.hot_from_neighbours for s in squares if s.crimes > 0)
    assert any(s.crimes > 0 for s in squares)
    # Each square is named by the ward its centre falls in: the middle one (centre 1,375 m) is
    # east of the 1,300 m line.
    assert squares[0].place == "East Ward"
    assert {s.place for s in squares} == {"West Ward", "East Ward"}
    assert all("z" not in s.meaning.split() for s in squares)
    assert squares[0].meaning.startswith("Far more crime than the rest of the district")
