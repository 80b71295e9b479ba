"""Every page template in a real browser at 320 px (a phone, or 400% zoom) and 1280 px, signed
in and not: nothing scrolls sideways at 320 px, no serious or critical axe violation, no markup
escaped into text, charts readable, and the hotspot page under 40 Tab stops.

One browser for the session; each page is visited once per width. Failures are collected and
reported together, so one run shows every page that needs work. Screenshots at both widths go
to ``test-artifacts/``.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

PCP = "essex-police-and-crime-plan-2016-2020"
CPS = "essex-crime-prevention-strategy-2021-2025"
AREA = "E07000070"
WIDTHS = (320, 1280)
ESCAPED = ("&lt;form", "&lt;input", "&lt;button", "&lt;a ", "&lt;span", "&lt;li", "&lt;p>")

PUBLIC = {
    "plan-list": "/",
    "plans": "/plans/",
    "plan": f"/plans/{PCP}/",
    "strategy": f"/plans/{CPS}/",
    "priority": f"/plans/{PCP}/priorities/1/",
    "commitment": f"/plans/{PCP}/priorities/1/commitments/d/",
    "measures": f"/plans/{PCP}/measures/",
    "measure": f"/plans/{PCP}/measures/burglary/",
    "districts": f"/plans/{PCP}/measures/districts/",
    "organisations": "/organisations/",
    "organisation": "/organisations/essex-pfcc/",
    "hotspot-list": "/hotspots/",
    "hotspots": f"/hotspots/{AREA}/",
    "sign-in": "/accounts/login/",
    "api-docs": "/api/docs/",
}
SIGNED_IN = {
    "history": f"/plans/{PCP}/history/",
    "plan-edit": f"/plans/{PCP}/edit/",
    "commitment-edit": f"/plans/{PCP}/priorities/1/commitments/d/edit/",
    "manual-measure": f"/plans/{PCP}/measures/special-constables/",
    "plan-signed-in": f"/plans/{PCP}/",
    "hotspots-signed-in": f"/hotspots/{AREA}/",
}

SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The smallest chart text as drawn: each SVG text's font size times the drawing's scale.
CHART_TEXT = """() => {
  let smallest = Infinity;
  for (const svg of document.querySelectorAll('.cp-chart svg')) {
    const width = svg.viewBox.baseVal && svg.viewBox.baseVal.width || svg.width.baseVal.value;
    const scale = svg.getBoundingClientRect().width / width;
    for (const t of svg.querySelectorAll('text')) {
      const size = parseFloat(getComputedStyle(t).fontSize);
      if (t.textContent.trim()) smallest = Math.min(smallest, size * scale);
    }
  }
  return smallest === Infinity ? null : smallest;
}"""


@pytest.fixture
def site(loaded_store, settings, example_plans, member, client, cli):
    settings.CRIMEPLAN_DATA_DIR = loaded_store.root
    settings.CRIMEPLAN_TILE_URL = ""
    cli("measures", "compute")
    officer = member("scrutiny_officer", "essex-pfcc", username="officer")
    client.force_login(officer)
    return client.cookies["sessionid"].value


def _visit(
    browser,
    base: str,
    pages: dict[str, str],
    width: int,
    session: str | None,
    axe,
    screenshot,
    problems: list[str],
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB")
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    page = context.new_page()
    try:
        for name, path in pages.items():
            where = f"{name} at {width}px"
            response = page.goto(base + path)
            if response is None or response.status != 200:
                problems.append(f"{where}: HTTP {response and response.status}")
                continue
            if path.startswith("/hotspots/E"):
                page.wait_for_selector("#hotspot-map[data-ready=true]", timeout=15_000)
            if path == "/api/docs/":
                # Swagger UI draws the page from the schema; a public read-only API asks
                # nobody to "Authorize".
                page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
                page.locator(".opblock-summary").first.click()
                if page.locator(".btn.authorize").count():
                    problems.append(f"{where}: the API docs offer to Authorize")
            html = page.content()
            escaped = [e for e in ESCAPED if e in html]
            if escaped:
                problems.append(f"{where}: escaped markup {escaped}")
            if width == 320:
                sideways = page.evaluate(SIDEWAYS)
                if sideways > 0:
                    problems.append(f"{where}: scrolls sideways by {sideways}px")
            smallest = page.evaluate(CHART_TEXT)
            if smallest is not None and smallest < 12 - 0.01:
                problems.append(f"{where}: chart text {smallest:.1f}px")
            for v in axe(page):
                problems.append(f"{where}: axe {v['id']} ({v['impact']}) {v['nodes']}")
            screenshot(page, f"site-{name}-{width}")
    finally:
        context.close()


def test_every_page_reflows_and_passes_axe(live_server, site, browser, axe, screenshot):
    problems: list[str] = []
    for width in WIDTHS:
        _visit(browser, live_server.url, PUBLIC, width, None, axe, screenshot, problems)
        _visit(browser, live_server.url, SIGNED_IN, width, site, axe, screenshot, problems)
    assert problems == [], "\n".join(problems)


def _tab_stops(page, limit: int = 300) -> list[str]:
    """Press Tab until focus comes back round; the elements it stopped on."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        key = page.evaluate(
            """() => { const e = document.activeElement; if (!e || e === document.body) return '';
                 e.dataset.tabStop = e.dataset.tabStop || String(Math.random());
                 return e.dataset.tabStop; }"""
        )
        if not key or key in seen:
            break
        seen.append(key)
    return seen


