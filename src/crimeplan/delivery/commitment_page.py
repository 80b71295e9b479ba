"""What a commitment page shows of delivery: its actions, their owners, latest approved update
and milestones, in a fixed number of queries. The public sees published actions only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from crimeplan.delivery.models import Action, Milestone, Update
from crimeplan.delivery.permissions import is_partner
from crimeplan.delivery.rollup import DeliverySummary, commitment_delivery, latest_approved_updates


@dataclass(frozen=True)
class ActionLine:
    action: Action
    latest: Update | None
    milestones: list[Milestone]


@dataclass(frozen=True)
class CommitmentDelivery:
    lines: list[ActionLine]
    summary: DeliverySummary | None
    partner: bool


def commitment_delivery_for(commitment: Any, user: Any) -> CommitmentDelivery:
    partner = is_partner(user)
    actions = (
        Action.objects.filter(commitments=commitment)
        .select_related("lead_organisation", "owner")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_date")))
        .order_by("reference")
    )
    if not partner:
        actions = actions.filter(published=True)
    actions = list(actions)
    latest = latest_approved_updates(actions)
    lines = [ActionLine(a, latest.get(a.pk), list(a.milestones.all())) for a in actions]
    summary = commitment_delivery([commitment.pk]).get(commitment.pk) if partner else None
    return CommitmentDelivery(lines, summary, partner)
