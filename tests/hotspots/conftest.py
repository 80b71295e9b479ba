"""Fixtures for the hotspot tests: shapes drawn in BNG metres, and one real district's crimes."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import shapely

from crimeplan.hotspots.grid import to_wgs84

# A corner of Chelmsford, on the 250 m national grid, so test shapes sit on whole cells.
E0, N0 = 570_000.0, 205_000.0


def _to_wgs84(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geometry, lambda c: np.column_stack(to_wgs84(c[:, 0], c[:, 1])))


@pytest.fixture(scope="session")
def wgs84_from_bng() -> Callable[[shapely.Geometry], shapely.Geometry]:
    """Draw a shape in BNG metres relative to (E0, N0) and get it back in WGS84 lon/lat."""

    def convert(geometry: shapely.Geometry) -> shapely.Geometry:
        return _to_wgs84(shapely.affinity.translate(geometry, E0, N0))

    return convert


@pytest.fixture(scope="session")
def lonlat_from_bng() -> Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Points given in BNG metres relative to (E0, N0), as WGS84 longitude and latitude."""

    def convert(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return to_wgs84(np.asarray(x, dtype=float) + E0, np.asarray(y, dtype=float) + N0)

    return convert


@dataclass(frozen=True)
class DistrictCrimes:
    code: str
    boundary: shapely.Geometry
    lon: np.ndarray
    lat: np.ndarray
    crime_type: np.ndarray
    location: np.ndarray


MONTHS = [f"2025-{m:02d}" for m in range(1, 7)]


@pytest.fixture(scope="session")
def chelmsford(shared_data: Path) -> DistrictCrimes:
    """Chelmsford (E07000070): the dissolved LSOA boundary and its crimes, 2025-01 to 2025-06.

    A crime belongs to the district when its LSOA does, as the crime store will select them.
    Read straight from the CSV and GeoJSON files, not from the session's ``real_store`` (which
    holds the same months): the statistics modules tested with it (grid, Gi*, repeats, GeoJSON)
    import no Django and no store, and their real-data checks must not lean on the ingest or
    the store's district assignment. Nothing is ingested here; the read takes a tenth of a second.
    """
    pd = pytest.importorskip("pandas")
    code = "E07000070"
    path = shared_data / "geo" / "boundaries" / "lsoa" / f"{code}.geojson"
    features = json.loads(path.read_text())["features"]
    boundary = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in features])
    lsoas = {f["properties"]["LSOA21CD"] for f in features}
    crimes = pd.concat(
        pd.read_csv(
            shared_data / "policeuk" / month / f"{month}-essex-street.csv",
            usecols=["Longitude", "Latitude", "Location", "LSOA code", "Crime type"],
        )
        for month in MONTHS
    )
    crimes = crimes[crimes["LSOA code"].isin(lsoas)]
    return DistrictCrimes(
        code,
        boundary,
        crimes["Longitude"].to_numpy(float),
        crimes["Latitude"].to_numpy(float),
        crimes["Crime type"].to_numpy(object),
        crimes["Location"].to_numpy(object),
    )
