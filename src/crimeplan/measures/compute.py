"""Recomputing stored series from the crime store and entered values.

Web pages read stored series and never query the store, so a page stays fast and a half-written
store can never show; ``crimeplan measures compute`` (or saving a manual value) refreshes them.
Each measure's series are replaced in one transaction.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from crimeplan.core.audit import current_actor
from crimeplan.crimedata.store import CrimeStore
from crimeplan.measures.definition import FORCE_AREA
from crimeplan.measures.models import ComputeRun, ManualValue, Measure, SeriesValue
from crimeplan.measures.series import SeriesPoint, compute_many, policeuk_type_counts_by_force


@dataclass
class ComputeSummary:
    measures: int = 0
    series: int = 0
    points: int = 0
    last_month: str = ""
    seconds: float = 0.0
    empty: list[str] | None = None
    synthetic: bool = False


def store() -> CrimeStore:
    return CrimeStore(settings.CRIMEPLAN_DATA_DIR)


def _manual_series(measure: Measure) -> dict[str, list[SeriesPoint]]:
    series: dict[str, list[SeriesPoint]] = {}
    for value in measure.manual_values.order_by("area", "period"):
        series.setdefault(value.area, []).append(
            SeriesPoint(value.area, value.period, value.value, value.value, None)
        )
    return series


def _save(measure: Measure, series: dict[str, list[SeriesPoint]]) -> int:
    with transaction.atomic():
        measure.series_values.all().delete()
        rows = [
            SeriesValue(
                measure=measure,
                area=p.area,
                period=p.period,
                value=p.value,
                numerator=p.numerator,
                denominator=p.denominator,
            )
            for points in series.values()
            for p in points
        ]
        SeriesValue.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def recompute_manual(measure: Measure) -> int:
    return _save(measure, _manual_series(measure))


def enter_manual_value(
    measure: Measure,
    period: str,
    value: float,
    source: str,
    note: str = "",
    area: str = FORCE_AREA,
    entered_by=None,
    entered_by_label: str = "",
) -> ManualValue:
    """Record the measure's value for a month and area, replacing one entered before; a value
    entered again unchanged (value, source and note) is left as it is, so it adds no audit
    event. The caller recomputes the measure's series (once, after all its values)."""
    existing = measure.manual_values.filter(area=area, period=period).first()
    if existing is not None and (existing.value, existing.source, existing.note) == (
        value,
        source,
        note,
    ):
        return existing
    entered = existing or ManualValue(measure=measure, area=area, period=period)
    entered.value, entered.source, entered.note = value, source, note
    entered.entered_by = entered_by
    entered.entered_by_label = entered_by_label
    entered.save()
    return entered


def compute_measures(
    measures: Iterable[Measure], progress: Callable[[Measure], None] | None = None
) -> ComputeSummary:
    started = time.perf_counter()
    summary = ComputeSummary(empty=[])
    measures = list(measures)
    computed: dict[int, dict[str, list[SeriesPoint]]] = {}
    from_store = [m for m in measures if m.source != Measure.Source.MANUAL]
    if from_store:
        # One scan of the store answers every measure (see series.compute_many).
        con = store().connect()
        summary.synthetic = bool(con.execute("SELECT bool_or(synthetic) FROM street").fetchone()[0])
        # Keyed by primary key: two plans may both have an "all-crime" measure.
        # Each plan's measures use its own force's districts; one scan per force.
        by_force: dict[str, list[Measure]] = {}
        for m in from_store:
            by_force.setdefault(m.plan.area_force, []).append(m)
        counts = policeuk_type_counts_by_force(con, list(by_force))
        for force, group in by_force.items():
            definitions = [dataclasses.replace(m.definition(), key=str(m.pk)) for m in group]
            many = compute_many(con, force, definitions, counts[force])
            computed.update({m.pk: many[str(m.pk)] for m in group})
    for measure in measures:
        series = computed[measure.pk] if measure.pk in computed else _manual_series(measure)
        summary.points += _save(measure, series)
        summary.measures += 1
        summary.series += len(series)
        months = [p.period for points in series.values() for p in points if p.value is not None]
        if months:
            summary.last_month = max(summary.last_month, max(months))
        else:
            summary.empty.append(measure.key)
        if progress:
            progress(measure)
    summary.seconds = time.perf_counter() - started
    _, actor = current_actor()
    ComputeRun.objects.create(
        actor=actor,
        measures=summary.measures,
        series=summary.series,
        points=summary.points,
        last_month=summary.last_month,
        seconds=summary.seconds,
        synthetic=summary.synthetic,
    )
    return summary
