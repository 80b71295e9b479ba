"""The measure sections of a quarterly report: each measure judged to the quarter's last month.

The judging is the measures app's own (:func:`crimeplan.measures.assessment.assess`) and the
chart is its one chart definition (:func:`crimeplan.measures.spc_chart.spc_chart_svg`, through
the cache the measure page uses, so a chart both show for the same months is drawn once), so a
report says exactly what the measure page said about the same months. Everything a report
shows of a measure is returned as plain JSON-able data: it is stored in the report's snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from crimeplan.measures.assessment import Assessment, assess
from crimeplan.measures.models import Measure, SeriesValue
from crimeplan.measures.spc import Observation
from crimeplan.measures.spc_chart import cached_spc_chart_svg, chart_table
from crimeplan.measures.views_support import area_name

VARIATION_LABELS = {
    "common_cause": "Common cause: no significant change",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neither": "Special cause: neither improvement nor concern",
}
ASSURANCE_LABELS = {
    "pass": "Target will be met consistently",
    "fail": "Target will consistently not be met",
    "hit_or_miss": "Target will be met only by chance",
}


def judge_measures(
    measures: Iterable[Measure],
    last_month: str,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[dict[str, dict[str, Any]], dict[int, Assessment]]:
    """measure key → what the report shows of it, read in its headline area from its first
    month to ``last_month``; and measure id → its assessment (absent without data), for the
    other sections to read rather than judge the measure again. One query fetches every
    series; a measure with no data is kept (the report says so) rather than left out."""
    measures = list(measures)
    areas = {m.pk: m.definition().headline_area for m in measures}
    series: dict[int, list[Observation]] = {m.pk: [] for m in measures}
    rows = (
        SeriesValue.objects.filter(measure__in=measures, period__lte=last_month)
        .order_by("measure_id", "period")
        .values_list("measure_id", "area", "period", "value")
    )
    for pk, area, period, value in rows:
        if area == areas[pk]:
            series[pk].append(Observation(period, value))
    judged: dict[str, dict[str, Any]] = {}
    assessments: dict[int, Assessment] = {}
    for i, measure in enumerate(measures):
        if progress:
            progress(i, len(measures), f"Reading {measure.title}")
        entry, assessment = measure_entry(measure, areas[measure.pk], series[measure.pk])
        judged[measure.key] = entry
        if assessment is not None:
            assessments[measure.pk] = assessment
    return judged, assessments


def measure_entry(
    measure: Measure, area: str, observations: list[Observation]
) -> tuple[dict[str, Any], Assessment | None]:
    definition = measure.definition()
    entry: dict[str, Any] = {
        "key": measure.key,
        "title": measure.title,
        "description": measure.description,
        "source": measure.get_source_display(),
        "manual_source": measure.manual_source,
        "area": area,
        "area_name": area_name(area),
        "unit_label": definition.unit_label() or "value",
        "places": definition.value_places,
        "polarity": measure.polarity,
        "target_label": definition.target.label() if definition.target else "",
        "commitments": sorted(c.code for c in measure.commitments.all()),
        "has_data": False,
    }
    if not observations:
        entry["reading"] = f"{measure.title} in {area_name(area)} has no data to the quarter's end."
        return entry, None
    assessment = assess(definition, observations, area_name(area))
    entry.update(_assessed(measure, assessment))
    return entry, assessment


def _assessed(measure: Measure, assessment: Assessment) -> dict[str, Any]:
    result = assessment.result
    seg = result.current_segment
    latest = result.latest
    title = f"{measure.title} in {assessment.area_name}"
    table = chart_table(result)
    icons = [
        {"key": icon.key, "label": icon.label, "svg": icon.svg}
        for icon in (assessment.variation_icon, assessment.assurance_icon)
        if icon is not None
    ]
    return {
        "has_data": True,
        "first_period": next(p.period for p in result.points if p.value is not None),
        "last_period": assessment.last_period,
        "latest_value": latest.value if latest else None,
        "mean": seg.mean if seg else None,
        "lower_limit": seg.lower_limit_shown if seg else None,
        "upper_limit": seg.upper_limit if seg else None,
        "target": assessment.target,
        "variation": result.variation.value if result.variation else None,
        "variation_label": VARIATION_LABELS.get(result.variation.value, "")
        if result.variation
        else "",
        "assurance": result.assurance.value if result.assurance else None,
        "assurance_label": ASSURANCE_LABELS.get(result.assurance.value, "")
        if result.assurance
        else "",
        "icons": icons,
        "reading": assessment.reading.headline,
        "cautions": list(assessment.reading.cautions) + list(assessment.notes),
        "chart_title": title,
        "chart_svg": cached_spc_chart_svg(result, title, assessment.definition.unit_label(), table),
        "rows": [
            {
                "period": r.period,
                "value": r.value,
                "mean": r.mean,
                "lower_limit": r.lower_limit,
                "upper_limit": r.upper_limit,
                "target": r.target,
                "signal": r.signal,
            }
            for r in table
        ],
    }
