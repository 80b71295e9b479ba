"""The delivery sections of a quarterly report: actions with RAG and their latest approved
update, stale and overdue actions, funding and volunteering totals.

Everything is read as at the report's quarter: an update counts only if it is approved and for
that quarter or an earlier one (a later quarter's update is not in a Q2 report), and volunteer
hours are totalled to the quarter's end. Returned as plain data for the snapshot.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Sum

from crimeplan.delivery.models import (
    CLOSED_STATUSES,
    Action,
    FundingBid,
    Update,
    UpdateState,
    VolunteerHours,
)
from crimeplan.governance.grading import ActionEvidence
from crimeplan.governance.quarters import Quarter
from crimeplan.plans.models import Plan

AWARDED = (FundingBid.Status.AWARDED, FundingBid.Status.PART_AWARDED)


def gather(plan: Plan, quarter: Quarter) -> dict[str, Any]:
    q = str(quarter)
    actions = list(
        Action.objects.filter(plan=plan)
        .select_related("lead_organisation", "asset", "strand")
        .prefetch_related("commitments__priority")
        .order_by("reference")
    )
    latest: dict[int, Update] = {}
    for update in Update.objects.filter(
        action__plan=plan, state=UpdateState.APPROVED, quarter__lte=q
    ).order_by("action_id", "-quarter", "-reviewed_at", "-id"):
        latest.setdefault(update.action_id, update)
    by_commitment: dict[str, list[dict[str, Any]]] = defaultdict(list)
    matrix_counts: dict[str, int] = defaultdict(int)
    found: list[dict[str, str]] = []
    for action in actions:
        row = _action_row(action, latest.get(action.pk), quarter)
        for commitment in action.commitments.all():
            by_commitment[commitment.code].append(row)
        if action.asset and action.strand:
            matrix_counts[f"{action.asset.number}/{action.strand.slug}"] += 1
        subject = f"{action.reference} {action.title}"
        if row["stale"]:
            found.append(
                {
                    "kind": "Stale action",
                    "subject": subject,
                    "text": f"No approved update for {q}"
                    + (
                        f"; the latest is for {row['latest_update']['quarter']}."
                        if row["latest_update"]
                        else "; none approved yet."
                    ),
                    "key": action.reference,
                }
            )
        if row["overdue"]:
            found.append(
                {
                    "kind": "Overdue action",
                    "subject": subject,
                    "text": f"Due {row['due_date']} and {row['status_label'].lower()}.",
                    "key": action.reference,
                }
            )
    return {
        "by_commitment": dict(by_commitment),
        "matrix_counts": dict(matrix_counts),
        "actions": len(actions),
        "exceptions": found,
        "funding": _funding(plan),
        "volunteering": _volunteering(plan, quarter),
    }


def _action_row(action: Action, update: Update | None, quarter: Quarter) -> dict[str, Any]:
    closed = action.status in CLOSED_STATUSES
    return {
        "reference": action.reference,
        "title": action.title,
        "status": action.status,
        "status_label": action.get_status_display(),
        "rag": update.rag if update else None,
        "progress": action.progress,
        "due_date": action.due_date.isoformat() if action.due_date else "",
        "lead": action.lead_organisation.name,
        "latest_update": {
            "quarter": update.quarter,
            "rag": update.rag,
            "narrative": update.narrative,
            "next_steps": update.next_steps,
        }
        if update
        else None,
        "stale": not closed and (update is None or update.quarter < str(quarter)),
        "overdue": not closed and action.due_date is not None and action.due_date < quarter.end,
    }


def _funding(plan: Plan) -> dict[str, Any]:
    bids = FundingBid.objects.filter(plan=plan)
    totals = bids.aggregate(n=Count("pk"), asked=Sum("amount_asked"))
    awarded = bids.filter(status__in=AWARDED).aggregate(n=Count("pk"), sum=Sum("amount_awarded"))
    rows = [
        {"id": "bids", "label": "Funding bids recorded", "value": totals["n"], "places": 0},
        {
            "id": "asked",
            "label": "Amount asked for",
            "value": float(totals["asked"] or 0),
            "places": 2,
            "prefix": "£",
        },
        {
            "id": "awarded_bids",
            "label": "Bids awarded in full or in part",
            "value": awarded["n"],
            "places": 0,
        },
        {
            "id": "awarded",
            "label": "Amount awarded",
            "value": float(awarded["sum"] or 0),
            "places": 2,
            "prefix": "£",
        },
    ]
    return {"totals": rows if totals["n"] else [], "note": "every bid recorded for the plan"}


def _volunteering(plan: Plan, quarter: Quarter) -> dict[str, Any]:
    q = str(quarter)
    hours = VolunteerHours.objects.filter(plan=plan)
    in_quarter = hours.filter(quarter=q).aggregate(
        h=Sum("hours"), orgs=Count("organisation", distinct=True)
    )
    to_date = hours.filter(quarter__lte=q).aggregate(h=Sum("hours"))
    rate = Decimal(str(settings.CRIMEPLAN_VOLUNTEER_HOURLY_RATE))
    total = to_date["h"] or Decimal(0)
    if not total:
        return {"totals": [], "note": ""}
    return {
        "totals": [
            {
                "id": "hours_quarter",
                "label": f"Volunteer hours in {q}",
                "value": float(in_quarter["h"] or 0),
                "places": 1,
            },
            {
                "id": "organisations_quarter",
                "label": f"Organisations reporting hours in {q}",
                "value": in_quarter["orgs"],
                "places": 0,
            },
            {
                "id": "hours_to_date",
                "label": f"Volunteer hours to the end of {q}",
                "value": float(total),
                "places": 1,
            },
            {
                "id": "value_to_date",
                "label": f"Estimated value of those hours at £{rate} an hour",
                "value": float(total * rate),
                "places": 2,
                "prefix": "£",
            },
        ],
        "note": "an estimate, valued at a fixed hourly rate",
    }


def evidence(action: dict[str, Any]) -> ActionEvidence:
    return ActionEvidence(action["reference"], action["status"], action["rag"], action["stale"])
