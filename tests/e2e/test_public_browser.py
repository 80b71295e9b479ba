"""A resident uses the public pages in a real browser: answers the consultation with the keyboard
only, finds their area by typing a ward name and sees its local priorities; every public page
passes axe (no serious or critical violation) at 320 px and 1280 px, with screenshots at both.

The crime store is the session's real-data store (every Essex police.uk month in the shared data,
and the ONS boundaries: ``loaded_store`` in conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

PCP = "essex-police-and-crime-plan-2016-2020"
SURVEY = "essex-police-and-crime-plan-2016-survey"
CHELMSFORD = "E07000070"
CONSULTATION = Path(__file__).resolve().parents[2] / "examples" / "plans" / "consultation"
WIDTHS = (320, 1280)


@pytest.fixture
def site(loaded_store, settings, example_plans):
    """The example plan with its consultation, a local priority for Chelmsford, and an earlier
    survey whose results and themes are published."""
    from crimeplan.accounts.models import Organisation
    from crimeplan.consultation.demo import load_demo_consultation
    from crimeplan.core.audit import acting_as
    from crimeplan.delivery.models import LocalPriority

    settings.CRIMEPLAN_DATA_DIR = loaded_store.root
    settings.CRIMEPLAN_TILE_URL = ""
    with acting_as(label="test:fixture"):
        load_demo_consultation(CONSULTATION.parent)
        csp = Organisation.objects.create(
            slug="chelmsford-csp",
            name="Chelmsford Community Safety Partnership",
            kind=Organisation.Kind.CSP,
        )
        LocalPriority.objects.create(
            plan=example_plans[PCP],
            organisation=csp,
            district=CHELMSFORD,
            issue="Anti-social behaviour in Central Park",
            action_text="Evening patrols with the council's wardens, and a youth outreach bus.",
            start_date=dt.date(2025, 4, 1),
            review_date=dt.date(2026, 3, 31),
            status="active",
            published=True,
        )
    return loaded_store


def _describe(violations):
    return str([(v["id"], v["impact"], v["help"], v["nodes"]) for v in violations])


def _tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element is the form control called ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.name")
        assert focused != "website", "the honeypot must never take keyboard focus"
        if focused == name:
            return
    raise AssertionError(f"Tab never reached {name}")


def test_resident_answers_the_survey_with_the_keyboard_only(live_server, site, page, axe):
    from crimeplan.consultation.models import Answer, Response

    before = Response.objects.filter(survey__slug=SURVEY).count()
    page.goto(f"{live_server.url}/have-your-say/")
    _tab_to_text(page, "Have your say on the Police and Crime Plan")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/have-your-say/{SURVEY}/")

    # Send nothing first: the error is announced in a summary that links to the question.
    _tab_to_text(page, "Send your answers")
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert axe(page) == []

    _tab_to(page, "q-right-priorities")
    page.keyboard.press("ArrowDown")  # Yes -> Mostly; arrows select within a radio group
    _tab_to(page, "q-missing-priorities")
    page.keyboard.type("Rural crime and fly-tipping")
    _tab_to(page, "q-working-with-communities")
    page.keyboard.type("Come to parish council meetings")
    _tab_to(page, "q-most-important")
    page.keyboard.press("Space")  # the first choice
    _tab_to(page, "q-feel-safe")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # 1 -> 3
    _tab_to(page, "q-age")
    for _ in range(5):
        page.keyboard.press("ArrowDown")  # to "Prefer not to say", the last option
    _tab_to_text(page, "Send your answers")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/have-your-say/{SURVEY}/thank-you/")
    assert page.locator("h1").inner_text() == "Your answers have been sent"

    assert Response.objects.filter(survey__slug=SURVEY).count() == before + 1
    response = Response.objects.filter(survey__slug=SURVEY).latest("submitted_at")
    got = {a.question.key: a for a in Answer.objects.filter(response=response)}
    assert got["right-priorities"].choices == ["Mostly"]
    assert got["missing-priorities"].text == "Rural crime and fly-tipping"
    assert got["working-with-communities"].text == "Come to parish council meetings"
    assert got["most-important"].choices == ["More local, visible and accessible policing"]
    assert got["feel-safe"].rating == 3
    assert got["age"].choices == ["Prefer not to say"]
    assert response.counted


def _tab_to_text(page, text: str, limit: int = 80) -> None:
    """Press Tab until the focused link or button reads ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent || ''")
        if " ".join(focused.split()) == text:
            return
    raise AssertionError(f"Tab never reached {text!r}")


def test_resident_finds_their_ward_and_its_local_priorities(live_server, site, page, axe):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Your area").first.click()
    page.get_by_label("Search by place name").fill("Moulsham Lodge")
    page.keyboard.press("Enter")
    # The finder redirects to the ward's page; wait for it, or the finder's own heading is read
    # (and the test ends while the server is still drawing the ward's first charts).
    page.wait_for_url(re.compile(r"/your-area/E07000070/wards/E05\d+/$"), timeout=60_000)
    assert page.locator("h1").inner_text() == "Moulsham Lodge"
    assert page.locator(".govuk-caption-l").first.inner_text() == "Ward in Chelmsford"
    priorities = page.locator("[data-testid=local-priorities]")
    assert "Anti-social behaviour in Central Park" in priorities.inner_text()
    assert "Evening patrols with the council's wardens" in priorities.inner_text()
    assert page.locator("[data-testid=types] tbody tr").count() >= 5
    assert axe(page) == []


def _public_pages(live_server) -> list[tuple[str, str]]:
    from crimeplan.hotspots.requests import crime_store
    from crimeplan.public.places import find_places

    ward = find_places(crime_store(), "essex", "Moulsham Lodge")[0]
    base = live_server.url
    return [
        ("area-finder", f"{base}/your-area/"),
        ("area-search-several", f"{base}/your-area/?place=witham"),
        ("area-search-none", f"{base}/your-area/?place=Atlantis"),
        ("area-district", f"{base}/your-area/{CHELMSFORD}/"),
        ("area-ward", f"{base}/your-area/{CHELMSFORD}/wards/{ward.code}/"),
        ("area-hotspots", f"{base}/your-area/{CHELMSFORD}/hotspots/"),
        ("plan", f"{base}/our-plan/{PCP}/"),
        ("plan-priority", f"{base}/our-plan/{PCP}/priorities/1/"),
        ("you-said-we-did", f"{base}/our-plan/{PCP}/you-said-we-did/"),
        ("surveys", f"{base}/have-your-say/"),
        ("survey", f"{base}/have-your-say/{SURVEY}/"),
        ("survey-thanks", f"{base}/have-your-say/{SURVEY}/thank-you/"),
        ("survey-results", f"{base}/have-your-say/essex-community-safety-survey-demo/results/"),
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_public_page_passes_axe(live_server, site, browser, axe, screenshot, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    failures = {}
    try:
        for name, url in _public_pages(live_server):
            response = page.goto(url)
            assert response.status in (200, 400), (name, response.status)
            # Reflow: nothing wider than the viewport at 320 px (WCAG 1.4.10).
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                failures[f"{name} reflow"] = overflow
            shot = screenshot(page, f"public-{name}-{width}px")
            assert shot.stat().st_size > 5_000
            violations = axe(page)
            if violations:
                failures[name] = _describe(violations)
    finally:
        context.close()
    assert failures == {}
