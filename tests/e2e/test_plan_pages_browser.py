"""A member of the public opens the plan in a real browser."""

from __future__ import annotations

import pytest
from factories import commitment_codes, example_plan

pytestmark = pytest.mark.browser

PCP = "essex-police-and-crime-plan-2016-2020"
CPS = "essex-crime-prevention-strategy-2021-2025"


def _describe(violations):
    return str([(v["id"], v["impact"], v["help"], v["nodes"]) for v in violations])


def test_plan_page_shows_all_priorities_and_commitments(
    live_server, example_plans, page, axe, screenshot
):
    page.goto(f"{live_server.url}/plans/{PCP}/")
    assert page.title() == "Police and Crime Plan 2016–2020 – crimeplan"
    expected = example_plan(PCP)
    titles = [f"{p['number']}. {p['title']}" for p in expected["priorities"]]
    codes = commitment_codes(expected)
    assert len(titles) > 1 and len(codes) > len(titles)
    priorities = page.locator("section h3")
    assert priorities.all_inner_texts() == titles
    commitments = page.locator("li.cp-commitment")
    assert commitments.count() == len(codes)
    assert commitments.nth(0).inner_text().startswith(codes[0])
    assert commitments.nth(len(codes) - 1).inner_text().startswith(codes[-1])
    # The stylesheet loaded (GOV.UK typography is Arial here, never GDS Transport).
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert font.lower().startswith("arial")
    shot = screenshot(page, "plan-page")
    assert shot.stat().st_size > 10_000
    violations = axe(page)
    assert violations == [], _describe(violations)


def test_priority_and_strategy_pages_are_accessible(
    live_server, example_plans, page, axe, screenshot
):
    third = next(p for p in example_plan(PCP)["priorities"] if p["number"] == 3)
    page.goto(f"{live_server.url}/plans/{PCP}/")
    page.get_by_role("link", name=f"3. {third['title']}").click()
    assert page.locator("h1").inner_text() == third["title"]
    # One summary row a commitment.
    assert page.locator("dl .govuk-summary-list__key").count() == len(third["commitments"]) > 0
    assert axe(page) == []

    strategy = example_plan(CPS)
    named = f"{len(strategy['strands'])} of {strategy['strands_expected']} strands named."
    page.goto(f"{live_server.url}/plans/{CPS}/")
    assert named in page.locator("#assets-and-strands + p").inner_text()
    screenshot(page, "strategy-page")
    violations = axe(page)
    assert violations == [], _describe(violations)


def test_sign_in_and_edit_a_commitment(live_server, example_plans, member, page, axe):
    member("scrutiny_officer", "essex-pfcc", username="officer1")
    page.goto(f"{live_server.url}/accounts/login/?next=/plans/{PCP}/priorities/1/")
    assert axe(page) == []
    page.get_by_label("Username").fill("officer1")
    page.get_by_label("Password").fill("pw-12345")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Change commitment 1c").click()
    page.get_by_label("Text").fill("Give every front line officer a tablet.")
    page.get_by_role("button", name="Save commitment").click()
    assert "Give every front line officer a tablet." in page.locator("#commitment-1c").inner_text()
    page.goto(f"{live_server.url}/plans/{PCP}/history/")
    entry = page.locator("[data-testid=history] > li").first
    assert "officer1" in entry.inner_text()
    assert "Give every front line officer a tablet." in entry.inner_text()
    assert axe(page) == []
