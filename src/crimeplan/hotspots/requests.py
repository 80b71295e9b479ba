"""Turning a web request into a hotspot query, shared by the pages and the JSON API.

Kept out of the views so the API (another shell) reuses it without importing the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse, QueryDict

from crimeplan.crimedata.districts import force_of_district
from crimeplan.crimedata.store import CrimeStore
from crimeplan.hotspots.cached import cached_geojson
from crimeplan.hotspots.query import HotspotQuery, QueryError
from crimeplan.hotspots.store_query import default_period, district_names, loaded_months
from crimeplan.hotspots.url_params import query_from_params


def crime_store() -> CrimeStore:
    return CrimeStore(Path(settings.CRIMEPLAN_DATA_DIR))


def force() -> str:
    """The deployment's own force: the one its index pages list."""
    return settings.CRIMEPLAN_FORCE


def district_force(code: str) -> str:
    """The force whose area holds the district: a site holding several forces' data shows a
    Kent district with Kent's months, crimes and outlines whatever its own force is."""
    return force_of_district(code.upper()) or force()


def district_or_404(code: str) -> tuple[str, str]:
    """The district's code and name; 404 unless it is the site force's or a force whose crime
    data is loaded (a district of a force with no data has nothing to show)."""
    code = code.upper()
    owner = force_of_district(code)
    if owner is None or (owner != force() and not loaded_months(crime_store(), owner)):
        raise Http404("No district of this force area has that code.")
    return code, district_names(owner)[code]


def months_and_default(
    store: CrimeStore, owner: str | None = None
) -> tuple[list[str], tuple[str, str] | None]:
    owner = owner or force()
    months = loaded_months(store, owner)
    return months, default_period(store, owner, months) if months else None


@dataclass(frozen=True)
class AskedQuery:
    """A request's query with the store and loaded months it was checked against."""

    store: CrimeStore
    months: list[str]
    query: HotspotQuery


def asked_query(params: QueryDict, code: str) -> AskedQuery | JsonResponse:
    """The hotspot query a request's parameters ask for, or the error response to send."""
    store = crime_store()
    months, default = months_and_default(store, district_force(code))
    if default is None:
        return JsonResponse({"error": "no crime data loaded"}, status=503)
    parsed = query_from_params(params, code, months, default)
    if parsed.query is None:
        return JsonResponse({"errors": parsed.errors}, status=400)
    return AskedQuery(store, months, parsed.query)


def geojson_response(code: str, params: QueryDict) -> HttpResponse:
    """The query's cells as GeoJSON (shared by the page's map and the API)."""
    code, _ = district_or_404(code)
    asked = asked_query(params, code)
    if isinstance(asked, JsonResponse):
        return asked
    try:
        text = cached_geojson(asked.store, asked.query, district_force(code), asked.months)
    except QueryError as exc:
        return JsonResponse({"error": str(exc)}, status=503)
    return HttpResponse(text, content_type="application/geo+json")
