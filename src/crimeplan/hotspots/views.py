"""Public hotspot pages: the districts, and each district's map, tables and method.

Every page works without JavaScript: the static SVG map and the tables carry all the figures;
``static/hotspots/map.js`` swaps the SVG for a Leaflet map drawn from the same query's GeoJSON.
The views only read the crime store; statistics come from :mod:`crimeplan.hotspots.store_query`
through the cache in :mod:`crimeplan.hotspots.cached`.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from crimeplan.crimedata.categories import CRIME_TYPES
from crimeplan.crimedata.geography import geography_basis
from crimeplan.hotspots.cached import cached_analysis
from crimeplan.hotspots.classification import CLASSES
from crimeplan.hotspots.corrections import CORRECTIONS
from crimeplan.hotspots.query import HARM_INDEXES, HotspotQuery, QueryError
from crimeplan.hotspots.requests import (
    asked_query,
    crime_store,
    district_or_404,
    force,
    geojson_response,
    months_and_default,
)
from crimeplan.hotspots.store_query import (
    district_names,
    district_outlines,
    force_name,
)
from crimeplan.hotspots.svg_map import FILLS, render_svg
from crimeplan.hotspots.trends import compare_with_earlier
from crimeplan.hotspots.url_params import FIELD_IDS, WEB_CELL_SIZES, query_from_params

HOTTEST_ROWS = 10


def _query_string(query: HotspotQuery) -> str:
    return urlencode(query.parameters(), doseq=True)


def tile_layer() -> dict[str, str] | None:
    """The optional basemap: ``CRIMEPLAN_TILE_URL`` and who to credit for it."""
    template = getattr(settings, "CRIMEPLAN_TILE_URL", "")
    if not template:
        return None
    attribution = getattr(settings, "CRIMEPLAN_TILE_ATTRIBUTION", "") or (
        f"Basemap: {urlsplit(template.replace('{s}', 'a')).hostname or 'tile server'}"
    )
    return {"url": template, "attribution": attribution}


@require_GET
def district_list(request: HttpRequest) -> HttpResponse:
    store = crime_store()
    months, period = months_and_default(store)
    crimes: dict[str, int] = {}
    if period:
        for manifest in store.manifests():
            if manifest.get("kind") == "street" and period[0] <= manifest["month"] <= period[1]:
                for code, n in (manifest.get("by_district") or {}).items():
                    crimes[code] = crimes.get(code, 0) + int(n)
    districts = [
        {"code": code, "name": name, "crimes": crimes.get(code, 0) if period else None}
        for code, name in district_names(force()).items()
    ]
    return render(
        request,
        "hotspots/district_list.html",
        {"districts": districts, "period": period, "force_name": force_name(force())},
    )


@require_GET
def district_page(request: HttpRequest, code: str) -> HttpResponse:
    code, name = district_or_404(code)
    store = crime_store()
    months, default = months_and_default(store)
    context = {
        "code": code,
        "name": name,
        "months": months,
        "type_options": [("", "All crime types")] + [(t, t) for t in CRIME_TYPES],
        "month_options": [(m, m) for m in months],
        "cell_options": [("", "Automatic (from the district's size)")]
        + [(s, f"{s:,} m") for s in WEB_CELL_SIZES],
        "harm_options": [("", "No: count crimes")]
        + [(key, f"Yes: {label}") for key, label in HARM_INDEXES.items()],
        "correction_options": list(CORRECTIONS.items()),
        "corrections": CORRECTIONS,
        "field_ids": FIELD_IDS,
        "classes": CLASSES,
        "fills": FILLS,
        "problem": None,
        "errors": {},
        "values": {},
        "hotspots": None,
        "trend": None,
    }
    if default is None:
        context["problem"] = "No crime data has been loaded yet, so there is no map to show."
        return render(request, "hotspots/district_page.html", context, status=503)
    parsed = query_from_params(request.GET, code, months, default)
    context.update(errors=parsed.errors, values=parsed.values)
    if parsed.query is None:
        return render(request, "hotspots/district_page.html", context, status=400)
    try:
        hotspots = cached_analysis(store, parsed.query, force(), months)
    except QueryError as exc:
        context["problem"] = f"{str(exc)[:1].upper()}{str(exc)[1:]}."
        return render(request, "hotspots/district_page.html", context, status=503)
    query_string = _query_string(parsed.query)
    context.update(
        trend=compare_with_earlier(store, hotspots, parsed.query, force(), months),
        hotspots=hotspots,
        result=hotspots.result,
        hottest=hotspots.result.hottest(HOTTEST_ROWS),
        svg=render_svg(hotspots.result, title=_map_title(hotspots), id_prefix="hotspot-svg"),
        query_string=query_string,
        geojson_url=reverse("hotspots:geojson", args=[code]) + "?" + query_string,
        svg_url=reverse("hotspots:svg", args=[code]) + "?" + query_string,
        api_url=reverse("api:hotspots", args=[code]) + "?" + query_string,
        boundaries_url=reverse("hotspots:boundaries"),
        geography_basis=geography_basis(store, force()),
        tiles=tile_layer(),
        map_settings=json.dumps({"fills": FILLS, "classes": list(CLASSES)}),
    )
    return render(request, "hotspots/district_page.html", context)


def _map_title(hotspots) -> str:
    result = hotspots.result
    what = "Harm-weighted crime hotspots" if result.harm is not None else "Crime hotspots"
    return f"{what} in {hotspots.area_name}, {result.period[0]} to {result.period[1]}"


@require_GET
def district_geojson(request: HttpRequest, code: str) -> HttpResponse:
    return geojson_response(code, request.GET)


@require_GET
def district_svg(request: HttpRequest, code: str) -> HttpResponse:
    code, _ = district_or_404(code)
    asked = asked_query(request.GET, code)
    if isinstance(asked, JsonResponse):
        return asked
    try:
        hotspots = cached_analysis(asked.store, asked.query, force(), asked.months)
    except QueryError as exc:
        return JsonResponse({"error": str(exc)}, status=503)
    svg = render_svg(hotspots.result, title=_map_title(hotspots))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="hotspots-{code}.svg"'
    return response


@require_GET
def boundaries(request: HttpRequest) -> HttpResponse:
    try:
        outlines = district_outlines(crime_store(), force())
    except QueryError as exc:
        return JsonResponse({"error": str(exc)}, status=503)
    return HttpResponse(
        json.dumps(outlines, separators=(",", ":")), content_type="application/geo+json"
    )
