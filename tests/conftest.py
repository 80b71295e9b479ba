"""Fixtures every test folder shares.

Real public data is read from ``../shared/data`` beside the checkout (or ``CRIMEPLAN_SHARED_DATA``)
and never copied into the project; tests that need it skip with a message saying where it was
looked for.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    return Path(os.environ.get("CRIMEPLAN_SHARED_DATA", REPO_DIR.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not (path / "policeuk").is_dir():
        pytest.skip(f"real data not found at {path} (set CRIMEPLAN_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO_DIR


# Fixtures that mean "this test uses the database"; the PostgreSQL pass runs only these tests.
_DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "admin_client",
    "admin_user",
    "django_user_model",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("CRIMEPLAN_DB_TESTS_ONLY") != "1":
        return
    keep, drop = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") is not None or bool(
            _DB_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (keep if uses_db else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


EXAMPLE_PLANS = REPO_DIR / "examples" / "plans"
PCP_SLUG = "essex-police-and-crime-plan-2016-2020"
CPS_SLUG = "essex-crime-prevention-strategy-2021-2025"


@pytest.fixture
def example_plans(db):
    """Both Essex example plans imported, as ``crimeplan plan import`` would."""
    from crimeplan.core.audit import acting_as
    from crimeplan.plans.models import Plan
    from crimeplan.plans.planfile_import import import_plan
    from crimeplan.plans.planfile_validate import validate_file

    for path in sorted(EXAMPLE_PLANS.glob("*.yaml")):
        data, problems = validate_file(path)
        assert problems == [], problems
        with acting_as(label="test:fixture"):
            import_plan(data)
    return {plan.slug: plan for plan in Plan.objects.all()}


@pytest.fixture
def member(db):
    """Make a user with a role in an organisation: ``member("viewer", "essex-pfcc")``."""
    from django.contrib.auth import get_user_model

    from crimeplan.accounts.models import Membership, Organisation

    def make(role: str, organisation: str = "essex-pfcc", username: str | None = None):
        user = get_user_model().objects.create_user(username or f"{role}-user", password="pw-12345")
        org = Organisation.objects.get(slug=organisation)
        Membership.objects.create(user=user, organisation=org, role=role)
        return user

    return make
