"""Governance fixtures: the example plans with fixed, hand-made figures, actions, updates and
board decisions, so a report's every number can be worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

PCP = "essex-police-and-crime-plan-2016-2020"
PRSB = "performance-resource-and-scrutiny-board"

# Burglary in the force area, 2023-01 to 2025-06: steady about 100, then a jump in the last
# three months that is far above the upper process limit (special-cause concern; lower is
# better). Every other measure has no data.
STEADY = [100, 104, 98, 102, 96, 101, 99, 103, 97, 100, 102, 98]
BURGLARY = {f"{2023 + i // 12}-{i % 12 + 1:02d}": float(STEADY[i % 12]) for i in range(27)} | {
    "2025-04": 160.0,
    "2025-05": 170.0,
    "2025-06": 180.0,
    "2025-07": 999.0,
}


def set_series(measure, values: dict[str, float], area: str = "force") -> None:
    from crimeplan.measures.models import SeriesValue

    SeriesValue.objects.filter(measure=measure, area=area).delete()
    SeriesValue.objects.bulk_create(
        SeriesValue(measure=measure, area=area, period=p, value=v) for p, v in values.items()
    )


@pytest.fixture
def board_data(example_plans):
    """The PCP's scrutiny board with one meeting, an overdue action and two delivery actions:
    1d on track with a green Q2 update (burglary, evidencing 1d, raises concern: they
    disagree), and 1b off track whose latest approved update is Q1 and red (stale, red)."""
    from crimeplan.accounts.models import Organisation
    from crimeplan.core.audit import acting_as
    from crimeplan.delivery.models import Action, Update
    from crimeplan.governance.models import Decision, Meeting
    from crimeplan.plans.models import Board

    plan = example_plans[PCP]
    board = Board.objects.get(plan=plan, slug=PRSB)
    police = Organisation.objects.get(slug="essex-police")
    set_series(plan.measures.get(key="burglary"), BURGLARY)
    with acting_as(label="test:fixture"):
        meeting = Meeting.objects.create(board=board, date=dt.date(2025, 4, 24), title="Q1")
        Decision.objects.create(
            board=board,
            meeting=meeting,
            reference="PRSB-T-1",
            text="Report on burglary in Basildon.",
            owner_organisation=police,
            due_date=dt.date(2025, 5, 31),
            measure=plan.measures.get(key="burglary"),
        )
        Decision.objects.create(
            board=board,
            meeting=meeting,
            reference="PRSB-T-2",
            text="Agree the quarterly report.",
            status=Decision.Status.DONE,
            closed_on=dt.date(2025, 4, 24),
            due_date=dt.date(2025, 4, 24),
        )
        on_track = Action.objects.create(
            reference="PCP-1D-01",
            plan=plan,
            title="Rural crime patrols",
            lead_organisation=police,
            status="on_track",
            progress=40,
        )
        on_track.commitments.add(plan.commitments.get(priority__number=1, letter="d"))
        off_track = Action.objects.create(
            reference="PCP-1B-01",
            plan=plan,
            title="Recruit Special Constables",
            lead_organisation=police,
            status="off_track",
            progress=10,
            due_date=dt.date(2025, 3, 31),
        )
        off_track.commitments.add(plan.commitments.get(priority__number=1, letter="b"))
        now = timezone.now()
        for action, quarter, rag, text in (
            (on_track, "2025-Q2", "green", "Patrols running in six districts."),
            (on_track, "2025-Q3", "red", "A later quarter's update: not in the Q2 report."),
            (off_track, "2025-Q1", "red", "Recruitment paused."),
        ):
            Update.objects.create(
                action=action,
                quarter=quarter,
                rag=rag,
                narrative=text,
                progress=action.progress,
                state="approved",
                submitted_at=now,
                reviewed_at=now,
            )
    return board


@pytest.fixture
def report_q2(board_data):
    from crimeplan.core.audit import acting_as
    from crimeplan.governance.quarters import Quarter
    from crimeplan.governance.reports import generate_report

    with acting_as(label="test:report"):
        return generate_report(board_data, Quarter.parse("2025-Q2"), today=dt.date(2025, 7, 10))
