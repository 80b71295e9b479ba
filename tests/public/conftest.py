from __future__ import annotations

from pathlib import Path

import pytest

from crimeplan.crimedata.geography import load_geography
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore

MONTHS = ["2025-05", "2025-06"]


@pytest.fixture(scope="session")
def real_store(shared_data: Path, tmp_path_factory) -> CrimeStore:
    """Two months of real Essex police.uk street crime and the ONS geography, loaded once."""
    store = CrimeStore(tmp_path_factory.mktemp("public-real") / "crimedata")
    report = ingest_policeuk(store, [shared_data / "policeuk" / m for m in MONTHS])
    assert not report.problems, report.problems
    load_geography(store, shared_data / "geo")
    return store


@pytest.fixture
def crime_data(real_store: CrimeStore, settings, db) -> CrimeStore:
    settings.CRIMEPLAN_DATA_DIR = real_store.root
    settings.CRIMEPLAN_TILE_URL = ""
    return real_store
