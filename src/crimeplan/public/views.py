"""Pages for residents: the plan in plain English, "your area", public hotspot maps, and
"you said, we did". Nobody signs in; every page works without JavaScript.

Figures come from library modules (:mod:`crimeplan.public.area`, the measures' assessments,
the hotspot analysis); the views only choose what to show.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from crimeplan.governance.reports import latest_published_report
from crimeplan.hotspots.cached import cached_analysis
from crimeplan.hotspots.query import HotspotQuery, QueryError
from crimeplan.hotspots.requests import crime_store, district_force, district_or_404
from crimeplan.hotspots.store_query import district_names, force_name, loaded_months
from crimeplan.hotspots.svg_map import render_svg
from crimeplan.measures.spc_chart import spc_chart_svg
from crimeplan.plans.models import Plan
from crimeplan.public import progress
from crimeplan.public.advice import advice_for
from crimeplan.public.area import compare_with_force, district_crime, ward_crime
from crimeplan.public.hotspot_places import LEGEND, NOTES, hottest_places, plain_description
from crimeplan.public.outline_map import area_map_svg
from crimeplan.public.places import find_places, ward
from crimeplan.public.sections import local_priorities

PUBLIC_HOTSPOT_MONTHS = 12
CACHE_SECONDS = 6 * 3600


def _force() -> str:
    return settings.CRIMEPLAN_FORCE


def _area_crumbs(extra: list[dict[str, str]] | None = None) -> list[dict[str, str]]:
    return [{"text": "Your area", "href": reverse("public:area_finder")}, *(extra or [])]


@require_GET
def area_finder(request: HttpRequest) -> HttpResponse:
    store = crime_store()
    text = request.GET.get("place", "").strip()[:100]
    chosen = request.GET.get("district", "").strip()
    context = {
        "districts": district_names(_force()),
        "place": text,
        "matches": None,
        "error": None,
    }
    if chosen:
        code, _name = district_or_404(chosen)
        return redirect("public:area", code=code)
    if "place" in request.GET:
        if not text:
            context["error"] = "Enter the name of a town, ward or neighbourhood"
        else:
            matches = find_places(store, _force(), text)
            if len(matches) == 1:
                return redirect(_place_url(matches[0]))
            if not matches:
                context["error"] = (
                    f"No district, ward or neighbourhood called “{text}” was found. "
                    "Check the spelling, or choose your district from the list."
                )
            context["matches"] = [(m, _place_url(m)) for m in matches]
    status = 400 if context["error"] else 200
    return render(request, "public/area_finder.html", context, status=status)


def _place_url(place) -> str:
    if place.kind == "ward":
        return reverse("public:ward", args=[place.district_code, place.code])
    url = reverse("public:area", args=[place.district_code])
    if place.kind == "neighbourhood":
        url += f"?from={place.code}"
    return url


def _cached(store, what: str, compute):
    """Area figures and charts kept in Django's cache until the store changes (its fingerprint
    is in the key): charts take a second or more to draw and the data only change on a load."""
    key = f"public:{what}:{store.fingerprint()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


def _trend_chart(trend, area_name: str) -> dict | None:
    if trend is None or not trend.months:
        return None
    title = f"{trend.crime_type} in {area_name}, each month"
    return {
        "svg": spc_chart_svg(trend.result, title, y_title="Recorded each month"),
        "title": title,
    }


def _area_page(request: HttpRequest, code: str, name: str, crime, place=None) -> HttpResponse:
    store = crime_store()
    area = place.code if place else code
    owner = district_force(code)
    comparison = _cached(
        store,
        f"comparison:{owner}",
        lambda: compare_with_force(store, owner, code, f"the {force_name(owner)} area"),
    )
    charts = _cached(
        store,
        f"charts:{area}",
        lambda: (_trend_chart(crime.all_crime, crime.name), _trend_chart(crime.asb, crime.name)),
    )
    area_map = _cached(
        store, f"map:{area}", lambda: area_map_svg(store, code, name, place.code if place else None)
    )
    context = {
        "area_map": area_map,
        "code": code,
        "name": crime.name,
        "district_name": name,
        "ward": place,
        "crime": crime,
        "all_chart": charts[0],
        "asb_chart": charts[1],
        "comparison": comparison,
        "advice": advice_for(crime.commonest(3)),
        "local_priorities": local_priorities(code),
        "force_name": force_name(owner),
        "breadcrumbs": _area_crumbs(
            [{"text": name, "href": reverse("public:area", args=[code])}] if place else None
        ),
    }
    neighbourhood = request.GET.get("from", "")
    if neighbourhood and not place:
        from crimeplan.public.places import all_places

        context["neighbourhood"] = next(
            (
                p
                for p in all_places(store, _force())
                if p.kind == "neighbourhood" and p.code == neighbourhood
            ),
            None,
        )
    status = 200 if crime.months else 503
    return render(request, "public/area_page.html", context, status=status)


@require_GET
def area_page(request: HttpRequest, code: str) -> HttpResponse:
    code, name = district_or_404(code)
    store = crime_store()
    crime = _cached(
        store, f"area:{code}", lambda: district_crime(store, district_force(code), code, name)
    )
    return _area_page(request, code, name, crime)


@require_GET
def ward_page(request: HttpRequest, code: str, ward_code: str) -> HttpResponse:
    code, name = district_or_404(code)
    store = crime_store()
    place = ward(store, district_force(code), ward_code.upper())
    if place is None or place.district_code != code:
        raise Http404("No ward of this district has that code.")
    crime = _cached(
        store,
        f"area:{place.code}",
        lambda: ward_crime(store, district_force(code), code, place.code, place.name),
    )
    return _area_page(request, code, name, crime, place)


@require_GET
def hotspot_page(request: HttpRequest, code: str) -> HttpResponse:
    code, name = district_or_404(code)
    store = crime_store()
    owner = district_force(code)
    months = loaded_months(store, owner)
    context = {
        "code": code,
        "name": name,
        "problem": None,
        "breadcrumbs": _area_crumbs([{"text": name, "href": reverse("public:area", args=[code])}]),
    }
    if not months:
        context["problem"] = "No crime data has been loaded yet, so there is no map to show."
        return render(request, "public/hotspots.html", context, status=503)
    recent = months[-PUBLIC_HOTSPOT_MONTHS:]
    query = HotspotQuery(area=code, month_from=recent[0], month_to=recent[-1])
    try:
        hotspots = cached_analysis(store, query, owner, months)
    except QueryError as exc:
        context["problem"] = f"{str(exc)[:1].upper()}{str(exc)[1:]}."
        return render(request, "public/hotspots.html", context, status=503)
    result = hotspots.result
    title = f"Where crime concentrates in {name}, {recent[0]} to {recent[-1]}"
    context.update(
        result=result,
        period=(recent[0], recent[-1]),
        squares=hottest_places(store, code, name, result),
        svg=render_svg(
            result,
            title=title,
            id_prefix="public-hotspots",
            description=plain_description(result, name),
            notes=NOTES,
            legend=LEGEND,
        ),
        title=title,
        analyst_url=reverse("hotspots:district", args=[code]),
    )
    return render(request, "public/hotspots.html", context)


def _delivery_words() -> dict[str, dict[str, str]]:
    if not progress.delivery_installed():
        return {"status_labels": {}, "rag_labels": {}}
    from crimeplan.public.delivery_status import RAG_WORDS, STATUS_WORDS

    return {"status_labels": STATUS_WORDS, "rag_labels": RAG_WORDS}


def _public_plan(slug: str) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("owner"), slug=slug)
    if not plan.is_public:
        raise Http404("No published plan has that name.")
    return plan


@require_GET
def plan_page(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _public_plan(slug)
    priorities = list(
        plan.priorities.prefetch_related(
            Prefetch("commitments", queryset=progress.commitments_with_measures())
        )
    )
    summaries = progress.priority_summaries(plan, priorities)
    surveys = [s for s in plan.surveys.all() if s.is_public]
    return render(
        request,
        "public/plan_page.html",
        {
            "plan": plan,
            "priorities": priorities,
            "summaries": summaries,
            "surveys": surveys,
            "report": latest_published_report(plan),
            **_delivery_words(),
        },
    )


@require_GET
def priority_page(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    plan = _public_plan(slug)
    priority = get_object_or_404(plan.priorities, number=number)
    commitments = list(
        progress.commitments_with_measures().filter(priority=priority).order_by("letter")
    )
    return render(
        request,
        "public/priority_page.html",
        {
            "plan": plan,
            "priority": priority,
            "commitments": progress.commitment_progress(commitments),
            **_delivery_words(),
            "breadcrumbs": [{"text": plan.title, "href": reverse("public:plan", args=[slug])}],
        },
    )


@require_GET
def you_said(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _public_plan(slug)
    return render(
        request,
        "public/you_said.html",
        {
            "plan": plan,
            "themes": progress.you_said_we_did(plan),
            **_delivery_words(),
            "breadcrumbs": [{"text": plan.title, "href": reverse("public:plan", args=[slug])}],
        },
    )
