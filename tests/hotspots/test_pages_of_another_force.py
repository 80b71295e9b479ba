"""A site whose own force is Essex, holding Kent's data too: a Kent district's pages use Kent's
months, crimes, wards and outlines (the district's force, not the site's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from crimeplan.crimedata.districts import districts_for
from crimeplan.crimedata.geography import load_geography
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.snapshot import copy_store
from crimeplan.crimedata.store import CrimeStore
from tests.kent_raw import rows_of_type
from tests.pages import Page

pytestmark = pytest.mark.realdata

MAIDSTONE = "E07000110"
KENT_MONTHS = ["2025-05", "2025-06"]


@pytest.fixture(scope="module")
def two_forces(shared_data: Path, kent_store, tmp_path_factory) -> CrimeStore:
    """A copy of the session's Kent store with Essex's geography and one month added."""
    store = CrimeStore(tmp_path_factory.mktemp("two-forces") / "crimedata")
    copy_store(kent_store[0], store.root)
    load_geography(store, shared_data / "geo", force="essex")
    report = ingest_policeuk(store, [shared_data / "policeuk" / "2025-06"])
    assert not report.failed, report.problems
    return store


@pytest.fixture
def site(two_forces, settings, db):
    settings.CRIMEPLAN_DATA_DIR = two_forces.root
    settings.CRIMEPLAN_FORCE = "essex"
    settings.CRIMEPLAN_TILE_URL = ""
    return two_forces


def test_a_kent_district_on_an_essex_site_is_analysed_with_kent_data(site, client, shared_data):
    query = "?type=Burglary&from=2025-05&to=2025-06&cell=250"
    response = client.get(reverse("api:hotspots", args=[MAIDSTONE]) + query)
    assert response.status_code == 200, response.content[:300]
    props = json.loads(response.content)["properties"]
    assert props["area_name"] == "Maidstone"
    assert (props["period"]["from"], props["period"]["to"]) == ("2025-05", "2025-06")
    used = props["n_points_used"] + props["n_points_outside"] + props["n_points_without_location"]
    assert used == rows_of_type(shared_data / "kent", MAIDSTONE, "Burglary", KENT_MONTHS) > 0

    response = client.get(reverse("hotspots:district", args=[MAIDSTONE]) + query)
    assert response.status_code == 200
    page = Page(response.content)
    assert page.text("h1") == "Maidstone"
    # The map's outlines are Kent's.
    boundaries = page.one("[data-boundaries]")["data-boundaries"]
    outlines = json.loads(client.get(boundaries).content)
    assert {f["properties"]["code"] for f in outlines["features"]} == {
        d.code for d in districts_for("kent")
    }


def test_a_kent_area_page_compares_with_kent_and_shows_kent_wards(site, client):
    response = client.get(reverse("public:area", args=[MAIDSTONE]))
    assert response.status_code == 200
    text = Page(response.content).soup.get_text(" ")
    assert "Kent Police" in text and "Essex Police" not in text
    response = client.get(reverse("public:hotspots", args=[MAIDSTONE]))
    assert response.status_code == 200


def test_districts_of_a_force_with_no_data_and_unknown_forces_are_refused(site, client):
    norfolk = districts_for("norfolk")[0].code
    assert client.get(reverse("hotspots:district", args=[norfolk])).status_code == 404
    assert client.get(reverse("public:area", args=[norfolk])).status_code == 404
    assert client.get(reverse("hotspots:boundaries") + "?force=atlantis").status_code == 400
    assert client.get(reverse("hotspots:district", args=["E07000070"])).status_code == 200
