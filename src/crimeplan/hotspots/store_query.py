"""From the crime store to a hotspot result: the area's boundary and crimes, then the library.

The CLI, the pages and the API all call :func:`analyse`; it reads what the query asks for from
the :class:`~crimeplan.crimedata.store.CrimeStore` and hands plain arrays to
:func:`crimeplan.hotspots.analysis.run` and
:func:`crimeplan.hotspots.repeats.rank_repeat_locations`, so no shell holds statistics of its own.

A district's crimes are those the store assigned to it (by LSOA), not points clipped to its
outline; the whole force area ("force") takes every crime of the force except those police.uk
placed in a neighbouring force's LSOAs, and its boundary is the union of the district boundaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from crimeplan.crimedata.categories import CRIME_TYPES
from crimeplan.crimedata.districts import districts_for, force_name
from crimeplan.crimedata.harm import HarmIndexDescription, load_weights
from crimeplan.crimedata.store import CrimeStore
from crimeplan.hotspots.analysis import HotspotResult, run
from crimeplan.hotspots.query import FORCE_AREA, HotspotQuery, QueryError
from crimeplan.hotspots.repeats import RepeatLocations, rank_repeat_locations
from crimeplan.hotspots.weighting import per_crime_weights

REPEAT_HARM_INDEX = "cchi"
"""The harm index repeat locations are ranked by when the map itself counts crimes."""
DEFAULT_MONTHS = 6
"""Pages default to this many of the latest loaded months."""


@dataclass(frozen=True)
class CrimePoints:
    """The crimes of one query as arrays (NaN coordinates where police.uk gave none)."""

    lon: np.ndarray
    lat: np.ndarray
    location: np.ndarray
    crime_type: np.ndarray


@dataclass(frozen=True, eq=False)
class AreaHotspots:
    """Everything a CLI table, a page or an API response shows for one query."""

    query: HotspotQuery
    area_name: str
    result: HotspotResult
    repeats: RepeatLocations
    harm: HarmIndexDescription | None
    """The harm index the map is weighted by, ``None`` when it counts crimes."""
    repeat_harm: HarmIndexDescription
    """The harm index repeat locations are ranked by (the map's, else CCHI)."""
    unweighted_types: tuple[str, ...]
    """Crime types with no weight in the harm index used (anti-social behaviour)."""
    n_unweighted: int
    """Crimes of those types: left out of a harm map, adding no harm to a repeat location."""


def district_names(force: str) -> dict[str, str]:
    """GSS code → name for every district of the force, in the project's order."""
    return {d.code: d.name for d in districts_for(force)}


def area_label(area: str, force: str) -> str:
    if area == FORCE_AREA:
        return f"{force_name(force)} force area"
    return district_names(force).get(area, area)


def check_area(area: str, force: str) -> str:
    """A district GSS code of the force (any case) or ``force``; QueryError otherwise."""
    word = (area or "").strip()
    if word.lower() == FORCE_AREA:
        return FORCE_AREA
    names = district_names(force)
    if word.upper() in names:
        return word.upper()
    choices = ", ".join(f"{code} ({name})" for code, name in names.items())
    raise QueryError(f"unknown area {area!r}: give 'force' or a district code: {choices}")


def loaded_months(store: CrimeStore, force: str) -> list[str]:
    """``YYYY-MM`` of every street-crime month loaded for the force, oldest first."""
    return sorted(
        {
            m["month"]
            for m in store.manifests()
            if m.get("kind") == "street" and m.get("force") == force
        }
    )


def default_period(
    store: CrimeStore, force: str, months: Sequence[str] | None = None
) -> tuple[str, str]:
    """The latest :data:`DEFAULT_MONTHS` loaded months, first and last. ``months`` is
    :func:`loaded_months` when the caller has it already (saves reading the catalog again)."""
    months = check_store(store, force, months)
    recent = months[-DEFAULT_MONTHS:]
    return recent[0], recent[-1]


def check_store(
    store: CrimeStore, force: str, months: Sequence[str] | None = None
) -> Sequence[str]:
    """The force's loaded months (``months`` if given, else read); QueryError when none."""
    months = loaded_months(store, force) if months is None else months
    if months:
        return months
    raise QueryError(
        f"no {force} street crime loaded in {store.root}: "
        "run `crimeplan ingest policeuk <folders>` first"
    )


@lru_cache(maxsize=8)
def _boundaries(path: Path) -> dict[str, BaseGeometry]:
    """District code → WGS84 geometry, read once per boundary file (files are immutable)."""
    import json

    features = json.loads(path.read_text())["features"]
    return {f["properties"]["code"]: shape(f["geometry"]) for f in features}


@lru_cache(maxsize=8)
def _force_boundary(path: Path, codes: tuple[str, ...]) -> BaseGeometry:
    geometries = _boundaries(path)
    return shapely.union_all([geometries[c] for c in codes if c in geometries])


def _boundary_file(store: CrimeStore, force: str) -> Path:
    rel = ((store.geography(force) or {}).get("files") or {}).get("district_boundaries")
    if not rel:
        raise QueryError(
            f"no geography loaded: run `crimeplan ingest geography --force {force}` first"
        )
    return store.root / rel


def area_boundary(store: CrimeStore, area: str, force: str) -> BaseGeometry:
    """The area's WGS84 boundary from the store's geography."""
    path = _boundary_file(store, force)
    if area == FORCE_AREA:
        boundary = _force_boundary(path, tuple(district_names(force)))
        if boundary.is_empty:
            raise QueryError(f"the loaded geography has no district boundaries for {force}")
        return boundary
    geometry = _boundaries(path).get(area)
    if geometry is None:
        raise QueryError(f"the loaded geography has no boundary for {area}")
    return geometry


def area_crimes(
    store: CrimeStore,
    area: str,
    force: str,
    period: tuple[str, str],
    crime_types: tuple[str, ...] = (),
) -> CrimePoints:
    """The crimes of an area and period (inclusive months), of the given types or all."""
    where = ["force = ?", "month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)"]
    params: list[object] = [force, f"{period[0]}-01", f"{period[1]}-01"]
    if area == FORCE_AREA:
        where.append("area_status <> 'outside_area'")
    else:
        where.append("district_code = ?")
        params.append(area)
    if crime_types:
        where.append("list_contains(?, CAST(crime_type AS VARCHAR))")
        params.append(list(crime_types))
    sql = (
        "SELECT coalesce(longitude, 'NaN'::DOUBLE) AS lon,"
        " coalesce(latitude, 'NaN'::DOUBLE) AS lat, coalesce(location, '') AS location,"
        " CAST(crime_type AS VARCHAR) AS crime_type"
        f" FROM street WHERE {' AND '.join(where)}"
    )
    con = store.connect()
    try:
        data = con.execute(sql, params).fetchnumpy()
    finally:
        con.close()
    return CrimePoints(
        lon=np.asarray(data["lon"], dtype=float),
        lat=np.asarray(data["lat"], dtype=float),
        location=np.asarray(data["location"], dtype=object),
        crime_type=np.asarray(data["crime_type"], dtype=object),
    )


def _weights(index: str) -> tuple[dict[str, float], HarmIndexDescription]:
    loaded = load_weights(index)
    table = {name: w.weight for name, w in loaded.by_category.items() if w.weight is not None}
    return table, loaded.description


def weighting_text(description: HarmIndexDescription) -> str:
    """Source and method in one line, for the GeoJSON and anywhere a harm figure appears."""
    return (
        f"{description.name} ({description.unit}). Method: {description.method} "
        f"Source: {description.citation}"
    )


def analyse(
    store: CrimeStore,
    query: HotspotQuery,
    force: str,
    top_repeats: int = 10,
    months: Sequence[str] | None = None,
) -> AreaHotspots:
    """Run the query: Gi* hotspots of the area and its repeat locations. ``months`` is
    :func:`loaded_months` when the caller has read it already."""
    check_store(store, force, months)
    area = check_area(query.area, force)
    boundary = area_boundary(store, area, force)

    map_weights: dict[str, float] | None = None
    harm_description = None
    if query.harm:
        map_weights, harm_description = _weights(query.harm)
    repeat_weights, repeat_description = _weights(query.harm or REPEAT_HARM_INDEX)
    wanted = query.crime_types or CRIME_TYPES
    unweighted = tuple(t for t in wanted if t not in repeat_weights)
    if map_weights is not None and not any(t in map_weights for t in wanted):
        raise QueryError(
            f"{', '.join(unweighted)} has no {harm_description.short_name} harm weight: "
            "choose other crime types or count crimes without harm weighting"
        )

    crimes = area_crimes(store, area, force, query.period, query.crime_types)
    n_unweighted = int(np.count_nonzero(np.isin(crimes.crime_type, list(unweighted))))
    analysed = crimes
    analysed_types = query.crime_types
    if map_weights is not None and unweighted:
        keep = ~np.isin(crimes.crime_type, list(unweighted))
        analysed = CrimePoints(
            crimes.lon[keep], crimes.lat[keep], crimes.location[keep], crimes.crime_type[keep]
        )
        analysed_types = tuple(t for t in wanted if t in map_weights)

    weights = None
    if map_weights is not None:
        weights = per_crime_weights(analysed.crime_type, map_weights)
    result = run(
        boundary,
        analysed.lon,
        analysed.lat,
        weights=weights,
        weighting=weighting_text(harm_description) if harm_description else None,
        cell_size=query.cell_size,
        correction=query.correction,
        area=area,
        period=query.period,
        crime_types=analysed_types,
    )
    repeats = rank_repeat_locations(
        analysed.location,
        analysed.lon,
        analysed.lat,
        crime_type=analysed.crime_type,
        harm=per_crime_weights(analysed.crime_type, repeat_weights, default=0.0),
        top=top_repeats,
    )
    return AreaHotspots(
        query=query,
        area_name=area_label(area, force),
        result=result,
        repeats=repeats,
        harm=harm_description,
        repeat_harm=repeat_description,
        unweighted_types=unweighted,
        n_unweighted=n_unweighted,
    )


OUTLINE_TOLERANCE_DEG = 0.0004
"""About 30–40 m: outlines for a map's context, light enough to send with every page."""


@lru_cache(maxsize=8)
def _outlines(path: Path, codes: tuple[str, ...], names: tuple[str, ...]) -> dict:
    geometries = _boundaries(path)
    features = []
    for code, name in zip(codes, names, strict=True):
        if code not in geometries:
            continue
        simple = shapely.simplify(geometries[code], OUTLINE_TOLERANCE_DEG, preserve_topology=True)
        simple = shapely.transform(simple, lambda c: np.round(c, 5))
        features.append(
            {
                "type": "Feature",
                "id": code,
                "geometry": shapely.geometry.mapping(simple),
                "properties": {"code": code, "name": name},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def district_outlines(store: CrimeStore, force: str) -> dict:
    """The force's district boundaries, simplified, as a GeoJSON FeatureCollection (WGS84)."""
    names = district_names(force)
    return _outlines(_boundary_file(store, force), tuple(names), tuple(names.values()))
