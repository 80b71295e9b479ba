"""Django's cache, with a value that is missing computed by one caller only.

Twenty people opening the same new hotspot query at once would otherwise run the same
analysis twenty times, in every worker, each holding its own copy. Here the first caller
takes a lock and computes; the others wait for the lock and then read what it stored. The
lock is an ``flock`` on one of a fixed set of files under ``CRIMEPLAN_HOME``, so it holds
across gunicorn's worker processes and threads alike, is dropped by the kernel if a worker
dies, and the lock files never grow in number however many keys there are.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")
LOCK_STRIPES = 256
WAIT_S = 60.0
"""How long a caller waits for another's computation before computing itself."""
_MISSING = object()


def _lock_path(key: str) -> Path:
    stripe = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % LOCK_STRIPES
    folder = Path(settings.CRIMEPLAN_HOME) / "cache-locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{stripe:03d}.lock"


@contextmanager
def _locked(key: str, wait_s: float) -> Iterator[bool]:
    """Hold the key's lock (True), or give up after ``wait_s`` seconds (False)."""
    fd = os.open(_lock_path(key), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait_s
        pause = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(pause)
                pause = min(pause * 2, 0.1)
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def cached_once(key: str, compute: Callable[[], T], timeout_s: int, wait_s: float = WAIT_S) -> T:
    """The cached value for ``key``, computed by ``compute`` once however many ask at once."""
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[return-value]
    with _locked(key, wait_s):
        found = cache.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        value = compute()
        cache.set(key, value, timeout_s)
        return value
