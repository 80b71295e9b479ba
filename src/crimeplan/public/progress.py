"""Progress on a plan as the public sees it: each priority's commitments, the measures that
evidence them read in plain English, and (when the delivery app is installed) their actions'
approved status; and "you said, we did", linking consultation themes to the commitments and
actions that answer them.

Readings come from :func:`crimeplan.measures.views_support.assess_measures` (the same SPC
judgement every other page shows); partner-entered counts are suppressed below the public
threshold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Prefetch, QuerySet

from crimeplan.consultation.models import Phase, Theme
from crimeplan.core.suppression import Count, suppressed
from crimeplan.measures.assessment import Assessment
from crimeplan.measures.models import Measure
from crimeplan.measures.spc import Variation
from crimeplan.measures.views_support import assess_measures
from crimeplan.plans.models import Commitment, Plan, Priority


def delivery_installed() -> bool:
    return apps.is_installed("crimeplan.delivery")


def commitments_with_measures() -> QuerySet[Commitment]:
    return Commitment.objects.select_related("priority", "plan").prefetch_related(
        Prefetch(
            "measures", queryset=Measure.objects.select_related("plan").prefetch_related("rebases")
        )
    )


@dataclass(frozen=True)
class MeasureProgress:
    measure: Measure
    assessment: Assessment | None

    @property
    def latest(self) -> str | Count | None:
        """The latest value as the public may see it: partner counts are suppressed."""
        if self.assessment is None or self.assessment.result.latest is None:
            return None
        value = self.assessment.result.latest.value
        partner_count = (
            self.measure.source == Measure.Source.MANUAL and self.measure.unit == Measure.Unit.COUNT
        )
        if partner_count:
            return suppressed(int(round(value)))
        places = 0 if self.measure.unit == Measure.Unit.COUNT else 1
        suffix = "%" if self.measure.unit == Measure.Unit.PERCENTAGE else ""
        return f"{value:,.{places}f}{suffix}"


@dataclass
class CommitmentProgress:
    commitment: Commitment
    measures: list[MeasureProgress] = field(default_factory=list)
    actions: list = field(default_factory=list)
    """(action, latest approved update or None) when the delivery app is installed."""


def _assessed(commitments: Iterable[Commitment]) -> dict[int, MeasureProgress]:
    measures = {m.pk: m for c in commitments for m in c.measures.all()}
    judged = assess_measures(measures.values())
    return {
        pk: MeasureProgress(m, judged.get(pk, {}).get(m.definition().headline_area))
        for pk, m in measures.items()
    }


def commitment_progress(commitments: list[Commitment]) -> list[CommitmentProgress]:
    assessed = _assessed(commitments)
    rows = [CommitmentProgress(c, [assessed[m.pk] for m in c.measures.all()]) for c in commitments]
    if delivery_installed():
        from crimeplan.public.delivery_status import attach_actions

        attach_actions(rows)
    return rows


@dataclass
class PrioritySummary:
    commitments: int
    measures: int
    improving: int
    concern: int
    no_change: int
    delivery: object | None = None


def priority_summaries(plan: Plan, priorities: list[Priority]) -> dict[int, PrioritySummary]:
    """Per priority: how many of its measures show improvement, concern or no change (as the
    SPC readings say), and the delivery roll-up when the delivery app is installed."""
    commitments = [c for p in priorities for c in p.commitments.all()]
    assessed = _assessed(commitments)
    delivery = {}
    if delivery_installed():
        from crimeplan.public.delivery_status import priority_delivery_summary

        delivery = priority_delivery_summary(plan)
    out = {}
    for priority in priorities:
        seen = {m.pk for c in priority.commitments.all() for m in c.measures.all()}
        variations = [
            assessed[pk].assessment.result.variation
            for pk in seen
            if assessed[pk].assessment is not None
        ]
        out[priority.pk] = PrioritySummary(
            commitments=len(priority.commitments.all()),
            measures=len(seen),
            improving=variations.count(Variation.IMPROVEMENT),
            concern=variations.count(Variation.CONCERN),
            no_change=variations.count(Variation.COMMON_CAUSE),
            delivery=delivery.get(priority.pk),
        )
    return out


@dataclass
class ThemeAnswer:
    theme: Theme
    commitments: list[CommitmentProgress]


def you_said_we_did(plan: Plan) -> list[ThemeAnswer]:
    """Themes of the plan's surveys whose results are published, each with the commitments
    (and their actions) that answer it."""
    themes = (
        Theme.objects.filter(survey__plan=plan, survey__phase=Phase.RESULTS_PUBLISHED)
        .select_related("survey")
        .prefetch_related(Prefetch("commitments", queryset=commitments_with_measures()))
        .order_by("survey__title", "name")
    )
    themes = list(themes)
    commitments = {c.pk: c for t in themes for c in t.commitments.all()}
    progress = {p.commitment.pk: p for p in commitment_progress(list(commitments.values()))}
    return [
        ThemeAnswer(
            t,
            sorted(
                (progress[c.pk] for c in t.commitments.all()),
                key=lambda p: (p.commitment.priority.number, p.commitment.letter),
            ),
        )
        for t in themes
    ]
