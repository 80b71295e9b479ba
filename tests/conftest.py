"""Fixtures every test folder shares.

Real public data is read from ``../shared/data`` beside the checkout (or ``CRIMEPLAN_SHARED_DATA``)
and never copied into the project; tests that need it skip with a message saying where it was
looked for.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    return Path(os.environ.get("CRIMEPLAN_SHARED_DATA", REPO_DIR.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not (path / "policeuk").is_dir():
        pytest.skip(f"real data not found at {path} (set CRIMEPLAN_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO_DIR
