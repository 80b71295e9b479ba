"""Fixtures every test folder shares.

Real public data is read from ``../shared/data`` beside the checkout (or ``CRIMEPLAN_SHARED_DATA``)
and never copied into the project; tests that need it skip with a message saying where it was
looked for.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests draw fewer examples on a developer's machine and the full count in CI
# (``.ci/run`` runs with CI=true); tests that name their own count scale it with
# ``factories.examples``.
hypothesis_settings.register_profile("ci", deadline=None)
hypothesis_settings.register_profile("dev", max_examples=20, deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "dev")

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
def real_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """Every police.uk file in the shared data, then the geography, loaded once per session."""
    from crimeplan.crimedata.geography import load_geography
    from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
    from crimeplan.crimedata.store import CrimeStore

    store = CrimeStore(tmp_path_factory.mktemp("real") / "store")
    report = ingest_policeuk(store, [shared_data / "policeuk"])
    geography = load_geography(store, shared_data / "geo")
    return store, report, geography


@pytest.fixture(scope="session")
def kent_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """The second force, loaded once per session from its folder alone: Kent's boundary files
    (the force is found from them) and its six months of police.uk files. Returns the store, the
    geography and ingest results, and the folder, for tests to count the raw files themselves."""
    from crimeplan.crimedata.geography import load_geography
    from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
    from crimeplan.crimedata.store import CrimeStore

    kent = shared_data / "kent"
    if not (kent / "policeuk").is_dir():
        pytest.skip(f"Kent data not found at {kent}")
    store = CrimeStore(tmp_path_factory.mktemp("kent") / "store")
    geography = load_geography(store, kent / "geo")
    report = ingest_policeuk(store, [kent / "policeuk"])
    assert not report.failed, report.problems
    return store, geography, report, kent


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
def cli():
    """Run ``crimeplan ...`` in this process: ``cli("plan", "import", path, exit_code=0)``.

    Returns click's result (``.stdout``, ``.stderr``, ``.exit_code``) after checking the exit
    status, so a test of a refusal says which status it expects (1 bad input, 2 usage).
    """
    from click.testing import CliRunner

    from crimeplan.cli import cli as root

    def invoke(*args: object, exit_code: int = 0):
        result = CliRunner().invoke(root, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == exit_code, result.output
        return result

    return invoke


@pytest.fixture
def example_plans(db):
    """Both Essex example plans imported, as ``crimeplan plan import`` would."""
    from crimeplan.core.audit import acting_as
    from crimeplan.planfile import import_plan, validate_file
    from crimeplan.plans.models import Plan

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


# Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.
# Never downloads a browser; axe-core comes from npm and any serious or critical violation fails.
CHROMIUM = os.environ.get("CRIMEPLAN_CHROMIUM", "/usr/bin/chromium")
AXE = REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO_DIR / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian chromium is missing: run `make system-deps` (apt-get install chromium)")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while the browser is open;
    # the ORM calls tests make to set up data are ordinary synchronous calls, so Django's async
    # guard is lifted while the browser lives, and put back after (a deploy check must not see it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe() -> Callable[[object], list[dict]]:
    """Run axe-core (WCAG 2.0–2.2 A and AA rules) and return serious or critical violations."""

    def run(page) -> list[dict]:
        # Evaluated through the DevTools protocol rather than added as a <script> tag: the
        # site's Content-Security-Policy refuses inline scripts, and must stay on under test.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
        )
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        for violation in serious:
            violation["nodes"] = [n["target"] for n in violation["nodes"]][:5]
        return serious

    return run


@pytest.fixture
def screenshot() -> Callable[[object, str], Path]:
    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
