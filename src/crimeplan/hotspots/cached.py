"""Hotspot results kept in Django's cache, keyed on the store's state and the query.

A district's analysis takes a fraction of a second, but its GeoJSON is megabytes of text and a
page asks for the analysis twice (the page, then its map's GeoJSON). The cache is Django's
(bounded in size: see ``CACHES`` in settings), shared by every worker, and a missing entry is
computed once however many ask for it at the same moment (:mod:`crimeplan.core.cache_once`).
The key holds a digest of the store's catalog, which a writer replaces on every commit, so
loading data changes the key and no stale map is ever served.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from crimeplan.core.cache_once import cached_once
from crimeplan.crimedata.store import CrimeStore
from crimeplan.hotspots.geojson import feature_collection
from crimeplan.hotspots.query import HotspotQuery
from crimeplan.hotspots.store_query import AreaHotspots, analyse

TIMEOUT_S = 6 * 3600


def cache_key(store: CrimeStore, query: HotspotQuery, force: str, what: str) -> str:
    digest = hashlib.sha256(f"{force}|{query!r}".encode()).hexdigest()
    return f"hotspots:{what}:{store.fingerprint()}:{digest}"


def cached_analysis(
    store: CrimeStore, query: HotspotQuery, force: str, months: Sequence[str] | None = None
) -> AreaHotspots:
    """``months``: the force's loaded months when the caller has read them (see ``analyse``)."""
    return cached_once(
        cache_key(store, query, force, "analysis"),
        lambda: analyse(store, query, force, months=months),
        TIMEOUT_S,
    )


def geojson_text(hotspots: AreaHotspots) -> str:
    """The result as strict GeoJSON text (no NaN), with the area's name among its properties."""
    collection = feature_collection(hotspots.result)
    collection["properties"]["area_name"] = hotspots.area_name
    return json.dumps(collection, allow_nan=False, separators=(",", ":"))


def cached_geojson(
    store: CrimeStore, query: HotspotQuery, force: str, months: Sequence[str] | None = None
) -> str:
    return cached_once(
        cache_key(store, query, force, "geojson"),
        lambda: geojson_text(cached_analysis(store, query, force, months)),
        TIMEOUT_S,
    )
