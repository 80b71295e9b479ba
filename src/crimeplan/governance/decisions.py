"""The decisions and actions log as other pages show it: on what each item concerns."""

from __future__ import annotations

from django.db.models import Q

from crimeplan.governance.models import Decision


def decisions_about(**concerns: object) -> list[Decision]:
    """Boards' decisions and actions about a priority, commitment, measure or action (keyword
    per kind, e.g. ``decisions_about(commitment=c)``), open items first, by due date."""
    query = Q()
    for field, value in concerns.items():
        query |= Q(**{field: value})
    found = Decision.objects.filter(query).select_related(
        "board__plan",
        "meeting",
        "owner_organisation",
        "priority",
        "commitment__priority",
        "measure",
    )
    return sorted(found, key=lambda d: (not d.is_open, d.due_date or d.meeting.date, d.reference))
