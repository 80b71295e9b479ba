"""A hotspot result as a GeoJSON FeatureCollection for web maps (RFC 7946, WGS84).

One Polygon per cell, empty cells included, so a map can draw the whole area and a reader can
see where nothing was recorded. Rings are closed and anticlockwise (the BNG square's corners in
order, projected). The collection's ``properties`` (a foreign member the RFC allows) carry what a
reader needs to judge the map: cell size, method, correction, period, area, crime types, harm
weighting and how many crimes were used or left out. Values are rounded for size (coordinates to
about 10 cm, z to six decimals, p to six significant figures); nothing is NaN or infinite.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from crimeplan.hotspots.analysis import HotspotResult
from crimeplan.hotspots.corrections import CORRECTIONS
from crimeplan.hotspots.repeats import SNAP_POINT_CAVEAT

COORDINATE_DECIMALS = 6


def _significant(value: float, digits: int = 6) -> float:
    return float(f"{value:.{digits}g}")


def collection_properties(result: HotspotResult) -> dict[str, Any]:
    """What was analysed and how, for the collection and for summary tables."""
    props: dict[str, Any] = {
        "area": result.area,
        "period": None
        if result.period is None
        else {"from": result.period[0], "to": result.period[1]},
        "crime_types": list(result.crime_types),
        "cell_size_m": result.cell_size,
        "crs_of_cells": "EPSG:27700 (British National Grid)",
        "method": result.method,
        "correction": result.correction,
        "correction_name": CORRECTIONS[result.correction],
        "value": "harm" if result.harm is not None else "count",
        "harm_weighting": result.weighting,
        "n_cells": result.n_cells,
        "n_points_used": result.n_points_used,
        "n_points_outside": result.n_points_outside,
        "n_points_without_location": result.n_points_without_location,
        "class_counts": result.class_counts(),
        "message": result.message,
        "location_caveat": SNAP_POINT_CAVEAT,
    }
    return props


def feature_collection(
    result: HotspotResult, extra: Mapping[str, np.ndarray] | None = None
) -> dict[str, Any]:
    """The result as a FeatureCollection dict; ``extra`` adds per-cell properties (e.g. trend).

    Serialise with ``json.dumps(..., allow_nan=False)``.
    """
    _check_finite(result)
    grid = result.grid
    rings = np.round(grid.cell_rings_wgs84(), COORDINATE_DECIMALS).tolist()
    ids = grid.cell_ids()
    rows, cols = grid.rows.tolist(), grid.cols.tolist()
    counts = result.counts.tolist()
    harm = None if result.harm is None else np.round(result.harm, 4).tolist()
    z = np.round(result.z, 6).tolist()
    p = [_significant(v) for v in result.p.tolist()]
    p_adjusted = [_significant(v) for v in result.p_adjusted.tolist()]
    classes = result.classes.tolist()
    bins = result.bins.tolist()
    extra = {name: np.asarray(values).tolist() for name, values in (extra or {}).items()}

    features = []
    for i in range(grid.n_cells):
        props: dict[str, Any] = {"id": ids[i], "row": rows[i], "col": cols[i], "count": counts[i]}
        if harm is not None:
            props["harm"] = harm[i]
        props.update(z=z[i], p=p[i], p_adjusted=p_adjusted[i], **{"class": classes[i]})
        props["bin"] = bins[i]
        for name, values in extra.items():
            props[name] = values[i]
        features.append(
            {
                "type": "Feature",
                "id": ids[i],
                "geometry": {"type": "Polygon", "coordinates": [rings[i]]},
                "properties": props,
            }
        )
    collection = {
        "type": "FeatureCollection",
        "properties": collection_properties(result),
        "features": features,
    }
    return collection


def _check_finite(result: HotspotResult) -> None:
    arrays = [result.z, result.p, result.p_adjusted]
    if result.harm is not None:
        arrays.append(result.harm)
    if not all(np.all(np.isfinite(a)) for a in arrays) or not math.isfinite(result.cell_size):
        raise ValueError("the hotspot result holds NaN or infinite values")
