"""Hotspot squares in words a resident knows: named by the ward they are in, with what "hot"
means said plainly and no z or p values (the analyst page keeps those)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape

from crimeplan.crimedata.districts import force_of_district
from crimeplan.crimedata.store import CrimeStore
from crimeplan.hotspots.analysis import HotspotResult

PLAIN_CLASS = {
    "hot 99%": "Far more crime than the rest of the district; almost certainly not chance",
    "hot 95%": "Much more crime than the rest of the district; very unlikely to be chance",
    "hot 90%": "More crime than the rest of the district; unlikely to be chance",
}


LEGEND = {
    "hot 99%": "Strong hotspot",
    "hot 95%": "Hotspot",
    "hot 90%": "Weak hotspot",
    "not significant": "No clear pattern",
    "cold 90%": "Weak cold spot",
    "cold 95%": "Cold spot",
    "cold 99%": "Strong cold spot",
}
NOTES = [
    "Numbers mark the strongest hotspots, as ranked in the table below the map.",
    "A hotspot is a square that, with the squares around it, had more crime than chance would "
    "give; a cold spot had less.",
]


def plain_description(result: HotspotResult, place: str) -> str:
    counts = result.class_counts()
    hot = sum(v for k, v in counts.items() if k.startswith("hot"))
    return (
        f"Map of {place} in {result.cell_size:,} metre squares: {hot} of {result.n_cells:,} "
        "squares are hotspots, where crime concentrates more than chance would give."
    )


@dataclass(frozen=True)
class PlaceSquare:
    rank: int
    place: str
    crimes: int
    meaning: str
    hot_from_neighbours: bool


def ward_names_at(
    store: CrimeStore, district_code: str, lon: np.ndarray, lat: np.ndarray
) -> list[str | None]:
    """The ward each point falls in (None outside every ward of the district)."""
    try:
        features = store.ward_boundaries(force_of_district(district_code))["features"]
    except LookupError:
        return [None] * len(lon)
    names: list[str | None] = [None] * len(lon)
    for feature in features:
        if feature["properties"]["district_code"] != district_code:
            continue
        inside = shapely.intersects_xy(shape(feature["geometry"]), lon, lat)
        for i in np.flatnonzero(inside):
            names[i] = names[i] or feature["properties"]["ward_name"]
    return names


def hottest_places(
    store: CrimeStore, district_code: str, district_name: str, result: HotspotResult, n: int = 10
) -> list[PlaceSquare]:
    cells = result.hottest(n)
    lon = np.array([c.longitude for c in cells])
    lat = np.array([c.latitude for c in cells])
    wards = ward_names_at(store, district_code, lon, lat)
    return [
        PlaceSquare(
            rank=i,
            place=ward or f"{district_name} (outside any ward boundary)",
            crimes=cell.count,
            meaning=PLAIN_CLASS.get(cell.cls, cell.cls),
            hot_from_neighbours=cell.count == 0,
        )
        for i, (cell, ward) in enumerate(zip(cells, wards, strict=True), start=1)
    ]
