"""Delivery fixtures: the two Essex example plans, organisations for each kind of partner and a
way to make actions and approved updates in one line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

EXAMPLE_PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"
PCP = "essex-police-and-crime-plan-2016-2020"
CPS = "essex-crime-prevention-strategy-2021-2025"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Test users get a fast hash: the real one (PBKDF2) costs about a second per user here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _load_plans() -> None:
    from crimeplan.accounts.models import Organisation
    from crimeplan.core.audit import acting_as
    from crimeplan.planfile import import_plan, validate_file

    with acting_as(label="test:fixture"):
        for path in sorted(EXAMPLE_PLANS.glob("*.yaml")):
            data, problems = validate_file(path)
            assert problems == [], problems
            import_plan(data)
        Organisation.objects.create(
            slug="chelmsford-csp", name="Chelmsford CSP", kind=Organisation.Kind.CSP
        )
        Organisation.objects.create(
            slug="chelmsford-cvs", name="Chelmsford CVS", kind=Organisation.Kind.VOLUNTARY
        )


@pytest.fixture(scope="module")
def _plans_once(django_db_setup, django_db_blocker):
    """The example plans are imported once per test module, inside a transaction that is rolled
    back when the module ends; each test runs in a savepoint inside it (pytest-django's ``db``),
    so tests still cannot see each other's changes."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            _load_plans()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def plans(_plans_once, db):
    """Both example plans, plus two organisations the plan files do not name: a district
    community safety partnership and a local charity (the voluntary sector's contributors)."""
    from crimeplan.plans.models import Plan

    return {plan.slug: plan for plan in Plan.objects.all()}


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
