"""Pages across many actions: My work, the asset × strand matrix, the priority × commitment
view, stale work and delivery against outcome. Every table on them downloads as CSV/XLSX."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from crimeplan.core.downloads import Column, DataTable, download_or_none
from crimeplan.delivery import permissions as perms
from crimeplan.delivery.models import Action, Update, UpdateState
from crimeplan.delivery.my_work import returned_updates, updates_due
from crimeplan.delivery.outcome_flags import FlagKind, delivery_outcome_flags
from crimeplan.delivery.quarters import current_quarter
from crimeplan.delivery.rollup import (
    DeliverySummary,
    commitment_delivery,
    latest_approved_updates,
    matrix_delivery,
    priority_delivery,
)
from crimeplan.delivery.stale import plan_actions, stale_work
from crimeplan.plans.models import Commitment, Plan


def _plan_for_partner(request: HttpRequest, slug: str) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("owner"), slug=slug)
    if not perms.is_partner(request.user):
        if not request.user.is_authenticated:
            raise Http404("Sign in to see delivery.")
        raise PermissionDenied("Delivery pages are for partners.")
    return plan


def _summary_row(s: DeliverySummary | None) -> list:
    if s is None:
        return [0, "", "", 0, 0, 0, 0]
    return [
        s.actions,
        s.rag or "",
        "" if s.weighted_rag is None else round(s.weighted_rag * 100),
        s.by_rag["green"],
        s.by_rag["amber"],
        s.by_rag["red"],
        s.stale,
    ]


SUMMARY_COLUMNS = [
    Column("actions", "Actions", places=0),
    Column("weighted_rag", "Weighted RAG"),
    Column("weighted_score", "Weighted score (%)", places=0),
    Column("green", "Green", places=0),
    Column("amber", "Amber", places=0),
    Column("red", "Red", places=0),
    Column("no_update", "No approved update this quarter", places=0),
]


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    held = perms.memberships(request.user)
    org_ids = [org for org, roles in held.items() if roles & perms.WRITERS]
    today = dt.date.today()
    actions = list(
        Action.objects.filter(lead_organisation_id__in=org_ids)
        .select_related("lead_organisation", "owner", "plan")
        .order_by("reference")
    )
    latest = latest_approved_updates(actions)
    due = updates_due(org_ids, today)
    returned = returned_updates(org_ids)
    to_review = [
        u
        for u in Update.objects.filter(state=UpdateState.SUBMITTED)
        .select_related(
            "action__asset", "action__plan", "action__lead_organisation", "submitted_by"
        )
        .order_by("submitted_at")
        if perms.can_review_update(request.user, u)
    ]
    tables = [
        DataTable.from_lists(
            "my-actions",
            "My actions",
            [
                Column("reference", "Reference"),
                Column("title", "Title"),
                Column("organisation", "Organisation"),
                Column("status", "Status"),
                Column("progress", "Progress", places=0),
                Column("rag", "Latest RAG"),
                Column("due", "Due"),
            ],
            [
                [
                    a.reference,
                    a.title,
                    a.lead_organisation.name,
                    a.get_status_display(),
                    a.progress,
                    latest[a.pk].rag if a.pk in latest else "",
                    a.due_date,
                ]
                for a in actions
            ],
        ),
        DataTable.from_lists(
            "updates-due",
            "Updates due",
            [
                Column("reference", "Reference"),
                Column("title", "Title"),
                Column("quarter", "Quarter"),
                Column("due_by", "Due by"),
                Column("overdue", "Overdue"),
            ],
            [
                [
                    d.action.reference,
                    d.action.title,
                    d.request.quarter,
                    d.request.due_date,
                    "yes" if d.overdue else "no",
                ]
                for d in due
            ],
        ),
        DataTable.from_lists(
            "returned",
            "Returned updates",
            [
                Column("reference", "Reference"),
                Column("quarter", "Quarter"),
                Column("returned_by", "Returned by"),
                Column("comment", "Comment"),
            ],
            [
                [u.action.reference, u.quarter, str(u.reviewed_by or ""), u.review_comment]
                for u in returned
            ],
        ),
        DataTable.from_lists(
            "to-review",
            "Waiting for your approval",
            [
                Column("reference", "Reference"),
                Column("quarter", "Quarter"),
                Column("rag", "RAG"),
                Column("submitted_by", "Submitted by"),
                Column("submitted_at", "Submitted at"),
            ],
            [
                [u.action.reference, u.quarter, u.rag, str(u.submitted_by or ""), u.submitted_at]
                for u in to_review
            ],
        ),
    ]
    if download := download_or_none(request, tables, None):
        return download
    context = {
        "actions": actions,
        "latest": latest,
        "due": due,
        "returned": returned,
        "to_review": to_review,
        "plans": Plan.objects.order_by("title"),
        "can_add": bool(org_ids) or perms.is_superuser(request.user),
    }
    return render(request, "delivery/my_work.html", context)


@login_required
def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_for_partner(request, slug)
    quarter = current_quarter()
    cells = matrix_delivery(plan, quarter)
    assets = list(plan.assets.select_related("lead"))
    strands = list(plan.strands.all())
    rows = []
    for asset in assets:
        rows.append(
            [asset.number, asset.name, "All strands", *_summary_row(cells.get((asset.pk, None)))]
        )
        for strand in strands:
            rows.append(
                [
                    asset.number,
                    asset.name,
                    strand.name,
                    *_summary_row(cells.get((asset.pk, strand.pk))),
                ]
            )
    columns = [
        Column("asset", "Asset", places=0),
        Column("asset_name", "Asset name"),
        Column("strand", "Strand"),
        *SUMMARY_COLUMNS,
    ]
    table = DataTable.from_lists("matrix", "Asset x strand", columns, rows)
    if download := download_or_none(request, [table], None):
        return download
    context = {
        "plan": plan,
        "quarter": quarter,
        "cells": cells,
        "assets": assets,
        "strands": strands,
        "whole": cells.get((None, None)),
    }
    return render(request, "delivery/matrix.html", context)


@login_required
def priorities(request: HttpRequest, slug: str) -> HttpResponse:
    """Priority × commitment: each priority's roll-up and each commitment's beneath it, with the
    delivery-against-outcome flags for the plan. A fixed number of queries."""
    plan = _plan_for_partner(request, slug)
    quarter = current_quarter()
    priority_list = list(
        plan.priorities.prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.order_by("letter"))
        )
    )
    by_priority = priority_delivery(plan, quarter)
    commitment_ids = [c.pk for p in priority_list for c in p.commitments.all()]
    by_commitment = commitment_delivery(commitment_ids, quarter)
    flags = delivery_outcome_flags(plan)
    rows = []
    for p in priority_list:
        rows.append([p.number, "", p.title, *_summary_row(by_priority.get(p.pk))])
        for c in p.commitments.all():
            rows.append([p.number, c.letter, c.text, *_summary_row(by_commitment.get(c.pk))])
    tables = [
        DataTable.from_lists(
            "priorities",
            "Priority x commitment",
            [
                Column("priority", "Priority", places=0),
                Column("commitment", "Commitment"),
                Column("text", "Text"),
                *SUMMARY_COLUMNS,
            ],
            rows,
        ),
        _flags_table(flags),
    ]
    if download := download_or_none(request, tables, None):
        return download
    context = {
        "plan": plan,
        "quarter": quarter,
        "priorities": priority_list,
        "by_priority": by_priority,
        "by_commitment": by_commitment,
        "flags": flags,
        "kinds": FlagKind,
    }
    return render(request, "delivery/priorities.html", context)


def _flags_table(flags) -> DataTable:
    return DataTable.from_lists(
        "outcome-flags",
        "Delivery against outcome",
        [
            Column("kind", "Kind"),
            Column("action", "Action"),
            Column("organisation", "Organisation"),
            Column("commitment", "Commitment"),
            Column("measure", "Measure"),
            Column("delivery_says", "Delivery says"),
            Column("measure_says", "Measure says"),
        ],
        [
            [
                "On track but the outcome is a concern"
                if f.kind is FlagKind.ON_TRACK_BUT_CONCERN
                else "Off track but the outcome improves",
                f.action.reference,
                f.action.lead_organisation.name,
                f.commitment.code,
                f.measure.title,
                f.delivery_says,
                f.outcome_says,
            ]
            for f in flags
        ],
    )


@login_required
def outcome(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_for_partner(request, slug)
    flags = delivery_outcome_flags(plan)
    if download := download_or_none(request, [_flags_table(flags)], None):
        return download
    return render(
        request, "delivery/outcome.html", {"plan": plan, "flags": flags, "kinds": FlagKind}
    )


@login_required
def stale(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_for_partner(request, slug)
    quarter = current_quarter()
    work = stale_work(plan_actions(plan), quarter, dt.date.today())

    def action_rows(actions):
        return [
            [
                a.reference,
                a.title,
                a.lead_organisation.name,
                a.get_status_display(),
                str(a.owner or ""),
                a.due_date,
            ]
            for a in actions
        ]

    columns = [
        Column("reference", "Reference"),
        Column("title", "Title"),
        Column("organisation", "Organisation"),
        Column("status", "Status"),
        Column("owner", "Owner"),
        Column("due", "Due"),
    ]
    tables = [
        DataTable.from_lists(
            "no-update", f"No approved update {quarter}", columns, action_rows(work.no_update)
        ),
        DataTable.from_lists("no-owner", "No owner", columns, action_rows(work.no_owner)),
        DataTable.from_lists(
            "past-due", "Past due, not complete", columns, action_rows(work.past_due)
        ),
        DataTable.from_lists(
            "overdue-milestones",
            "Overdue milestones",
            [
                Column("reference", "Reference"),
                Column("milestone", "Milestone"),
                Column("organisation", "Organisation"),
                Column("due", "Due"),
            ],
            [
                [m.action.reference, m.title, m.action.lead_organisation.name, m.due_date]
                for m in work.overdue_milestones
            ],
        ),
    ]
    if download := download_or_none(request, tables, None):
        return download
    return render(request, "delivery/stale.html", {"plan": plan, "work": work})
