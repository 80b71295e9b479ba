"""Roll-ups of delivery: how many actions, in which status, at which RAG, and how many are stale.

Only approved updates count: a submitted or returned update says nothing about an action until a
lead has approved it. The RAG of an action is the RAG of its latest approved update (latest by
quarter, then by approval time). Every roll-up is a fixed number of queries whatever the number
of actions, so the matrix and the priority pages stay fast for thousands of actions.

Rules, so that a board reads the same figure the same way every time:
- ``actions`` and ``by_status`` count every action in the group, cancelled ones included.
- ``by_rag``, ``weighted_rag`` and ``stale`` leave cancelled actions out (they are not being
  delivered); ``stale`` also leaves out complete actions (nothing more to report).
- ``weighted_rag`` scores green 1, amber 0.5, red 0 and averages the scores weighted by each
  action's ``weight``, over actions that have an approved update and a weight above 0; it is
  ``None`` when no such action exists. :func:`rag_for_score` turns it back into a RAG.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q

from crimeplan.delivery.models import Action, ActionStatus, Rag, Update, UpdateState
from crimeplan.delivery.quarters import current_quarter

if TYPE_CHECKING:
    from crimeplan.plans.models import Plan

RAG_SCORE = {Rag.GREEN: 1.0, Rag.AMBER: 0.5, Rag.RED: 0.0}
# A weighted score at or above GREEN_FROM reads green, at or above AMBER_FROM amber, else red.
GREEN_FROM = 0.75
AMBER_FROM = 0.4


_STATUS_ZERO = {status.value: 0 for status in ActionStatus}
_RAG_ZERO = {rag.value: 0 for rag in Rag}
# Plain strings and floats for the inner loop (enum members cost a lookup on every comparison).
_CANCELLED = ActionStatus.CANCELLED.value
_COMPLETE = ActionStatus.COMPLETE.value
_SCORE = {rag.value: score for rag, score in RAG_SCORE.items()}


def _zero_status() -> dict[str, int]:
    return dict(_STATUS_ZERO)


def _zero_rag() -> dict[str, int]:
    return dict(_RAG_ZERO)


@dataclass
class DeliverySummary:
    actions: int = 0
    by_status: dict[str, int] = field(default_factory=_zero_status)
    by_rag: dict[str, int] = field(default_factory=_zero_rag)
    weighted_rag: float | None = None
    stale: int = 0
    # Open actions with no approved update at all (a subset of ``stale``).
    never_updated: int = 0

    @property
    def rag(self) -> str | None:
        return rag_for_score(self.weighted_rag)

    @property
    def open_actions(self) -> int:
        return self.actions - self.by_status[ActionStatus.CANCELLED]


def rag_for_score(score: float | None) -> str | None:
    if score is None:
        return None
    if score >= GREEN_FROM:
        return Rag.GREEN.value
    if score >= AMBER_FROM:
        return Rag.AMBER.value
    return Rag.RED.value


@dataclass(frozen=True)
class ActionFacts:
    """What a roll-up needs to know about one action."""

    status: str
    weight: int
    latest_quarter: str | None
    latest_rag: str | None


def summarise(
    memberships: Iterable[tuple[Hashable, int]],
    facts: Mapping[int, ActionFacts],
    quarter: str,
) -> dict[Hashable, DeliverySummary]:
    """Group actions into summaries. ``memberships`` pairs a group key with an action id; an
    action listed twice under one key counts once. Pure: no database, so it is tested alone."""
    seen: set[tuple[Hashable, int]] = set()
    summaries: dict[Hashable, DeliverySummary] = {}
    sums: dict[Hashable, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for key, action_id in memberships:
        if (key, action_id) in seen or action_id not in facts:
            continue
        seen.add((key, action_id))
        fact = facts[action_id]
        summary = summaries.get(key)
        if summary is None:
            summary = summaries[key] = DeliverySummary()
        summary.actions += 1
        summary.by_status[fact.status] += 1
        if fact.status == _CANCELLED:
            continue
        if fact.latest_rag is not None:
            summary.by_rag[fact.latest_rag] += 1
            if fact.weight > 0:
                total = sums[key]
                total[0] += fact.weight * _SCORE[fact.latest_rag]
                total[1] += fact.weight
        if fact.status != _COMPLETE:
            # "Stale": no approved update for this quarter (one for a later quarter, reported
            # early, also counts as up to date; quarter strings sort as quarters do).
            if fact.latest_quarter is None or fact.latest_quarter < quarter:
                summary.stale += 1
            if fact.latest_quarter is None:
                summary.never_updated += 1
    for key, (score, weight) in sums.items():
        if weight > 0:
            summaries[key].weighted_rag = score / weight
    return summaries


def latest_approved_update(action: Action) -> Update | None:
    return (
        action.updates.filter(state=UpdateState.APPROVED)
        .order_by("-quarter", "-reviewed_at", "-id")
        .first()
    )


def latest_approved_updates(
    actions: Iterable[Action | int], up_to: str | None = None
) -> dict[int, Update]:
    """The latest approved update of each action, in one query (the batch form of
    :func:`latest_approved_update`). Actions without one are absent from the result. With
    ``up_to`` (a quarter, "2025-Q2"), only updates for that quarter or an earlier one count,
    as a quarterly report reads delivery as at its quarter."""
    ids = [a if isinstance(a, int) else a.pk for a in actions]
    latest: dict[int, Update] = {}
    approved = Update.objects.filter(action_id__in=ids, state=UpdateState.APPROVED)
    if up_to is not None:
        approved = approved.filter(quarter__lte=up_to)
    updates = approved.select_related("submitted_by", "reviewed_by").order_by(
        "action_id", "-quarter", "-reviewed_at", "-id"
    )
    for update in updates:
        latest.setdefault(update.action_id, update)
    return latest


def action_facts(action_filter: Q) -> dict[int, ActionFacts]:
    """Status, weight and latest approved RAG of the actions matching ``action_filter``, in two
    queries however many actions match."""
    rows = Action.objects.filter(action_filter).values_list("pk", "status", "weight")
    latest: dict[int, tuple[str, str]] = {}
    approved = (
        Update.objects.filter(state=UpdateState.APPROVED)
        .filter(action__in=Action.objects.filter(action_filter).values("pk"))
        .order_by("action_id", "-quarter", "-reviewed_at", "-id")
        .values_list("action_id", "quarter", "rag")
    )
    for action_id, quarter, rag in approved:
        latest.setdefault(action_id, (quarter, rag))
    facts = {}
    for pk, status, weight in rows:
        quarter, rag = latest.get(pk, (None, None))
        facts[pk] = ActionFacts(status, weight, quarter, rag)
    return facts


def commitment_delivery(
    commitment_ids: Iterable[int], quarter: str | None = None
) -> dict[int, DeliverySummary]:
    """One summary per commitment that has actions (commitments without any are absent)."""
    ids = list(commitment_ids)
    through = Action.commitments.through
    memberships = list(
        through.objects.filter(commitment_id__in=ids).values_list("commitment_id", "action_id")
    )
    facts = action_facts(Q(commitments__in=ids))
    return summarise(memberships, facts, quarter or current_quarter())  # type: ignore[return-value]


def priority_delivery(plan: Plan, quarter: str | None = None) -> dict[int, DeliverySummary]:
    """One summary per priority (by priority id) of ``plan``: the actions delivering any of its
    commitments, each counted once per priority."""
    through = Action.commitments.through
    memberships = list(
        through.objects.filter(commitment__plan=plan).values_list(
            "commitment__priority_id", "action_id"
        )
    )
    facts = action_facts(Q(commitments__plan=plan))
    return summarise(memberships, facts, quarter or current_quarter())  # type: ignore[return-value]


def matrix_delivery(
    plan: Plan, quarter: str | None = None
) -> dict[tuple[int | None, int | None], DeliverySummary]:
    """The asset × strand matrix: a summary per (asset id, strand id) cell, per (asset id, None)
    row total and (None, strand id) column total, and (None, None) for the whole strategy.
    An action with an asset but no strand counts in its asset's row total (and the whole) only;
    one with a strand but no asset in its strand's column total (and the whole) only."""
    action_filter = Q(asset__plan=plan) | Q(strand__plan=plan)
    rows = Action.objects.filter(action_filter).values_list("pk", "asset_id", "strand_id")
    memberships: list[tuple[Hashable, int]] = []
    for pk, asset_id, strand_id in rows:
        if asset_id is not None and strand_id is not None:
            memberships.append(((asset_id, strand_id), pk))
        if asset_id is not None:
            memberships.append(((asset_id, None), pk))
        if strand_id is not None:
            memberships.append(((None, strand_id), pk))
        memberships.append(((None, None), pk))
    facts = action_facts(action_filter)
    return summarise(memberships, facts, quarter or current_quarter())  # type: ignore[return-value]
