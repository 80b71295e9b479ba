"""`crimeplan demo` (what `make demo` runs) loads everything, labels it synthetic, and is
idempotent."""

from __future__ import annotations

from click.testing import CliRunner
from django.contrib.auth import get_user_model
from factories import EXAMPLE_PLANS

from crimeplan.core.demo_data import SYNTHETIC_SOURCE
from crimeplan.crimedata.store import CrimeStore
from crimeplan.measures.models import ComputeRun, ManualValue, Measure, SeriesValue
from crimeplan.plans.models import Plan

# The demo loads every plan file in examples/plans.
EXAMPLE_PLAN_FILES = sorted(EXAMPLE_PLANS.glob("*.yaml"))


def _run(months: str = "2025-01:2025-03", *extra: str) -> str:
    from crimeplan.cli import cli

    result = CliRunner().invoke(cli, ["demo", "--months", months, *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_demo_loads_plans_users_and_labelled_synthetic_data(db, settings, tmp_path, client):
    settings.DEBUG = True  # the demo refuses to set known passwords otherwise
    settings.CRIMEPLAN_HOME = tmp_path
    settings.CRIMEPLAN_DATA_DIR = tmp_path / "crimedata"
    text = _run()
    # A short summary: one line per step and the log-ins, the detail kept back.
    assert len(text.splitlines()) < 25, text
    assert "measures: done (" in text and "KSI by month" not in text
    assert Plan.objects.count() == len(EXAMPLE_PLAN_FILES) > 1
    assert "officer  Scrutiny officer" in text and "crimeplan-demo" in text
    assert get_user_model().objects.get(username="admin").is_superuser

    con = CrimeStore(settings.CRIMEPLAN_DATA_DIR).connect()
    months, synthetic = con.execute(
        "SELECT count(DISTINCT month), bool_and(synthetic) FROM street"
    ).fetchone()
    assert (months, synthetic) == (3, True)
    assert con.execute("SELECT count(*) FROM ksi").fetchone()[0] > 0
    assert set(ManualValue.objects.values_list("source", flat=True)) == {SYNTHETIC_SOURCE}
    assert ComputeRun.objects.get().synthetic is True
    ksi = Measure.objects.get(key="road-ksi")
    assert SeriesValue.objects.filter(measure=ksi, area="force").count() == 3
    assert 'data-testid="synthetic"' in client.get("/").content.decode()
    from crimeplan.governance.models import Decision, Meeting, Report

    assert "  governance: done (" in text
    published = Report.objects.get(published_at__isnull=False)
    assert (published.quarter, published.version, published.snapshot["synthetic"]) == (
        "2025-Q2",
        1,
        True,
    )
    meetings, decisions = Meeting.objects.count(), Decision.objects.count()

    points = SeriesValue.objects.count()
    manual = ManualValue.objects.count()
    catalog = (settings.CRIMEPLAN_DATA_DIR / "catalog.json").read_text()
    detail = _run("2025-01:2025-03", "--detail")
    assert "KSI by month" in detail
    assert "governance demo: 3 meetings, 5 decisions and actions; published report" in detail
    assert Plan.objects.count() == len(EXAMPLE_PLAN_FILES) > 1
    assert SeriesValue.objects.count() == points
    assert ManualValue.objects.count() == manual
    assert (settings.CRIMEPLAN_DATA_DIR / "catalog.json").read_text() == catalog
    assert (Meeting.objects.count(), Decision.objects.count()) == (meetings, decisions)
    assert Report.objects.get().pk == published.pk  # no second version
