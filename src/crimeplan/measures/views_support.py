"""Turning stored series into assessments for pages and the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.db.models import Q

from crimeplan.crimedata.districts import all_districts
from crimeplan.measures.assessment import Assessment, assess
from crimeplan.measures.definition import FORCE_AREA
from crimeplan.measures.models import Measure, SeriesValue
from crimeplan.measures.spc import Observation


@cache
def _names() -> dict[str, str]:
    return {code: name for _force, code, name in all_districts()}


def area_name(code: str) -> str:
    if code == FORCE_AREA:
        return "the force area"
    return _names().get(code, code)


def measure_areas(measure: Measure) -> list[str]:
    return list(measure.series_values.values_list("area", flat=True).distinct().order_by("area"))


def assess_measures(
    measures: Iterable[Measure], every_area: bool = False, area: str | None = None
) -> dict[int, dict[str, Assessment]]:
    """Many measures judged at once: measure id → area code → assessment, the force area first
    and then the districts by name; a measure or area with no stored series is absent.

    Each measure is read in ``area`` (by default its headline area), or in every area it has a
    series for when ``every_area`` is set. One query fetches the values of all the measures,
    so a page costs the same however many measures and districts it shows. The measures'
    rebases should be prefetched (their definitions read them)."""
    measures = list(measures)
    if not measures:
        return {}
    wanted: Q | None = None
    if every_area:
        wanted = Q(measure_id__in=[m.pk for m in measures])
    else:
        by_area: dict[str, list[int]] = {}
        for measure in measures:
            by_area.setdefault(area or measure.definition().headline_area, []).append(measure.pk)
        for code, pks in by_area.items():
            condition = Q(area=code, measure_id__in=pks)
            wanted = condition if wanted is None else wanted | condition
    series: dict[int, dict[str, list[Observation]]] = {}
    rows = (
        SeriesValue.objects.filter(wanted)
        .order_by("measure_id", "area", "period")
        .values_list("measure_id", "area", "period", "value")
    )
    for pk, code, period, value in rows:
        series.setdefault(pk, {}).setdefault(code, []).append(Observation(period, value))
    result: dict[int, dict[str, Assessment]] = {}
    for measure in measures:
        found = series.get(measure.pk)
        if not found:
            continue
        definition = measure.definition()
        order = sorted(found, key=lambda code: (code != FORCE_AREA, area_name(code)))
        result[measure.pk] = {
            code: assess(definition, found[code], area_name(code)) for code in order
        }
    return result


def assess_measure(measure: Measure, area: str | None = None) -> Assessment | None:
    """One measure judged in one area (by default its headline area), or None without data."""
    area = area or measure.definition().headline_area
    return assess_measures([measure], area=area).get(measure.pk, {}).get(area)


def data_period(plan) -> str | None:
    """Which months a plan's figures cover, and whether they run past the plan's own years:
    a 2016–2020 plan read against 2023–2025 data must say so, not let readers assume the
    figures are the plan's delivery."""
    from django.db.models import Max, Min

    span = SeriesValue.objects.filter(measure__plan=plan).aggregate(
        first=Min("period"), last=Max("period")
    )
    first, last = span["first"], span["last"]
    if not first:
        return None
    text = f"The figures cover {first} to {last}."
    plan_start, plan_end = str(plan.period_start), str(plan.period_end)
    if first[:4] > plan_end:
        text += (
            f" That is after the plan's own period ({plan.period}): they show what has "
            "happened since, not what the plan delivered at the time."
        )
    elif last[:4] > plan_end or first[:4] < plan_start:
        text += f" That runs beyond the plan's own period ({plan.period})."
    return text
