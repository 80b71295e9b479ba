"""Delivery as the public sees it: only published actions, and their status as the latest
approved quarterly update reports it (an update still awaiting approval is never shown).

Roll-ups come from :mod:`crimeplan.delivery.rollup` (the same sums the board pages use),
restricted to published actions.
"""

from __future__ import annotations

from django.db.models import Q

from crimeplan.delivery.models import Action, ActionStatus, Rag
from crimeplan.delivery.quarters import current_quarter
from crimeplan.delivery.rollup import (
    DeliverySummary,
    action_facts,
    latest_approved_updates,
    summarise,
)
from crimeplan.plans.models import Plan

RAG_WORDS = {
    Rag.GREEN.value: "On track (green)",
    Rag.AMBER.value: "Some concerns (amber)",
    Rag.RED.value: "Off track (red)",
}
STATUS_WORDS = {status.value: status.label for status in ActionStatus}


def attach_actions(rows: list) -> None:
    """Fill each :class:`~crimeplan.public.progress.CommitmentProgress` with its published
    actions and each action's latest approved update, in three queries for the whole list."""
    ids = [row.commitment.pk for row in rows]
    actions = list(
        Action.objects.filter(published=True, commitments__in=ids)
        .select_related("lead_organisation")
        .prefetch_related("commitments")
        .distinct()
        .order_by("reference")
    )
    latest = latest_approved_updates(actions)
    for row in rows:
        row.actions = [
            (a, latest.get(a.pk))
            for a in actions
            if any(c.pk == row.commitment.pk for c in a.commitments.all())
        ]


def priority_delivery_summary(plan: Plan) -> dict[int, DeliverySummary]:
    """Per priority id: its published actions by status and by latest approved RAG."""
    published = Q(published=True, commitments__plan=plan)
    through = Action.commitments.through
    memberships = list(
        through.objects.filter(commitment__plan=plan, action__published=True).values_list(
            "commitment__priority_id", "action_id"
        )
    )
    return summarise(memberships, action_facts(published), current_quarter())
