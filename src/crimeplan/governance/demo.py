"""Governance demo data: a few board meetings and decisions, and one published report.

Every meeting's minutes say it is a demo record; people are named by post, not by name.
Idempotent: records are keyed on their natural keys, and the published report is made only when
the board has no published report for the quarter yet.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from crimeplan.accounts.models import Organisation
from crimeplan.core.audit import acting_as
from crimeplan.governance.models import AgendaItem, Attendance, Decision, Meeting, Report
from crimeplan.governance.quarters import Quarter
from crimeplan.governance.reports import generate_report, publish
from crimeplan.plans.models import Board

PCP = "essex-police-and-crime-plan-2016-2020"
CPS = "essex-crime-prevention-strategy-2021-2025"
PRSB = "performance-resource-and-scrutiny-board"
DEMO_NOTE = "Demo record (synthetic): not a real meeting."
PUBLISHED_QUARTER = "2025-Q2"

MEETINGS = [
    # plan, board, date, title, attendance {organisation: people}, agenda [(title, concerns)]
    (
        PCP,
        PRSB,
        date(2025, 4, 24),
        "Quarter 1 performance review",
        {
            "essex-pfcc": "Commissioner; Head of Performance and Scrutiny",
            "essex-police": "Chief Constable; Assistant Chief Constable (Local Policing)",
        },
        [("Quarterly report: 2025-Q1", {}), ("Burglary", {"measure": "burglary"})],
    ),
    (
        PCP,
        PRSB,
        date(2025, 7, 24),
        "Quarter 2 performance review",
        {
            "essex-pfcc": "Commissioner; Head of Performance and Scrutiny",
            "essex-police": "Deputy Chief Constable",
        },
        [
            ("Quarterly report: 2025-Q2", {}),
            ("Special Constabulary", {"commitment": (1, "b")}),
            ("Road safety", {"priority": 7}),
        ],
    ),
    (
        CPS,
        "safer-essex",
        date(2025, 6, 12),
        "Scrutiny of progress across the five assets",
        {
            "safer-essex": "Chair; partnership manager",
            "essex-police": "Superintendent, crime prevention",
            "ecvs-network": "Network chief executive",
        },
        [("Asset 4 and 5 mobilisation", {})],
    ),
]

DECISIONS = [
    # plan, board, meeting date, reference, kind, text, owner org, owner name, due, status,
    # closed_on, concerns
    (
        PCP,
        PRSB,
        date(2025, 4, 24),
        "PRSB-2025-01",
        "action",
        "Report the causes of the rise in burglary in the districts most affected, with the "
        "force's response.",
        "essex-police",
        "Assistant Chief Constable (Local Policing)",
        date(2025, 7, 24),
        "done",
        date(2025, 7, 24),
        {"measure": "burglary"},
    ),
    (
        PCP,
        PRSB,
        date(2025, 4, 24),
        "PRSB-2025-02",
        "action",
        "Set out the plan and milestones for doubling the Special Constabulary.",
        "essex-police",
        "Head of the Special Constabulary",
        date(2025, 9, 30),
        "in_progress",
        None,
        {"commitment": (1, "b")},
    ),
    (
        PCP,
        PRSB,
        date(2025, 7, 24),
        "PRSB-2025-03",
        "decision",
        "The 2025-Q2 quarterly report is agreed for publication.",
        "essex-pfcc",
        "Head of Performance and Scrutiny",
        date(2025, 7, 31),
        "done",
        date(2025, 7, 25),
        {},
    ),
    (
        PCP,
        PRSB,
        date(2025, 7, 24),
        "PRSB-2025-04",
        "action",
        "Bring a road safety deep dive, with the Safer Essex Roads Partnership, to the next "
        "meeting.",
        "essex-pfcc",
        "Head of Performance and Scrutiny",
        date(2025, 10, 23),
        "open",
        None,
        {"priority": 7},
    ),
    (
        CPS,
        "safer-essex",
        date(2025, 6, 12),
        "SE-2025-01",
        "action",
        "Confirm the asset 5 lead's delivery plan and the funding bids it will align.",
        "ecvs-network",
        "Network chief executive",
        date(2025, 9, 30),
        "open",
        None,
        {},
    ),
]


def _concerns(board: Board, spec: dict) -> dict:
    plan = board.plan
    found: dict = {}
    if "priority" in spec:
        found["priority"] = plan.priorities.get(number=spec["priority"])
    if "commitment" in spec:
        number, letter = spec["commitment"]
        found["commitment"] = plan.commitments.get(priority__number=number, letter=letter)
    if "measure" in spec:
        found["measure"] = plan.measures.get(key=spec["measure"])
    return found


def load_governance_demo(with_report: bool = True) -> str:
    made = 0
    with acting_as(label="demo"), transaction.atomic():
        for plan, slug, day, title, attendance, agenda in MEETINGS:
            board = Board.objects.select_related("plan").get(plan__slug=plan, slug=slug)
            meeting, _ = Meeting.objects.update_or_create(
                board=board, date=day, defaults={"title": title, "minutes": DEMO_NOTE}
            )
            for org, people in attendance.items():
                Attendance.objects.update_or_create(
                    meeting=meeting,
                    organisation=Organisation.objects.get(slug=org),
                    defaults={"people": people},
                )
            for order, (item, concerns) in enumerate(agenda, start=1):
                AgendaItem.objects.update_or_create(
                    meeting=meeting,
                    order=order,
                    defaults={"title": item, **_concerns(board, concerns)},
                )
            made += 1
        for (
            plan,
            slug,
            day,
            ref,
            kind,
            text,
            org,
            owner,
            due,
            status,
            closed,
            concerns,
        ) in DECISIONS:
            board = Board.objects.select_related("plan").get(plan__slug=plan, slug=slug)
            Decision.objects.update_or_create(
                board=board,
                reference=ref,
                defaults={
                    "meeting": board.meetings.get(date=day),
                    "kind": kind,
                    "text": text,
                    "owner_organisation": Organisation.objects.get(slug=org),
                    "owner_name": owner,
                    "due_date": due,
                    "status": status,
                    "closed_on": closed,
                    **_concerns(board, concerns),
                },
            )
    message = f"governance demo: {made} meetings, {len(DECISIONS)} decisions and actions"
    if with_report:
        board = Board.objects.select_related("plan").get(plan__slug=PCP, slug=PRSB)
        published = Report.objects.filter(
            board=board, quarter=PUBLISHED_QUARTER, published_at__isnull=False
        ).first()
        if published is None:
            with acting_as(label="demo"):
                published = publish(generate_report(board, Quarter.parse(PUBLISHED_QUARTER)))
        message += f"; published report {published} ({published.pages} pages)"
    return message
