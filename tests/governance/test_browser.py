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
    _reflows(page)  # the table of report versions scrolls inside its region

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


def _reflows(page, width: int = 320) -> None:
    """Nothing wider than a 320 px screen (WCAG 1.4.10); the width is put back after."""
    before = page.viewport_size
    page.set_viewport_size({"width": width, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth")
    widest = page.evaluate(
        """w => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 10 && !e.closest('.cp-scroll'))
            .slice(-3).map(e => e.outerHTML.slice(0, 120))""",
        width,
    )
    assert overflow <= width + 10, (page.url, overflow, widest)
    page.set_viewport_size(before)


def _accessible(page, axe) -> None:
    violations = axe(page)
    assert violations == [], _describe(violations)


def _banner_says(page, words: str) -> None:
    banner = page.get_by_test_id("notification")
    assert words in banner.inner_text(), banner.inner_text()
    # GOV.UK Frontend moves focus to a success banner, so a screen reader announces it.
    page.wait_for_function(
        "document.activeElement && document.activeElement.dataset.testid === 'notification'",
        timeout=5_000,
    )


def _summary_has_focus(page, message: str) -> None:
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error: ")
    assert message in page.locator(".govuk-error-summary").inner_text()
    page.wait_for_function(
        "document.activeElement && document.activeElement.classList.contains("
        "'govuk-error-summary')",
        timeout=5_000,
    )


def test_a_secretary_records_a_meeting_and_closes_its_action(
    live_server, board_data, member, page, axe, screenshot
):
    """Add a meeting, an agenda item and an action on pages, then close the action: it shows as
    closed on the board page and on the commitment it concerns."""
    from crimeplan.governance.models import Decision

    plan = board_data.plan
    commitment = plan.commitments.get(priority__number=1, letter="d")
    member("scrutiny_officer", "essex-pfcc", username="secretary")
    board = f"{live_server.url}/plans/{PCP}/boards/{PRSB}/"
    page.goto(f"{live_server.url}/accounts/login/?next=/plans/{PCP}/boards/{PRSB}/")
    page.get_by_label("Username").fill("secretary")
    page.get_by_label("Password").fill("pw-12345")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(board)

    # A meeting: first without its date, which the summary names and takes focus for.
    page.get_by_role("link", name="Add a meeting").click()
    _accessible(page, axe)
    page.get_by_label("Title (optional)").fill("Quarter 3 performance review")
    page.get_by_role("button", name="Add the meeting").click()
    _summary_has_focus(page, "Enter the date of the meeting")
    _accessible(page, axe)
    _reflows(page)
    page.get_by_role("link", name="Enter the date of the meeting").click()
    assert page.evaluate("document.activeElement.id") == "id_date"
    page.get_by_label("Date of the meeting").fill("2025-10-23")
    page.get_by_label("Essex Police").check()
    page.get_by_label("Office of the Police, Fire and Crime Commissioner for Essex").check()
    page.get_by_role("button", name="Add the meeting").click()
    _banner_says(page, "The meeting of 23 October 2025 was added.")
    assert page.locator("h1").inner_text() == "23 October 2025: Quarter 3 performance review"
    attendees = page.locator(".govuk-summary-list").first.inner_text()
    assert "Essex Police" in attendees and "Commissioner for Essex" in attendees

    # An agenda item about commitment 1d.
    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Agenda item").fill("Rural crime patrols")
    page.get_by_label("Commitment", exact=True).select_option(str(commitment.pk))
    _accessible(page, axe)
    page.get_by_role("button", name="Add the item").click()
    _banner_says(page, "Agenda item 1, Rural crime patrols, was added.")
    assert "Rural crime patrols (about 1d" in page.get_by_test_id("agenda").inner_text()

    # An action set at the meeting: a due date before the meeting is refused on its field.
    page.get_by_role("link", name="Record a decision or action").click()
    assert page.get_by_label("Reference").input_value() == "PRSB-2025-01"
    page.get_by_label("What was decided or asked for").fill(
        "Report how the rural crime patrols changed rural burglary."
    )
    page.get_by_label("Owner organisation").select_option(label="Essex Police")
    page.get_by_label("Due date (optional)").fill("2025-10-01")
    page.get_by_label("Commitment", exact=True).select_option(str(commitment.pk))
    page.get_by_role("button", name="Record it").click()
    _summary_has_focus(page, "The due date must be on or after the meeting that set it")
    assert page.locator("#id_due_date").get_attribute("aria-invalid") == "true"
    screenshot(page, "governance-decision-error")
    _accessible(page, axe)
    _reflows(page)
    page.get_by_label("Due date (optional)").fill("2026-01-22")
    page.get_by_role("button", name="Record it").click()
    _banner_says(page, "Action PRSB-2025-01 was recorded.")
    _accessible(page, axe)
    _reflows(page)
    decision = Decision.objects.get(board=board_data, reference="PRSB-2025-01")

    # Close it from the board's log.
    page.goto(board)
    page.get_by_text("Update an item's status").click()
    page.locator(f"#status-{decision.pk}").select_option("done")
    page.locator(f"#closed-{decision.pk}").fill("2026-01-15")
    page.get_by_role("button", name="Save PRSB-2025-01").click()
    _banner_says(page, "PRSB-2025-01 is now Done, closed on 15 January 2026.")
    closed = page.get_by_role("table", name="Closed")
    row = closed.locator("#decision-PRSB-2025-01")
    assert "Done (2026-01-15)" in row.inner_text()
    assert (
        page.get_by_role("table", name="Open: carried forward until closed")
        .locator("#decision-PRSB-2025-01")
        .count()
        == 0
    )
    screenshot(page, "governance-board-after-closing")
    _accessible(page, axe)
    _reflows(page)

    # And on the commitment it concerns.
    page.goto(f"{live_server.url}/plans/{PCP}/priorities/1/commitments/d/")
    row = page.locator("#decision-PRSB-2025-01")
    assert "Done (2026-01-15)" in row.inner_text()
    assert "Performance, Resource and Scrutiny Board" in row.inner_text()
    _accessible(page, axe)
    _reflows(page)
