"""A member of the public opens a district's hotspot map in a real browser.

The crime store is the session's real-data store (every Essex police.uk month and the ONS
boundaries). With JavaScript the static SVG map gives way to a Leaflet map drawn from the page's
own GeoJSON, with no tile server and no request leaving this server; without JavaScript the SVG
map and the tables carry the page.
"""

from __future__ import annotations

import pytest

from crimeplan.crimedata.store import CrimeStore

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

AREA = "E07000070"


@pytest.fixture
def crime_data(loaded_store: CrimeStore, settings) -> CrimeStore:
    settings.CRIMEPLAN_DATA_DIR = loaded_store.root
    settings.CRIMEPLAN_TILE_URL = ""
    return loaded_store


def _describe(violations):
    return str([(v["id"], v["impact"], v["help"], v["nodes"]) for v in violations])


def test_district_hotspot_page_draws_the_map_and_tables(
    live_server, crime_data, page, axe, screenshot
):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/hotspots/")
    page.get_by_role("link", name="Chelmsford").click()
    assert page.locator("h1").inner_text() == "Chelmsford"
    page.get_by_label("Cell size").select_option("250")
    page.get_by_role("button", name="Show hotspots").click()

    page.wait_for_selector("#hotspot-map[data-ready=true]", timeout=15_000)
    assert page.locator("#hotspot-map.leaflet-container").count() == 1
    cells = page.locator("#hotspot-map path.leaflet-interactive")
    assert cells.count() > 10, "hot cells drawn as GeoJSON paths"
    # Boundaries are drawn too (the district and its neighbours), from our own GeoJSON.
    assert page.locator("#hotspot-map path").count() > cells.count() + 1
    assert page.locator(".cp-hotspot-rank").count() >= 1
    # The key and the description stay as text beside the interactive map.
    assert page.get_by_test_id("map-key").inner_text().strip().startswith("hot 99% (outlined)")
    assert page.get_by_test_id("map-description").is_visible()
    assert not page.locator("#hotspot-static-map svg").is_visible()

    rows = page.locator("[data-testid=hottest] tbody tr")
    assert rows.count() > 10  # every hot square, not only the top ten
    assert rows.first.locator("td").nth(4).inner_text().startswith("hot")
    assert page.locator("[data-testid=repeats-by-count] tbody tr").count() == 10
    assert "250 m squares" in page.locator("[data-testid=method]").inner_text()

    # Nothing loaded from anywhere but this server: no tiles, no fonts, no CDN.
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
    shot = screenshot(page, "hotspots-district-page")
    assert shot.stat().st_size > 20_000
    violations = axe(page)
    assert violations == [], _describe(violations)


def test_district_hotspot_page_works_without_javascript(live_server, crime_data, browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/hotspots/{AREA}/?harm=cchi")
        assert page.locator("#hotspot-static-map svg").is_visible()
        assert not page.locator("#hotspot-map").is_visible()
        assert page.locator("[data-testid=hottest] tbody tr").count() > 10
        assert "Harm (CCHI)" in page.locator("[data-testid=hottest] thead").inner_text()
        assert page.locator("[data-testid=repeats-by-harm] tbody tr").count() == 10
    finally:
        context.close()
