"""Repeat locations ranked by count and by harm."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from crimeplan.hotspots.repeats import rank_repeat_locations


def crimes():
    rows = [
        ("On or near High Street", 0.47, 51.73, "Shoplifting"),
        ("On or near High Street", 0.47, 51.73, "Shoplifting"),
        ("On or near High Street", 0.47, 51.73, "Robbery"),
        ("On or near Supermarket", 0.47, 51.73, "Shoplifting"),  # same point, other text
        ("On or near Supermarket", 0.60, 51.80, "Shoplifting"),  # same text, other town
        ("On or near Supermarket", 0.60, 51.80, "Shoplifting"),
        ("On or near Park", 0.50, 51.70, "Robbery"),
        ("On or near Park", 0.50, 51.70, "Robbery"),
        (None, np.nan, np.nan, "Burglary"),
    ]
    location, lon, lat, kind = zip(*rows, strict=True)
    return (
        np.array(location, dtype=object),
        np.array(lon),
        np.array(lat),
        np.array(kind, dtype=object),
    )


def test_ranked_by_count_with_harm_breaking_ties():
    location, lon, lat, kind = crimes()
    harm = np.where(kind == "Robbery", 365.0, 1.0)
    ranked = rank_repeat_locations(location, lon, lat, kind, harm)
    assert [(r.location, r.count) for r in ranked.by_count] == [
        ("On or near High Street", 3),
        ("On or near Park", 2),  # 730 days of harm beats the supermarket's 2
        ("On or near Supermarket", 2),
        ("On or near Supermarket", 1),
    ]
    top = ranked.by_count[0]
    assert top.crime_types == {"Shoplifting": 2, "Robbery": 1}
    assert (top.longitude, top.latitude, top.harm) == (0.47, 51.73, 367.0)
    assert (ranked.n_locations, ranked.n_crimes, ranked.n_without_location) == (4, 8, 1)


def test_ranked_by_harm():
    location, lon, lat, kind = crimes()
    harm = np.where(kind == "Robbery", 365.0, 1.0)
    by_harm = rank_repeat_locations(location, lon, lat, kind, harm, top=2).by_harm
    assert [(r.location, r.harm) for r in by_harm] == [
        ("On or near Park", 730.0),
        ("On or near High Street", 367.0),
    ]


def test_without_harm_there_is_no_harm_ranking_and_no_crimes_is_empty():
    location, lon, lat, kind = crimes()
    ranked = rank_repeat_locations(location, lon, lat, kind, top=1)
    assert ranked.by_harm is None and len(ranked.by_count) == 1
    assert ranked.by_count[0].harm is None
    empty = rank_repeat_locations(np.array([], dtype=object), np.array([]), np.array([]))
    assert empty.by_count == [] and empty.n_locations == 0


@pytest.mark.realdata
def test_real_chelmsford_snap_points(chelmsford):
    ranked = rank_repeat_locations(
        chelmsford.location, chelmsford.lon, chelmsford.lat, chelmsford.crime_type, top=5
    )
    counts = [r.count for r in ranked.by_count]
    assert counts == sorted(counts, reverse=True) and counts[0] > 50
    assert ranked.n_crimes == np.isfinite(chelmsford.lon).sum()
    # The top five counted again here: one place is its text and its coordinates.
    places = Counter(
        (text, round(x, 6), round(y, 6))
        for text, x, y in zip(chelmsford.location, chelmsford.lon, chelmsford.lat, strict=True)
        if np.isfinite(x)
    )
    assert counts == sorted(places.values(), reverse=True)[:5]
    assert ranked.n_locations == len(places)
    assert all(r.location.startswith("On or near") for r in ranked.by_count)
