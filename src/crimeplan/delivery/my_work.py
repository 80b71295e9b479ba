"""What a partner has to do: updates due (from the rounds leads open), returned updates to put
right, updates waiting for their approval, and the reminder emails for updates due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.utils import timezone

from crimeplan.accounts.models import Membership
from crimeplan.delivery.models import CLOSED_STATUSES, Action, Update, UpdateRequest, UpdateState
from crimeplan.delivery.permissions import WRITERS


@dataclass(frozen=True)
class UpdateDue:
    action: Action
    request: UpdateRequest
    overdue: bool


def _covered(request: UpdateRequest) -> Q:
    condition = Q(pk__isnull=False)
    if request.asset_id:
        condition &= Q(asset_id=request.asset_id)
    if request.strand_id:
        condition &= Q(strand_id=request.strand_id)
    return condition


def updates_due(organisation_ids: Iterable[int], today: dt.date) -> list[UpdateDue]:
    """Open actions of these organisations inside an open round with no update submitted or
    approved for the round's quarter (a returned update leaves it due)."""
    organisation_ids = list(organisation_ids)
    requests = list(UpdateRequest.objects.select_related("plan", "asset", "strand"))
    if not requests or not organisation_ids:
        return []
    condition = Q()
    for request in requests:
        condition |= _covered(request)
    actions = list(
        Action.objects.filter(lead_organisation_id__in=organisation_ids)
        .exclude(status__in=CLOSED_STATUSES)
        .filter(condition)
        .select_related("lead_organisation")
        .order_by("reference")
    )
    done = set(
        Update.objects.filter(
            action__in=actions,
            state__in=[UpdateState.SUBMITTED, UpdateState.APPROVED],
            quarter__in={r.quarter for r in requests},
        ).values_list("action_id", "quarter")
    )
    due = []
    for request in requests:
        for action in actions:
            if request.asset_id and action.asset_id != request.asset_id:
                continue
            if request.strand_id and action.strand_id != request.strand_id:
                continue
            if (action.pk, request.quarter) in done:
                continue
            due.append(UpdateDue(action, request, request.due_date < today))
    due.sort(key=lambda d: (not d.overdue, d.request.due_date, d.action.reference))
    return due


def returned_updates(organisation_ids: Iterable[int]) -> list[Update]:
    """Returned updates not yet followed by a newer update for the same quarter."""
    returned = list(
        Update.objects.filter(
            action__lead_organisation_id__in=list(organisation_ids), state=UpdateState.RETURNED
        )
        .select_related("action", "reviewed_by")
        .order_by("-reviewed_at")
    )
    later = {
        (action_id, quarter): at
        for action_id, quarter, at in Update.objects.filter(
            action__in={u.action_id for u in returned},
            state__in=[UpdateState.SUBMITTED, UpdateState.APPROVED],
        ).values_list("action_id", "quarter", "submitted_at")
    }
    return [
        u
        for u in returned
        if not (later.get((u.action_id, u.quarter), u.submitted_at) > u.submitted_at)
    ]


def send_reminders(request: UpdateRequest, today: dt.date) -> int:
    """Email every contributor whose organisation has updates due in this round; returns the
    number of messages sent. Django's mail: files in the demo, SMTP when EMAIL_HOST is set."""
    orgs = set(
        Action.objects.filter(_covered(request), plan__isnull=False)
        .exclude(status__in=CLOSED_STATUSES)
        .values_list("lead_organisation_id", flat=True)
    )
    due_by_org: dict[int, list[UpdateDue]] = {}
    for item in updates_due(orgs, today):
        if item.request.pk == request.pk:
            due_by_org.setdefault(item.action.lead_organisation_id, []).append(item)
    users = (
        get_user_model()
        .objects.filter(
            memberships__organisation_id__in=list(due_by_org), memberships__role__in=WRITERS
        )
        .exclude(email="")
    )
    messages = []
    for user in users.distinct():
        org_ids = set(
            Membership.objects.filter(user=user, role__in=WRITERS).values_list(
                "organisation_id", flat=True
            )
        )
        items = [i for org in org_ids for i in due_by_org.get(org, [])]
        if not items:
            continue
        lines = "\n".join(
            f"- {i.action.reference} {i.action.title}" + (" (overdue)" if i.overdue else "")
            for i in items
        )
        messages.append(
            (
                f"Updates due for {request.quarter} by {request.due_date:%-d %B %Y}",
                f"Hello {user.get_full_name() or user.username},\n\n"
                f"Quarterly updates are due for {request.quarter} by {request.due_date:%-d %B %Y}:"
                f"\n\n{lines}\n\nPost them from your My work page.\n\n{request.message}".rstrip()
                + "\n",
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        )
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    UpdateRequest.objects.filter(pk=request.pk).update(reminded_at=timezone.now())
    return sent
