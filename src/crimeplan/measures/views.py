"""Measure pages: what each measure shows, read with SPC, with the numbers behind every chart."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from crimeplan.accounts.permissions import can_enter_values
from crimeplan.core.downloads import download_or_none
from crimeplan.crimedata.store import CrimeStore
from crimeplan.measures.comparison import Comparison
from crimeplan.measures.comparison import district_comparison as compare_districts
from crimeplan.measures.comparison_chart import comparison_svg
from crimeplan.measures.compute import enter_manual_value, recompute_manual, store
from crimeplan.measures.forms import ManualValueForm
from crimeplan.measures.harm import describe
from crimeplan.measures.models import ComputeRun, Measure
from crimeplan.measures.spc import SpcResult
from crimeplan.measures.spc_chart import ChartRow, chart_table, spc_chart_svg
from crimeplan.measures.tables import comparison_table, measures_table, series_table
from crimeplan.measures.views_support import (
    area_name,
    assess_measure,
    assess_measures,
    data_period,
    measure_areas,
)
from crimeplan.plans.models import Commitment
from crimeplan.plans.views import plan_or_404


def chart_svg(result: SpcResult, title: str, y_title: str, rows: list[ChartRow]) -> str:
    """The SPC chart, cached on exactly what it draws: its title, the y-axis title and the
    rows of numbers (rendering takes a few hundred ms). ``rows`` is ``chart_table(result)``."""
    fingerprint = hashlib.sha256(repr((title, y_title, rows)).encode()).hexdigest()
    key = f"spc-svg:{fingerprint}"
    svg = cache.get(key)
    if svg is None:
        svg = spc_chart_svg(result, title, y_title=y_title)
        cache.set(key, svg, 24 * 3600)
    return svg


def measure_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_or_404(request, slug)
    measures = list(plan.measures.prefetch_related("commitments__priority", "rebases"))
    assessed = assess_measures(measures)
    rows = [(m, assessed.get(m.pk, {}).get(m.definition().headline_area)) for m in measures]
    table = measures_table(rows)
    download = download_or_none(request, [table], f"{plan.slug}-measures")
    if download is not None:
        return download
    return render(
        request,
        "measures/measure_list.html",
        {
            "plan": plan,
            "rows": rows,
            "table": table,
            "last_run": ComputeRun.objects.first(),
            "period": data_period(plan),
        },
    )


def _detail_context(
    request: HttpRequest,
    plan,
    measure: Measure,
    area: str,
    form: ManualValueForm,
    areas: list[str] | None = None,
) -> dict:
    assessment = assess_measure(measure, area)
    rows = chart_table(assessment.result) if assessment else []
    if areas is None:
        areas = measure_areas(measure)
    return {
        "plan": plan,
        "measure": measure,
        "table": series_table(measure.definition(), rows) if assessment else None,
        "period": data_period(plan),
        "definition": measure.definition(),
        "area": area,
        "area_label": area_name(area),
        "areas": [(a, area_name(a)) for a in areas],
        "assessment": assessment,
        "rows": rows,
        "svg": chart_svg(
            assessment.result,
            f"{measure.title} in {assessment.area_name}",
            measure.definition().unit_label(),
            rows,
        )
        if assessment
        else "",
        "harm": describe(measure.harm) if measure.harm != "none" else None,
        "manual_values": measure.manual_values.order_by("-period")[:24],
        "can_enter": measure.source == Measure.Source.MANUAL
        and can_enter_values(request.user, plan),
        "form": form,
    }


def measure_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    plan = plan_or_404(request, slug)
    measure = get_object_or_404(
        plan.measures.prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.select_related("priority__plan")),
            "rebases",
        ),
        key=key,
    )
    area = request.GET.get("area") or measure.definition().headline_area
    areas = measure_areas(measure)
    if areas and area not in areas:
        raise Http404("This measure has no series for that area.")
    context = _detail_context(request, plan, measure, area, ManualValueForm(), areas)
    if context["table"] is not None:
        download = download_or_none(request, [context["table"]], f"{measure.key}-{area}")
        if download is not None:
            return download
    return render(request, "measures/measure_detail.html", context)


@login_required
@require_POST
def manual_value_add(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    plan = plan_or_404(request, slug)
    measure = get_object_or_404(Measure, plan=plan, key=key)
    if measure.source != Measure.Source.MANUAL:
        raise PermissionDenied("This measure is computed from data; its values cannot be entered.")
    if not can_enter_values(request.user, plan):
        raise PermissionDenied(
            "Only contributors, leads, analysts and officers of the plan's partners can enter "
            "values."
        )
    form = ManualValueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            enter_manual_value(
                measure,
                data["period"],
                data["value"],
                data["source"],
                data["note"],
                entered_by=request.user,
                entered_by_label=request.user.get_username(),
            )
            recompute_manual(measure)
        messages.success(request, f"The value for {data['period']} is saved.")
        # No #fragment: the page opens at the top, where the success banner takes focus.
        return redirect(measure.get_absolute_url())
    context = _detail_context(request, plan, measure, "force", form)
    return render(request, "measures/measure_detail.html", context, status=400)


COMPARISON_CHARTS = (
    ("crime_rate", "Crimes per 1,000 residents", "crimes per 1,000 residents"),
    ("cchi_rate", "Harm per 1,000 residents (CCHI)", "CCHI days per 1,000 residents"),
)


def _comparison(crime_store: CrimeStore, force: str) -> tuple[Comparison, list[str]]:
    """The districts side by side and their charts, cached on the store's state: they change
    only when data is loaded, and building them (a scan and two charts) takes a quarter of a
    second."""
    key = f"districts:{crime_store.fingerprint()}:{force}"
    found = cache.get(key)
    if found is None:
        comparison = compare_districts(crime_store.connect(), force)
        charts = [comparison_svg(comparison.rows, *chart) for chart in COMPARISON_CHARTS]
        found = (comparison, charts)
        cache.set(key, found, 24 * 3600)
    return found


def district_comparison(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_or_404(request, slug)
    crime_store = store()
    comparison, charts, table = None, [], None
    if not crime_store.is_empty():
        comparison, charts = _comparison(crime_store, settings.CRIMEPLAN_FORCE)
        table = comparison_table(comparison)
        download = download_or_none(request, [table], "district-comparison")
        if download is not None:
            return download
    return render(
        request,
        "measures/district_comparison.html",
        {
            "plan": plan,
            "comparison": comparison,
            "table": table,
            "charts": charts,
            "cchi": describe("cchi"),
            "ons": describe("ons_css"),
        },
    )
