"""The grade a quarterly report gives each priority, from evidence passed in explicitly.

No Django and no database: the report builder gathers each priority's measure readings (SPC
variation and assurance, as ``crimeplan.measures.spc`` names them) and its actions' delivery
(status, the RAG of the latest approved update, whether that update is stale), and this module
turns them into a grade with the reasons, so the rule can be tested at every boundary and
printed in the report word for word (:data:`RULE_TEXT`) beside the grades it produced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Grade(StrEnum):
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    NOT_GRADED = "not_graded"

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]


GRADE_LABELS = {
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement",
    Grade.INADEQUATE: "Inadequate",
    Grade.NOT_GRADED: "Not graded",
}
_SEVERITY = {Grade.GOOD: 0, Grade.REQUIRES_IMPROVEMENT: 1, Grade.INADEQUATE: 2}

# The thresholds the rule names; the report prints them through RULE_TEXT.
OUTCOME_INADEQUATE_SHARE = 0.5
DELIVERY_INADEQUATE_SHARE = 0.25
DELIVERY_WARNING_SHARE = 0.25

# Values as crimeplan.measures.spc spells them (Variation.CONCERN, Assurance.FAIL), and as the
# delivery app spells statuses and RAG; kept as plain strings so this module imports neither.
CONCERN = "concern"
FAIL = "fail"
RED_STATUSES = frozenset({"off_track"})
AMBER_STATUSES = frozenset({"at_risk"})
NOT_LIVE_STATUSES = frozenset({"cancelled"})

RULE_TEXT: tuple[str, ...] = (
    "Each priority is graded good, requires improvement or inadequate from two kinds of "
    "evidence: what its measures show and how its actions are being delivered.",
    "Outcomes. Each measure is read with statistical process control in its headline area, to "
    "the last month of the quarter. A measure raises concern when it shows special cause "
    "variation of concern, or when its target will consistently not be met (assurance: fail). "
    "Outcomes are inadequate when at least half of the measures with data raise concern, "
    "require improvement when at least one does, and are good when none does.",
    "Delivery. Cancelled actions are left out. An action is red when it is off track or its "
    "latest approved update is red, and amber when it is at risk or its latest approved update "
    "is amber. An update is stale when no update for the quarter has been approved. Delivery is "
    "inadequate when at least a quarter of the actions are red, requires improvement when any "
    "action is red, or at least a quarter are amber, or at least a quarter are stale, and is "
    "good otherwise.",
    "The priority takes the worse of the two grades. A side with no evidence (no measure with "
    "data, or no live action) is not graded and the other side decides; with neither, the "
    "priority is not graded.",
)


@dataclass(frozen=True)
class MeasureEvidence:
    title: str
    variation: str | None  # spc.Variation value, or None without data
    assurance: str | None  # spc.Assurance value, or None without a target

    @property
    def has_data(self) -> bool:
        return self.variation is not None

    @property
    def raises_concern(self) -> bool:
        return self.variation == CONCERN or self.assurance == FAIL


@dataclass(frozen=True)
class ActionEvidence:
    reference: str
    status: str  # delivery ActionStatus value
    rag: str | None  # RAG of the latest approved update, or None without one
    stale: bool  # no approved update for the quarter

    @property
    def live(self) -> bool:
        return self.status not in NOT_LIVE_STATUSES

    @property
    def red(self) -> bool:
        return self.status in RED_STATUSES or self.rag == "red"

    @property
    def amber(self) -> bool:
        return not self.red and (self.status in AMBER_STATUSES or self.rag == "amber")


@dataclass(frozen=True)
class GradeResult:
    grade: Grade
    outcome: Grade
    delivery: Grade
    reasons: tuple[str, ...]


def grade_outcomes(measures: Sequence[MeasureEvidence]) -> tuple[Grade, str]:
    read = [m for m in measures if m.has_data]
    if not read:
        return Grade.NOT_GRADED, "No measure has data, so outcomes are not graded."
    concern = [m for m in read if m.raises_concern]
    n, k = len(read), len(concern)
    named = f" ({', '.join(m.title for m in concern)})" if concern else ""
    plural, verb = ("s" if n != 1 else ""), ("s" if k == 1 else "")
    counted = f"{k} of {n} measure{plural} with data raise{verb} concern{named}"
    if k and k >= OUTCOME_INADEQUATE_SHARE * n:
        return Grade.INADEQUATE, f"Outcomes inadequate: {counted}, at least half."
    if k:
        return Grade.REQUIRES_IMPROVEMENT, f"Outcomes require improvement: {counted}."
    return Grade.GOOD, f"Outcomes good: {counted}."


def grade_delivery(actions: Sequence[ActionEvidence]) -> tuple[Grade, str]:
    live = [a for a in actions if a.live]
    if not live:
        return Grade.NOT_GRADED, "No live action, so delivery is not graded."
    n = len(live)
    red = sum(a.red for a in live)
    amber = sum(a.amber for a in live)
    stale = sum(a.stale for a in live)
    counted = f"of {n} live action{'s' if n != 1 else ''}, {red} red, {amber} amber, {stale} stale"
    if red and red >= DELIVERY_INADEQUATE_SHARE * n:
        return Grade.INADEQUATE, f"Delivery inadequate: {counted}; at least a quarter are red."
    if (
        red
        or (amber and amber >= DELIVERY_WARNING_SHARE * n)
        or (stale and stale >= DELIVERY_WARNING_SHARE * n)
    ):
        return Grade.REQUIRES_IMPROVEMENT, f"Delivery requires improvement: {counted}."
    return Grade.GOOD, f"Delivery good: {counted}."


def grade_priority(
    measures: Sequence[MeasureEvidence], actions: Sequence[ActionEvidence]
) -> GradeResult:
    """Grade one priority from its measures and the actions delivering its commitments."""
    outcome, outcome_reason = grade_outcomes(measures)
    delivery, delivery_reason = grade_delivery(actions)
    reasons = [outcome_reason, delivery_reason]
    graded = [g for g in (outcome, delivery) if g is not Grade.NOT_GRADED]
    grade = max(graded, key=_SEVERITY.__getitem__) if graded else Grade.NOT_GRADED
    return GradeResult(grade, outcome, delivery, tuple(reasons))
