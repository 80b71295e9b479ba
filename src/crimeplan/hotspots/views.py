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

from crimeplan.core.downloads import download_or_none
from crimeplan.crimedata.categories import CRIME_TYPES
from crimeplan.crimedata.districts import check_force
from crimeplan.crimedata.geography import geography_basis
from crimeplan.hotspots.cached import cached_analysis
from crimeplan.hotspots.classification import CLASSES
from crimeplan.hotspots.corrections import CORRECTIONS
from crimeplan.hotspots.query import HARM_INDEXES, HotspotQuery, QueryError
from crimeplan.hotspots.requests import (
    asked_query,
    crime_store,
    district_force,
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
from crimeplan.hotspots.svg_map import FILLS, OUTLINED, describe, render_svg
from crimeplan.hotspots.tables import hot_squares_table, repeat_tables, summary_rows
from crimeplan.hotspots.trends import compare_with_earlier
from crimeplan.hotspots.url_params import FIELD_IDS, WEB_CELL_SIZES, query_from_params


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


SELECTS = (
    ("type", "Crime type"),
    ("from", "First month"),
    ("to", "Last month"),
    ("cell", "Cell size"),
    ("harm", "Weight by harm"),
    ("correction", "Correction for many tests"),
)


def _chosen(value) -> str:
    if value is not None and not isinstance(value, str | int) and hasattr(value, "__iter__"):
        value = next(iter(value), None)
    return "" if value is None else str(value)


def _form_fields(context: dict) -> dict:
    """``govukSelect`` parameters for the query form and the error summary's links, in the
    GOV.UK error pattern (each message on its field, tied by aria-describedby)."""
    options = {
        "type": context["type_options"],
        "from": context["month_options"],
        "to": context["month_options"],
        "cell": context["cell_options"],
        "harm": context["harm_options"],
        "correction": context["correction_options"],
    }
    errors, values = context["errors"], context["values"]
    selects = {}
    for key, label in SELECTS:
        chosen = _chosen(values.get(key))
        message = errors.get(key)
        selects[key] = {
            "id": FIELD_IDS[key],
            "name": key,
            "label": {"text": label, "classes": "govuk-label--s"},
            "items": [
                {"value": v, "text": t, "selected": str(v) == chosen} for v, t in options[key]
            ],
            "errorMessage": {"text": message[:1].upper() + message[1:]} if message else None,
        }
    error_list = [
        {"text": m[:1].upper() + m[1:], "href": f"#{FIELD_IDS[k]}"} for k, m in errors.items()
    ]
    return {"selects": selects, "error_list": error_list}


def _render_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context.update(_form_fields(context))
    return render(request, "hotspots/district_page.html", context, status=status)


@require_GET
def district_page(request: HttpRequest, code: str) -> HttpResponse:
    code, name = district_or_404(code)
    owner = district_force(code)
    store = crime_store()
    months, default = months_and_default(store, owner)
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
        return _render_page(request, context, status=503)
    parsed = query_from_params(request.GET, code, months, default)
    context.update(errors=parsed.errors, values=parsed.values)
    if parsed.query is None:
        return _render_page(request, context, status=400)
    try:
        hotspots = cached_analysis(store, parsed.query, owner, months)
    except QueryError as exc:
        context["problem"] = f"{str(exc)[:1].upper()}{str(exc)[1:]}."
        return _render_page(request, context, status=503)
    query_string = _query_string(parsed.query)
    hot_squares = hot_squares_table(hotspots)
    repeats = repeat_tables(hotspots)
    download = download_or_none(request, [hot_squares, *repeats], f"hotspots-{code}")
    if download is not None:
        return download
    context.update(
        trend=compare_with_earlier(store, hotspots, parsed.query, owner, months),
        hotspots=hotspots,
        result=hotspots.result,
        hot_squares=hot_squares,
        repeat_tables=repeats,
        summary_rows=summary_rows(hotspots),
        description=describe(hotspots.result),
        legend=[
            (label, FILLS[label], OUTLINED.get(label), n)
            for label, n in hotspots.result.class_counts().items()
        ],
        svg=render_svg(hotspots.result, title=_map_title(hotspots), id_prefix="hotspot-svg"),
        query_string=query_string,
        geojson_url=reverse("hotspots:geojson", args=[code]) + "?" + query_string,
        svg_url=reverse("hotspots:svg", args=[code]) + "?" + query_string,
        api_url=reverse("api:hotspots", args=[code]) + "?" + query_string,
        boundaries_url=reverse("hotspots:boundaries") + f"?force={owner}",
        geography_basis=geography_basis(store, owner),
        tiles=tile_layer(),
        map_settings=json.dumps({"fills": FILLS, "outlined": OUTLINED, "classes": list(CLASSES)}),
    )
    return _render_page(request, context)


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
        hotspots = cached_analysis(asked.store, asked.query, district_force(code), asked.months)
    except QueryError as exc:
        return JsonResponse({"error": str(exc)}, status=503)
    svg = render_svg(hotspots.result, title=_map_title(hotspots))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="hotspots-{code}.svg"'
    return response


@require_GET
def boundaries(request: HttpRequest) -> HttpResponse:
    try:
        owner = check_force(request.GET.get("force") or force())
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    try:
        outlines = district_outlines(crime_store(), owner)
    except QueryError as exc:
        return JsonResponse({"error": str(exc)}, status=503)
    return HttpResponse(
        json.dumps(outlines, separators=(",", ":")), content_type="application/geo+json"
    )
