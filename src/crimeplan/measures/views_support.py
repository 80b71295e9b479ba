"""Turning stored series into assessments for pages and the CLI."""

from __future__ import annotations

from functools import cache

from crimeplan.crimedata.districts import all_districts
from crimeplan.measures.assessment import Assessment, assess
from crimeplan.measures.definition import FORCE_AREA
from crimeplan.measures.models import Measure
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


def assess_measure(measure: Measure, area: str | None = None) -> Assessment | None:
    definition = measure.definition()
    area = area or definition.headline_area
    points = list(measure.series_values.filter(area=area).order_by("period"))
    if not points:
        return None
    observations = [Observation(p.period, p.value) for p in points]
    return assess(definition, observations, area_name(area))


def assess_every_area(measure: Measure) -> list[tuple[str, Assessment]]:
    """The measure judged in each area it has a series for: the force area first, then the
    districts by name. One query for every area's values, so a commitment page stays one
    query per measure however many districts there are."""
    definition = measure.definition()
    by_area: dict[str, list[Observation]] = {}
    for area, period, value in measure.series_values.order_by("area", "period").values_list(
        "area", "period", "value"
    ):
        by_area.setdefault(area, []).append(Observation(period, value))
    order = sorted(by_area, key=lambda code: (code != FORCE_AREA, area_name(code)))
    return [(code, assess(definition, by_area[code], area_name(code))) for code in order]
