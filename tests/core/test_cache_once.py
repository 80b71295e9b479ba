"""The analysis cache: Django's, bounded, shared by workers, each missing entry computed once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.cache import cache, caches

from crimeplan.core.cache_once import cached_once

REPO = Path(__file__).resolve().parents[2]
CLIENTS = 20


def _ask_at_once(ask) -> list:
    barrier = threading.Barrier(CLIENTS)

    def one(_):
        barrier.wait()
        return ask()

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one, range(CLIENTS)))


def test_twenty_callers_compute_a_missing_value_once():
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.3)
        return {"cells": list(range(1000))}

    key = f"test-once:{time.time_ns()}"
    results = _ask_at_once(lambda: cached_once(key, compute, 60))
    assert len(calls) == 1
    assert all(r == {"cells": list(range(1000))} for r in results)
    assert cache.get(key) == {"cells": list(range(1000))}


def test_twenty_processes_compute_a_missing_value_once(tmp_path):
    # gunicorn's workers are processes: the lock must hold across them, not only threads.
    marker = tmp_path / "computed"
    code = "\n".join(
        [
            "import os, sys, time, django",
            "os.environ['DJANGO_SETTINGS_MODULE'] = 'crimeplan.settings'",
            "django.setup()",
            "from crimeplan.core.cache_once import cached_once",
            "time.sleep(max(0, float(sys.argv[1]) - time.time()))",
            "def compute():",
            "    open(sys.argv[2], 'a').write('x')",
            "    time.sleep(0.5)",
            "    return 42",
            "print(cached_once('test-processes:' + sys.argv[3], compute, 60))",
        ]
    )
    # The product's settings: every process shares the cache under CRIMEPLAN_HOME.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(CRIMEPLAN_HOME=str(tmp_path), DEBUG="1")
    start = time.time() + 8
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(start), str(marker), str(start)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(CLIENTS)
    ]
    outputs = [run.communicate(timeout=120)[0].strip() for run in runs]
    assert outputs == ["42"] * CLIENTS
    assert marker.read_text() == "x"


def test_default_cache_is_bounded_files_not_process_memory(settings):
    backend = caches["default"]
    assert type(backend).__name__ == "FileBasedCache"
    assert backend._max_entries == 400
    location = Path(settings.CACHES["default"]["LOCATION"])
    key = f"test-bounded:{time.time_ns()}"
    cache.set(key, "x" * 100_000, 60)
    assert any(location.iterdir())  # on disk, shared by every worker process


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_redis_is_used_when_configured(tmp_path):
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='crimeplan.settings';"
        "django.setup(); from django.core.cache import caches;"
        "from crimeplan.core.cache_once import cached_once; import time;"
        "key = f'test-redis:{time.time_ns()}';"
        "print(type(caches['default']).__name__, cached_once(key, lambda: 7, 30),"
        " caches['default'].get(key))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        CRIMEPLAN_HOME=str(tmp_path), DEBUG="1", CRIMEPLAN_REDIS_URL="redis://127.0.0.1:6379/9"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.split() == ["RedisCache", "7", "7"], result.stderr
