"""Serving the site in production: static files collected for whitenoise, then gunicorn.

gunicorn is driven through its Python API rather than a second console script, so ``crimeplan
serve`` is the one way to run the site and it always collects the static files first (without
them, whitenoise has nothing to serve when ``DEBUG`` is off and every stylesheet answers 404).
"""

from __future__ import annotations

import os
from typing import Any

WORKER_CLASS = "gthread"
THREADS_PER_WORKER = 4
TIMEOUT_S = 60


def collect_static() -> int:
    """Copy every app's and the built assets' static files to ``STATIC_ROOT``."""
    from django.contrib.staticfiles.management.commands.collectstatic import (
        Command as CollectStatic,
    )

    command = CollectStatic()
    command.set_options(
        interactive=False,
        verbosity=0,
        link=False,
        clear=False,
        dry_run=False,
        ignore_patterns=[],
        use_default_ignore_patterns=True,
        post_process=True,
    )
    collected = command.collect()
    return len(collected["modified"]) + len(collected["unmodified"])


def gunicorn_options(bind: str, workers: int, threads: int = THREADS_PER_WORKER) -> dict[str, Any]:
    return {
        "bind": bind,
        "workers": workers,
        "worker_class": WORKER_CLASS,
        "threads": threads,
        "timeout": TIMEOUT_S,
        "graceful_timeout": 10,
        "accesslog": os.environ.get("CRIMEPLAN_ACCESS_LOG") or None,
        "errorlog": "-",
        "loglevel": os.environ.get("CRIMEPLAN_GUNICORN_LOG_LEVEL", "warning"),
        # Each worker opens its own database and DuckDB connections after the fork.
        "preload_app": False,
    }


def run_gunicorn(options: dict[str, Any]) -> None:
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    class Site(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self):
            # The same application crimeplan.wsgi builds, for the settings already set up.
            from django.core.wsgi import get_wsgi_application

            return get_wsgi_application()

    connections.close_all()  # nothing opened here may be shared with the forked workers
    Site().run()
