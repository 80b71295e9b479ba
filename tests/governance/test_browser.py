"""The board page and a published report in a real browser: axe finds nothing serious."""

from __future__ import annotations

import pytest
from factories import example_plan

from .conftest import PCP, PRSB

pytestmark = pytest.mark.browser


def _describe(violations):
    return str([(v["id"], v["impact"], v["help"], v["nodes"]) for v in violations])


def test_board_and_report_pages_are_accessible(
    live_server, report_q2, member, page, axe, screenshot
):
    from crimeplan.core.audit import acting_as
    from crimeplan.governance.reports import publish

    with acting_as(label="test"):
        publish(report_q2)
    member("scrutiny_officer", "essex-pfcc", username="officer1")
    page.goto(f"{live_server.url}/accounts/login/?next=/plans/{PCP}/boards/{PRSB}/")
    page.get_by_label("Username").fill("officer1")
    page.get_by_label("Password").fill("pw-12345")
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Performance, Resource and Scrutiny Board"
    assert page.get_by_role("button", name="Generate report").is_visible()
    assert page.locator("[data-testid=reports]").inner_text().count("Published") == 1
    screenshot(page, "governance-board-page")
    violations = axe(page)
    assert violations == [], _describe(violations)

    page.get_by_role("link", name="Read 2025-Q2 version 1").click()
    assert page.title() == (
        "Performance, Resource and Scrutiny Board: quarterly report, 2025-Q2 (version 1)"
    )
    grades = page.locator("[data-testid=grades] tbody tr")
    assert grades.count() == len(example_plan(PCP)["priorities"]) > 1  # one row a priority
    assert "Inadequate" in grades.nth(0).inner_text()
    # The chart is a vector drawing with a text alternative, inside the page.
    chart = page.locator("#chart-burglary svg")
    assert chart.get_attribute("role") == "img"
    screenshot(page, "governance-report-page")
    violations = axe(page)
    assert violations == [], _describe(violations)
    # Reflow at 320 px: nothing wider than the viewport but the scrolling table regions.
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 330, overflow