def test_hotspot_page_keyboard_and_map_alternatives(live_server, site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/hotspots/{AREA}/?cell=250")
        page.wait_for_selector("#hotspot-map[data-ready=true]", timeout=15_000)
        cells = page.locator("#hotspot-map path.leaflet-interactive")
        assert cells.count() > 10
        stops = _tab_stops(page)
        assert 0 < len(stops) < 40, len(stops)
        # No map square is among them.
        focusable_cells = page.evaluate(
            "[...document.querySelectorAll('#hotspot-map path')].filter(p => p.tabIndex >= 0)"
            ".length"
        )
        assert focusable_cells == 0
        # The text alternative and the key stay once the interactive map is drawn.
        assert page.get_by_test_id("map-description").is_visible()
        assert page.get_by_test_id("map-key").is_visible()
        assert not page.locator("#hotspot-static-map").is_visible()
        # Skip the map: focus lands on the hot squares' heading.
        page.get_by_test_id("skip-map").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "hottest"
        # A tooltip opened by pointing at a square closes on Esc.
        cells.first.hover()
        page.wait_for_selector(".leaflet-tooltip:not(.cp-hotspot-rank)", timeout=5_000)
        page.keyboard.press("Escape")
        # (Leaflet fades a closed tooltip out over 200 ms before removing it.)
        page.wait_for_selector(
            ".leaflet-tooltip:not(.cp-hotspot-rank)", state="detached", timeout=2_000
        )
    finally:
        context.close()


def test_saving_is_confirmed_and_focus_moves_to_it(live_server, site, browser, axe):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies([{"name": "sessionid", "value": site, "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/plans/{PCP}/priorities/1/commitments/d/edit/")
        page.get_by_label("Text").fill("")
        page.get_by_role("button", name="Save commitment").click()
        assert page.title().startswith("Error: ")
        field = page.locator("#id_text")
        assert field.get_attribute("aria-describedby") == "id_text-error"
        assert page.locator("#id_text-error").is_visible()
        page.get_by_label("Text").fill("Target burglary hotspots with partners.")
        page.get_by_role("button", name="Save commitment").click()
        banner = page.get_by_test_id("notification")
        assert "Commitment 1d is saved." in banner.inner_text()
        page.wait_for_function(
            "document.activeElement.dataset.testid === 'notification'", timeout=5_000
        )
        assert axe(page) == []
    finally:
        context.close()
