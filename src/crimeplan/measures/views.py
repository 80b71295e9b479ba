"""Measure pages: what each measure shows, read with SPC, with the numbers behind every chart."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from crimeplan.core.cache_once import cached_once
from crimeplan.core.downloads import download_or_none
from crimeplan.core.models import AuditEvent
from crimeplan.crimedata.geography import geography_basis
from crimeplan.crimedata.harm import describe
from crimeplan.crimedata.store import CrimeStore
from crimeplan.governance.decisions import decisions_about
from crimeplan.measures.comparison import Comparison
from crimeplan.measures.comparison import district_comparison as compare_districts
from crimeplan.measures.comparison_chart import comparison_svg
from crimeplan.measures.compute import enter_manual_value, recompute_manual, store
from crimeplan.measures.entry import format_value, value_areas
from crimeplan.measures.forms import CorrectValueForm, ManualValueForm
from crimeplan.measures.models import ComputeRun, ManualValue, Measure
from crimeplan.measures.permissions import can_enter_values
from crimeplan.measures.spc import SpcResult
from crimeplan.measures.spc_chart import ChartRow, cached_spc_chart_svg, chart_table
from crimeplan.measures.tables import comparison_table, measures_table, series_table
from crimeplan.measures.views_support import (
    area_name,
    assess_measure,
    assess_measures,
    data_period,
    measure_areas,
)
from crimeplan.plans.models import Commitment
from crimeplan.plans.permissions import plan_or_404


def chart_svg(result: SpcResult, title: str, y_title: str, rows: list[ChartRow]) -> str:
    """The SPC chart, cached on exactly what it draws (shared with board reports).
    ``rows`` is ``chart_table(result)``."""
    return cached_spc_chart_svg(result, title, y_title, rows)


VALUE_CHANGES_SHOWN = 50


def _value_changes(measure: Measure) -> list[AuditEvent]:
    """The latest changes to this measure's entered values (corrections and deletions too),
    read from the audit trail, so the page shows what was changed, by whom and when."""
    if measure.source != Measure.Source.MANUAL:
        return []
    events = AuditEvent.objects.filter(
        Q(after__measure_id=measure.pk) | Q(before__measure_id=measure.pk),
        model="measures.ManualValue",
        scope=f"plan:{measure.plan_id}",
    )
    return list(events.order_by("-at", "-id")[:VALUE_CHANGES_SHOWN])


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
        "manual_values": measure.manual_values.filter(area=area).order_by("-period")[:24],
        "value_changes": _value_changes(measure),
        "can_enter": measure.source == Measure.Source.MANUAL
        and can_enter_values(request.user, plan),
        "form": form,
        "decisions": decisions_about(measure=measure),
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
    form = ManualValueForm(measure=measure, initial={"area": area})
    context = _detail_context(request, plan, measure, area, form, areas)
    if context["table"] is not None:
        download = download_or_none(request, [context["table"]], f"{measure.key}-{area}")
        if download is not None:
            return download
    return render(request, "measures/measure_detail.html", context)


def _manual_measure_for_entry(request: HttpRequest, slug: str, key: str):
    plan = plan_or_404(request, slug)
    measure = get_object_or_404(Measure, plan=plan, key=key)
    if measure.source != Measure.Source.MANUAL:
        raise PermissionDenied("This measure is computed from data; its values cannot be entered.")
    if not can_enter_values(request.user, plan):
        raise PermissionDenied(
            "Only contributors, leads, analysts and officers of the plan's partners can enter "
            "values."
        )
    return plan, measure


@login_required
@require_POST
def manual_value_add(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    plan, measure = _manual_measure_for_entry(request, slug, key)
    form = ManualValueForm(request.POST, measure=measure)
    if form.is_valid() and form.checked is not None:
        data, checked = form.cleaned_data, form.checked
        existing = measure.manual_values.filter(area=checked.area, period=checked.period).first()
        unchanged = existing is not None and (existing.value, existing.source, existing.note) == (
            checked.value,
            data["source"],
            data["note"],
        )
        if existing is not None and not unchanged and not data["replace"]:
            # The month has a value already: say so and ask before replacing it.
            confirm = ManualValueForm({**request.POST.dict(), "replace": "on"}, measure=measure)
            confirm.is_valid()
            context = _detail_context(request, plan, measure, checked.area, confirm)
            context["replacing"] = existing
            return render(request, "measures/measure_detail.html", context, status=409)
        with transaction.atomic():
            enter_manual_value(
                measure,
                checked.period,
                checked.value,
                data["source"],
                data["note"],
                area=checked.area,
                entered_by=request.user,
                entered_by_label=request.user.get_username(),
            )
            recompute_manual(measure)
        if unchanged:
            note = f"{checked.period} already had this value; nothing changed."
        elif existing is not None:
            note = (
                f"The value for {checked.period} was replaced: it was "
                f"{format_value(existing.value)}, it is now {format_value(checked.value)}."
            )
        else:
            note = f"The value for {checked.period} was saved."
        messages.success(request, note)
        return redirect(_values_url(measure, checked.area))
    area = request.POST.get("area", "")
    if area not in value_areas(measure):
        area = measure.definition().headline_area
    context = _detail_context(request, plan, measure, area, form)
    return render(request, "measures/measure_detail.html", context, status=400)


def _values_url(measure: Measure, area: str) -> str:
    """The measure page for the value's area, with no #fragment: the page opens at the top,
    where the success banner takes focus and is announced."""
    query = "" if area == measure.definition().headline_area else f"?area={area}"
    return measure.get_absolute_url() + query


def _entered_value(measure: Measure, pk: int) -> ManualValue:
    return get_object_or_404(ManualValue.objects.select_related("measure"), measure=measure, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def manual_value_edit(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    """Correct an entered value; the change is audited and listed on the measure page."""
    plan, measure = _manual_measure_for_entry(request, slug, key)
    entered = _entered_value(measure, pk)
    form = CorrectValueForm(request.POST or None, entered=entered)
    if request.method == "POST" and form.is_valid() and form.checked is not None:
        before = entered.value
        data = form.cleaned_data
        with transaction.atomic():
            enter_manual_value(
                measure,
                entered.period,
                form.checked.value,
                data["source"],
                data["note"],
                area=entered.area,
                entered_by=request.user,
                entered_by_label=request.user.get_username(),
            )
            recompute_manual(measure)
        messages.success(
            request,
            f"The value for {entered.period} was corrected: it was {format_value(before)}, "
            f"it is now {format_value(form.checked.value)}.",
        )
        return redirect(_values_url(measure, entered.area))
    status = 400 if request.method == "POST" else 200
    context = {"plan": plan, "measure": measure, "entered": entered, "form": form}
    return render(request, "measures/value_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def manual_value_delete(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    """Delete an entered value after asking; the deletion is audited like any change."""
    plan, measure = _manual_measure_for_entry(request, slug, key)
    entered = _entered_value(measure, pk)
    if request.method == "POST":
        area, period, value = entered.area, entered.period, entered.value
        with transaction.atomic():
            entered.delete()
            recompute_manual(measure)
        messages.success(request, f"The value for {period} ({format_value(value)}) was deleted.")
        return redirect(_values_url(measure, area))
    context = {"plan": plan, "measure": measure, "entered": entered}
    return render(request, "measures/value_delete.html", context)


COMPARISON_CHARTS = (
    ("crime_rate", "Crimes per 1,000 residents", "crimes per 1,000 residents"),
    ("cchi_rate", "Harm per 1,000 residents (CCHI)", "CCHI days per 1,000 residents"),
)


def _comparison(crime_store: CrimeStore, force: str) -> tuple[Comparison, list[str]]:
    """The districts side by side and their charts, cached on the store's state: they change
    only when data is loaded, and building them (a scan and two charts) takes a quarter of a
    second."""

    def build() -> tuple[Comparison, list[str]]:
        comparison = compare_districts(crime_store.connect(), force)
        return comparison, [comparison_svg(comparison.rows, *chart) for chart in COMPARISON_CHARTS]

    return cached_once(f"districts:{crime_store.fingerprint()}:{force}", build, 24 * 3600)


def district_comparison(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_or_404(request, slug)
    crime_store = store()
    comparison, charts, table = None, [], None
    if not crime_store.is_empty():
        comparison, charts = _comparison(crime_store, plan.area_force)
        table = comparison_table(comparison)
        download = download_or_none(request, [table], "district-comparison")
        if download is not None:
            return download
    basis = geography_basis(crime_store, plan.area_force)
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
            "geography_basis": basis,
        },
    )
