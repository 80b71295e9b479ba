"""Delivery against outcome: where what partners report disagrees with what the measures show.

A partner can report an action "on track" while the crime it is meant to reduce rises beyond
what chance explains; and an action can be reported off track while its measure improves. Either
is worth a scrutiny officer's question, so each disagreement is a flag with its reason in words.

The measures' side is read with the measures app's own assessment (``assess_measures``: the
NHS "Making Data Count" reading of the latest point and of the target), never recomputed here:
- concern: the latest point shows special-cause variation of concern, or the target will
  consistently not be met (assurance "fail");
- improvement: the latest point shows special-cause improvement, or the target will
  consistently be met (assurance "pass").

The delivery side uses the action's own status and the RAG of its latest approved update:
- reported on track: status "on track" or a green latest approved update, and neither says
  otherwise (an action "off track" with an old green update is not "on track");
- reported off track: status "off track" or "at risk", or a red latest approved update.

An action is linked to a measure when the measure evidences a commitment the action delivers,
directly or through the action's strand (strands name the commitments they serve).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q

from crimeplan.delivery.models import Action, ActionStatus, Rag
from crimeplan.delivery.rollup import latest_approved_updates
from crimeplan.measures.models import Measure
from crimeplan.measures.spc import Assurance, Variation
from crimeplan.measures.views_support import assess_measures
from crimeplan.plans.models import Commitment

if TYPE_CHECKING:
    from crimeplan.delivery.models import Update
    from crimeplan.measures.assessment import Assessment
    from crimeplan.plans.models import Plan


class FlagKind(StrEnum):
    # Reported on track while the outcome shows concern: the more urgent of the two.
    ON_TRACK_BUT_CONCERN = "on_track_but_concern"
    # Reported off track while the outcome improves: the report may be out of date.
    OFF_TRACK_BUT_IMPROVING = "off_track_but_improving"


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    action: Action
    commitment: Commitment
    measure: Measure
    assessment: Assessment
    delivery_says: str
    outcome_says: str

    @property
    def explanation(self) -> str:
        if self.kind is FlagKind.ON_TRACK_BUT_CONCERN:
            return (
                f"{self.action.reference} is reported {self.delivery_says}, but "
                f"{self.measure.title} (evidence for commitment {self.commitment.code}) "
                f"{self.outcome_says}. Either the action is not reaching the outcome, or "
                "something else is driving it: worth asking the lead."
            )
        return (
            f"{self.action.reference} is reported {self.delivery_says}, yet "
            f"{self.measure.title} (evidence for commitment {self.commitment.code}) "
            f"{self.outcome_says}. The report may be out of date, or the improvement comes "
            "from elsewhere."
        )


def delivery_reading(action: Action, latest: Update | None) -> str | None:
    """ "on track", "off track" or None (neither), with the words that justify it."""
    rag = latest.rag if latest else None
    if action.status in (ActionStatus.OFF_TRACK, ActionStatus.AT_RISK) or rag == Rag.RED:
        parts = []
        if action.status in (ActionStatus.OFF_TRACK, ActionStatus.AT_RISK):
            parts.append(action.get_status_display().lower())
        if rag == Rag.RED:
            parts.append(f"red in its {latest.quarter} update")  # type: ignore[union-attr]
        return "off:" + " and ".join(parts)
    if action.status == ActionStatus.ON_TRACK or rag == Rag.GREEN:
        parts = []
        if action.status == ActionStatus.ON_TRACK:
            parts.append("on track")
        if rag == Rag.GREEN:
            parts.append(f"green in its {latest.quarter} update")  # type: ignore[union-attr]
        return "on:" + " and ".join(parts)
    return None


def outcome_reading(assessment: Assessment) -> tuple[str | None, str]:
    """("concern" | "improvement" | None, words) for one measure's assessment."""
    result = assessment.result
    where = f"in {assessment.area_name}"
    if result.variation is Variation.CONCERN:
        return "concern", f"shows special-cause variation of concern {where}"
    if result.assurance is Assurance.FAIL:
        return "concern", f"will consistently miss its target {where}"
    if result.variation is Variation.IMPROVEMENT:
        return "improvement", f"shows special-cause improvement {where}"
    if result.assurance is Assurance.PASS:
        return "improvement", f"will consistently meet its target {where}"
    return None, ""


