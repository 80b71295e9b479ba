"""Repeat locations: the police.uk snap points with the most crimes, or the most harm.

police.uk does not publish where a crime happened. Each crime is moved to the nearest of a fixed
set of anonymous "snap points" (the centre of a street, a park, a shopping area) that has enough
addresses near it, and described by the point's text such as "On or near Station Road". Ranking
snap points finds places that keep coming back, but a snap point stands for every address near it,
so a high count can mean a long street or a busy precinct rather than a single problem address.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

SNAP_POINT_CAVEAT = (
    "Locations are police.uk anonymised snap points, not the addresses where crimes happened: "
    "each crime is moved to the nearest of a set of public points (a street, park or shopping "
    "area) with enough addresses around it, so one snap point can stand for a whole street or "
    "precinct, and neighbouring addresses may be spread over several snap points."
)
COORDINATE_DECIMALS = 6
"""Snap points are published to six decimal places; coordinates are compared at that precision."""


@dataclass(frozen=True)
class RepeatLocation:
    location: str
    longitude: float
    latitude: float
    count: int
    harm: float | None
    crime_types: dict[str, int] = field(default_factory=dict)
    """Crimes by type at this point, most first."""


@dataclass(frozen=True)
class RepeatLocations:
    by_count: list[RepeatLocation]
    by_harm: list[RepeatLocation] | None
    """``None`` when no harm weights were given."""
    n_locations: int
    n_crimes: int
    n_without_location: int
    caveat: str = SNAP_POINT_CAVEAT


def rank_repeat_locations(
    location: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    crime_type: np.ndarray | None = None,
    harm: np.ndarray | None = None,
    top: int = 20,
) -> RepeatLocations:
    """The ``top`` snap points by number of crimes and, given per-crime harm, by harm.

    A snap point is its text and its coordinates together: "On or near Supermarket" is a
    different place in every town. Crimes without coordinates are left out and counted. Ties are
    broken by the other measure, then by the location text, so the ranking is repeatable.
    ``harm`` is one weight per crime (see :func:`crimeplan.hotspots.weighting.per_crime_weights`).
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    location = np.asarray(location, dtype=object)
    located = np.isfinite(lon) & np.isfinite(lat)
    n_without = int(lon.size - np.count_nonzero(located))
    names = np.array([t if isinstance(t, str) else "" for t in location[located]], dtype=str)
    types = None if crime_type is None else np.asarray(crime_type, dtype=object)[located]
    weights = None if harm is None else np.asarray(harm, dtype=float)[located]
    if names.size == 0:
        return RepeatLocations([], None if harm is None else [], 0, 0, n_without)

    name_codes, name_inverse = np.unique(names, return_inverse=True)
    scale = 10**COORDINATE_DECIMALS
    key = np.column_stack(
        [
            name_inverse.ravel(),
            np.round(lon[located] * scale).astype(np.int64),
            np.round(lat[located] * scale).astype(np.int64),
        ]
    )
    places, place_of = np.unique(key, axis=0, return_inverse=True)
    place_of = place_of.ravel()
    counts = np.bincount(place_of, minlength=len(places))
    harms = None if weights is None else np.bincount(place_of, weights, minlength=len(places))

    def describe(i: int) -> RepeatLocation:
        at = place_of == i
        kinds = {} if types is None else dict(Counter(map(str, types[at])).most_common())
        return RepeatLocation(
            location=str(name_codes[places[i, 0]]),
            longitude=float(places[i, 1] / scale),
            latitude=float(places[i, 2] / scale),
            count=int(counts[i]),
            harm=None if harms is None else float(harms[i]),
            crime_types=kinds,
        )

    text = name_codes[places[:, 0]]
    tiebreak = np.zeros(len(places)) if harms is None else harms
    by_count = np.lexsort((text, -tiebreak, -counts))[:top]
    ranked_by_harm = None
    if harms is not None:
        ranked_by_harm = [describe(i) for i in np.lexsort((text, -counts, -harms))[:top]]
    return RepeatLocations(
        by_count=[describe(i) for i in by_count],
        by_harm=ranked_by_harm,
        n_locations=len(places),
        n_crimes=int(names.size),
        n_without_location=n_without,
    )
