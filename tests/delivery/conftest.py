"""Delivery fixtures: the two Essex example plans, organisations for each kind of partner and a
way to make actions and approved updates in one line."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

PCP = "essex-police-and-crime-plan-2016-2020"
CPS = "essex-crime-prevention-strategy-2021-2025"


@pytest.fixture
def plans(example_plans):
    """Both example plans, plus two organisations the plan files do not name: a district
    community safety partnership and a local charity (the voluntary sector's contributors)."""
    from crimeplan.accounts.models import Organisation
    from crimeplan.core.audit import acting_as

    with acting_as(label="test:fixture"):
        Organisation.objects.create(
            slug="chelmsford-csp", name="Chelmsford CSP", kind=Organisation.Kind.CSP
        )
        Organisation.objects.create(
            slug="chelmsford-cvs", name="Chelmsford CVS", kind=Organisation.Kind.VOLUNTARY
        )
    return example_plans


@pytest.fixture
def make_action(plans):
    from crimeplan.accounts.models import Organisation
    from crimeplan.core.audit import acting_as
    from crimeplan.delivery.models import Action
    from crimeplan.plans.models import Asset, Commitment, Strand

    counter = iter(range(1, 100_000))

    def make(
        commitments: tuple[str, ...] = (),
        *,
        asset: int | None = None,
        strand: str | None = None,
        organisation: str = "essex-police",
        status: str = "on_track",
        weight: int = 1,
        reference: str | None = None,
        **fields,
    ) -> Action:
        plan = plans[CPS] if (asset or strand) and not commitments else plans[PCP]
        with acting_as(label="test:fixture"):
            action = Action.objects.create(
                reference=reference or f"T-{next(counter):04d}",
                plan=plan,
                title=fields.pop("title", "Test action"),
                lead_organisation=Organisation.objects.get(slug=organisation),
                status=status,
                weight=weight,
                asset=Asset.objects.get(plan=plans[CPS], number=asset) if asset else None,
                strand=Strand.objects.get(plan=plans[CPS], slug=strand) if strand else None,
                **fields,
            )
            for code in commitments:
                action.commitments.add(
                    Commitment.objects.get(
                        plan=plans[PCP], priority__number=int(code[:-1]), letter=code[-1]
                    )
                )
        return action

    return make


@pytest.fixture
def approve(db):
    """Record an approved update: ``approve(action, "2026-Q4", "green")``."""
    from crimeplan.core.audit import acting_as
    from crimeplan.delivery.models import Update, UpdateState

    def make(action, quarter: str, rag: str, state: str = UpdateState.APPROVED, **fields):
        now = timezone.now()
        with acting_as(label="test:fixture"):
            return Update.objects.create(
                action=action,
                quarter=quarter,
                rag=rag,
                narrative=fields.pop("narrative", f"{quarter} {rag}"),
                progress=fields.pop("progress", 50),
                state=state,
                submitted_at=fields.pop("submitted_at", now),
                reviewed_at=fields.pop(
                    "reviewed_at", now if state != UpdateState.SUBMITTED else None
                ),
                **fields,
            )

    return make


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 15)
