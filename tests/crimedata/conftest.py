"""Fixtures for the crimedata tests: an empty store per test, and a writer of small police.uk
files in the published layout (the real-data store is the root conftest's ``real_store``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import street_row, write_street_csv

from crimeplan.crimedata.store import CrimeStore


@pytest.fixture
def store(tmp_path: Path) -> CrimeStore:
    return CrimeStore(tmp_path / "store")


@pytest.fixture(name="street_row")
def street_row_fixture():
    return street_row


@pytest.fixture(name="write_street_csv")
def write_street_csv_fixture():
    return write_street_csv
