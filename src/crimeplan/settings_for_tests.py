"""The settings the test suite runs under: development ones (``DEBUG`` on, the development
key) unless the environment says otherwise.

``DEBUG`` is off unless set, so that a server nobody configured is a production one; the tests
(and the commands they start in subprocesses, which inherit the variable) run as a developer
would. Tests of production behaviour set ``DEBUG=0`` themselves, or override the setting.
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "1")

import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

from crimeplan.settings import *  # noqa: E402, F403

# Each run gets a cache of its own, removed at exit, so no test reads what an earlier run stored.
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):  # noqa: F405
    _cache_dir = tempfile.mkdtemp(prefix="crimeplan-test-cache-")
    atexit.register(shutil.rmtree, _cache_dir, ignore_errors=True)
    CACHES["default"]["LOCATION"] = _cache_dir  # noqa: F405
