"""Stale work: what a lead or scrutiny officer should chase. Each list is one query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from crimeplan.delivery.models import CLOSED_STATUSES, Action, Milestone, Update, UpdateState


@dataclass
class StaleWork:
    quarter: str
    no_update: list[Action]
    no_owner: list[Action]
    overdue_milestones: list[Milestone]
    past_due: list[Action]

    @property
    def total(self) -> int:
        return (
            len(self.no_update)
            + len(self.no_owner)
            + len(self.overdue_milestones)
            + len(self.past_due)
        )


def plan_actions(plan) -> Q:
    """Actions that belong to a plan, deliver its commitments, or sit in its strands/assets."""
    return Q(plan=plan) | Q(commitments__plan=plan) | Q(strand__plan=plan) | Q(asset__plan=plan)


def open_actions(action_filter: Q) -> QuerySet[Action]:
    ids = Action.objects.filter(action_filter).values("pk")
    return (
        Action.objects.filter(pk__in=ids)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("lead_organisation", "owner")
        .order_by("reference")
    )


def stale_work(action_filter: Q, quarter: str, today: dt.date) -> StaleWork:
    approved_now = Update.objects.filter(
        action=OuterRef("pk"), state=UpdateState.APPROVED, quarter__gte=quarter
    )
    actions = open_actions(action_filter)
    return StaleWork(
        quarter=quarter,
        no_update=list(actions.filter(~Exists(approved_now))),
        no_owner=list(actions.filter(owner__isnull=True)),
        overdue_milestones=list(
            Milestone.objects.filter(action__in=actions, done_date__isnull=True, due_date__lt=today)
            .select_related("action", "action__lead_organisation")
            .order_by("due_date", "action__reference")
        ),
        past_due=list(actions.filter(due_date__lt=today)),
    )
