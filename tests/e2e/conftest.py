"""The crime store the browser tests read: two months of real police.uk data for Essex and the
ONS boundaries, loaded once for the session."""

from __future__ import annotations

from pathlib import Path

import pytest

from crimeplan.crimedata.geography import load_geography
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.store import CrimeStore

MONTHS = ["2025-05", "2025-06"]


@pytest.fixture(scope="session")
def loaded_store(shared_data: Path, tmp_path_factory) -> CrimeStore:
    store = CrimeStore(tmp_path_factory.mktemp("browser-store") / "crimedata")
    report = ingest_policeuk(store, [shared_data / "policeuk" / m for m in MONTHS])
    assert not report.problems, report.problems
    load_geography(store, shared_data / "geo")
    return store
