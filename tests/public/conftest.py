from __future__ import annotations

from pathlib import Path

import pytest

from crimeplan.crimedata.geography import load_geography
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore

MONTHS = ["2025-05", "2025-06"]


@pytest.fixture(scope="session")
def two_month_store(shared_data: Path, tmp_path_factory) -> CrimeStore:
    """Two months of real Essex police.uk street crime and the ONS geography, loaded once.

    Not the session's ``real_store`` (every month, 2018 to 2025), which this fixture used to
    shadow under the same name: the your-area pages show the latest twelve loaded months, and
    in that store those span 2018, 2024 and 2025, with 2011 and 2021 LSOA codes and two file
    layouts, while test_area_pages.py counts the raw files of these two 2025 months. Counting
    the twelve months independently, as the hotspot tests now do for theirs, is still to do.
    """
    store = CrimeStore(tmp_path_factory.mktemp("public-real") / "crimedata")
    report = ingest_policeuk(store, [shared_data / "policeuk" / m for m in MONTHS])
    assert not report.problems, report.problems
    load_geography(store, shared_data / "geo")
    return store


@pytest.fixture
def crime_data(two_month_store: CrimeStore, settings, db) -> CrimeStore:
    settings.CRIMEPLAN_DATA_DIR = two_month_store.root
    settings.CRIMEPLAN_TILE_URL = ""
    return two_month_store


EARLIER_SURVEY = """
plan: essex-police-and-crime-plan-2016-2020
surveys:
- slug: s
  title: Earlier survey
  stage: Engagement begins
  phase: closed
  privacy_notice: None needed.
  questions:
  - key: say
    kind: free_text
    text: Say anything
"""


@pytest.fixture
def earlier_survey(example_plans):
    """A closed survey of the example plan with one free-text question, to hang themes on."""
    from crimeplan.consultation.models import Survey
    from crimeplan.consultation.surveyfile import import_loaded, validate_text
    from crimeplan.core.audit import acting_as

    with acting_as(label="test:fixture"):
        import_loaded(validate_text(EARLIER_SURVEY), "earlier.yaml")
    return Survey.objects.get(slug="s")