def delivery_outcome_flags(
    plan: Plan,
    actions_filter: Q | None = None,
    *,
    quarter: str | None = None,
    assessments: Mapping[int, Assessment] | None = None,
) -> list[Flag]:
    """Every disagreement between an action's report and a measure of the same commitment, for
    the commitments of ``plan``; on-track-but-concern flags first. A fixed number of queries.

    By default everything is read as it is now. A quarterly report reads as at its quarter:
    ``quarter`` ("2025-Q2") counts only approved updates for that quarter or an earlier one,
    and ``assessments`` (measure id → its headline-area assessment, as the report judged it
    to the quarter's last month; a measure without data absent) are used instead of judging
    the measures again, so the report's flags follow this one rule on the report's figures."""
    commitments = {
        c.pk: c
        for c in plan.commitments.select_related("priority").prefetch_related(
            Prefetch("measures", queryset=Measure.objects.prefetch_related("rebases"))
        )
    }
    if not commitments:
        return []
    by_strand: dict[int, list[int]] = defaultdict(list)
    for commitment_id, strand_id in Commitment.strands.through.objects.filter(
        commitment__plan=plan
    ).values_list("commitment_id", "strand_id"):
        by_strand[strand_id].append(commitment_id)
    measures = {m.pk: m for c in commitments.values() for m in c.measures.all()}
    headline: dict[int, Assessment | None]
    if assessments is not None:
        headline = {pk: assessments.get(pk) for pk in measures}
    else:
        judged = assess_measures(measures.values())
        headline = {
            pk: judged.get(pk, {}).get(m.definition().headline_area) for pk, m in measures.items()
        }
    # Only commitments with a measure showing a signal can raise a flag, so only their actions
    # are read: a plan whose measures show common cause everywhere costs no action query.
    signalling = {
        c.pk
        for c in commitments.values()
        for m in c.measures.all()
        if headline.get(m.pk) is not None and outcome_reading(headline[m.pk])[0] is not None
    }
    if not signalling:
        return []
    strands = [s for s, ids in by_strand.items() if signalling & set(ids)]
    linked = Q(commitments__in=signalling) | Q(strand_id__in=strands)
    actions = (
        Action.objects.filter(linked if actions_filter is None else linked & actions_filter)
        .exclude(status__in=[ActionStatus.COMPLETE, ActionStatus.CANCELLED])
        .select_related("lead_organisation")
        .prefetch_related("commitments")
        .distinct()
    )
    actions = list(actions)
    latest = latest_approved_updates(actions, up_to=quarter)
    flags: list[Flag] = []
    for action in actions:
        reading = delivery_reading(action, latest.get(action.pk))
        if reading is None:
            continue
        side, delivery_says = reading.split(":", 1)
        codes = {c.pk for c in action.commitments.all() if c.pk in commitments}
        codes.update(by_strand.get(action.strand_id, ()) if action.strand_id else ())
        for commitment_id in sorted(codes, key=lambda pk: commitments[pk].code):
            commitment = commitments[commitment_id]
            for measure in commitment.measures.all():
                assessment = headline.get(measure.pk)
                if assessment is None:
                    continue
                outcome, outcome_says = outcome_reading(assessment)
                if side == "on" and outcome == "concern":
                    kind = FlagKind.ON_TRACK_BUT_CONCERN
                elif side == "off" and outcome == "improvement":
                    kind = FlagKind.OFF_TRACK_BUT_IMPROVING
                else:
                    continue
                flags.append(
                    Flag(kind, action, commitment, measure, assessment, delivery_says, outcome_says)
                )
    flags.sort(key=lambda f: (f.kind != FlagKind.ON_TRACK_BUT_CONCERN, f.action.reference))
    return flags
