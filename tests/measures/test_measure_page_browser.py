"""A board member opens a measure page in a real browser and checks its numbers."""

from __future__ import annotations

import pytest

from crimeplan.measures.models import Measure

pytestmark = pytest.mark.browser

PCP = "essex-police-and-crime-plan-2016-2020"


def test_measure_page_numbers_match_series_and_are_accessible(
    live_server, crime_store, example_plans, page, axe, screenshot, cli
):
    cli("measures", "compute")
    measure = Measure.objects.get(plan__slug=PCP, key="burglary")
    series = list(measure.series_values.filter(area="E07000070").order_by("period"))

    page.goto(f"{live_server.url}/plans/{PCP}/measures/")
    page.get_by_role("link", name="Burglary").first.click()
    page.get_by_label("Area", exact=True).select_option("E07000070")
    page.get_by_role("button", name="Show area").click()
    assert page.locator("h1").inner_text().startswith("Burglary")

    rows = page.locator('[data-testid="series"] tbody tr')
    assert rows.count() == len(series)
    for i, point in enumerate(series):
        cells = rows.nth(i)
        assert cells.locator("th").inner_text().startswith(point.period)
        assert float(cells.locator("td").nth(0).inner_text().replace(",", "")) == point.value

    chart = page.locator("figure svg[role=img]")
    assert chart.count() == 1
    assert chart.get_attribute("aria-labelledby")
    assert "Burglary in Chelmsford" in chart.locator("title").text_content()
    assert page.locator('[data-icon="variation-concern-high"]').count() == 1
    assert "Burglary in Chelmsford shows" in page.locator('[data-testid="reading"]').inner_text()
    screenshot(page, "measure-page")
    violations = axe(page)
    assert violations == [], [(v["id"], v["help"], v["nodes"]) for v in violations]

    page.goto(f"{live_server.url}/plans/{PCP}/measures/districts/")
    assert page.locator('[data-testid="districts"] tbody tr').count() == 14
    violations = axe(page)
    assert violations == [], [(v["id"], v["help"], v["nodes"]) for v in violations]

    # From the priority page to a commitment's page: each measure judged in every area.
    page.goto(f"{live_server.url}/plans/{PCP}/priorities/1/")
    page.get_by_role("link", name="Commitment 1d", exact=True).click()
    assert page.locator("h1").inner_text() == "Commitment 1d"
    areas = page.locator('[data-testid="areas-burglary"] tbody tr')
    assert areas.count() == measure.series_values.values("area").distinct().count() == 15
    chelmsford = (
        page.locator('[data-testid="areas-burglary"] tbody tr')
        .filter(has=page.locator('a[href$="area=E07000070"]'))
        .locator("td")
    )
    assert chelmsford.nth(0).inner_text() == series[-1].period
    assert float(chelmsford.nth(1).inner_text()) == series[-1].value
    screenshot(page, "commitment-page")
    violations = axe(page)
    assert violations == [], [(v["id"], v["help"], v["nodes"]) for v in violations]
