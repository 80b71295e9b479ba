"""A Kent plan, on a site that also holds the Essex plans: its pages answer with Kent's districts
and pass axe. The plan is `crimeplan plan new --force kent`'s starter, with its words written."""

from __future__ import annotations

import pytest

from crimeplan.crimedata.districts import districts_for

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

MAIDSTONE = "E07000110"


@pytest.fixture
def kent_plan(db, kent_store, example_plans, settings, tmp_path, cli):
    """The session's Kent store (no Essex data beside it) and a Kent plan on an Essex site."""
    from crimeplan.core.audit import acting_as
    from crimeplan.measures.compute import compute_measures
    from crimeplan.measures.models import Measure
    from crimeplan.planfile import import_plan, validate_text

    settings.CRIMEPLAN_DATA_DIR = kent_store[0].root
    settings.CRIMEPLAN_FORCE = "essex"  # the site's own force; the Kent plan names its force
    path = tmp_path / "kent.yaml"
    cli("plan", "new", "--force", "kent", "--start", "2025", "-o", path)
    text = path.read_text().replace("TO WRITE: ", "").replace("status: draft", "status: published")
    data, problems = validate_text(text)
    assert problems == []
    with acting_as(label="test:kent"):
        plan = import_plan(data).plan
    compute_measures(Measure.objects.filter(plan=plan).select_related("plan"))
    return plan


def _describe(violations):
    return str([(v["id"], v["impact"], v["help"], v["nodes"]) for v in violations])


def test_kent_plan_pages_answer_with_kent_districts_and_pass_axe(
    live_server, kent_plan, page, axe, screenshot, settings
):
    kent_names = [d.name for d in districts_for("kent")]
    base = f"{live_server.url}/plans/{kent_plan.slug}"
    for url in (f"{base}/", f"{base}/measures/", f"{base}/measures/all-crime/"):
        response = page.goto(url)
        assert response.status == 200, url
        violations = axe(page)
        assert violations == [], (url, _describe(violations))

    response = page.goto(f"{base}/measures/districts/")
    assert response.status == 200
    rows = page.locator("[data-testid=districts] tbody th")
    assert sorted(rows.all_inner_texts()) == sorted(kent_names)
    screenshot(page, "kent-district-comparison")
    assert axe(page) == [], _describe(axe(page))

    # A district's hotspot page uses the district's force, on this Essex site too.
    response = page.goto(f"{live_server.url}/hotspots/{MAIDSTONE}/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Maidstone"
    page.wait_for_selector("#hotspot-map[data-ready=true]", timeout=15_000)
    # Every hot square is listed (w10), not only the top ten.
    rows = page.locator("[data-testid=hottest] tbody tr").all_inner_texts()
    assert len(rows) > 10 and all("hot" in row for row in rows)
    violations = axe(page)
    assert violations == [], _describe(violations)

    # The list of districts is the site's own force's: a Kent deployment names it once.
    settings.CRIMEPLAN_FORCE = "kent"
    response = page.goto(f"{live_server.url}/hotspots/")
    assert response.status == 200
    for name in ("Maidstone", "Medway", "Thanet"):
        assert page.get_by_role("link", name=name).count() == 1
    assert axe(page) == []
