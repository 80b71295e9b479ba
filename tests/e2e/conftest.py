"""The crime store the browser tests read: the session's real-data store (every police.uk month
in the shared data for Essex, and the ONS boundaries), loaded once for the whole run.

The Kent pages' test loads Kent's own files into a store of its own: they are a second force's
data, which the session store (Essex) does not hold.
"""

from __future__ import annotations

import pytest

from crimeplan.crimedata.store import CrimeStore


@pytest.fixture(scope="session")
def loaded_store(real_store) -> CrimeStore:
    """The session's ``real_store``, read only by the browser tests (no test here loads data
    into it), so the pages show the figures the other real-data tests check."""
    store, report, _geography = real_store
    assert not report.failed, report.problems
    return store
