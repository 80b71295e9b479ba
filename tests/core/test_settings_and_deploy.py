"""Production settings: DEBUG off unless set; a real SECRET_KEY; `check --deploy` passes;
HSTS preload off and X-Forwarded-Proto ignored unless asked for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _base_env(tmp_path: Path) -> dict[str, str]:
    unset = {
        "SECRET_KEY",
        "DEBUG",
        "DATABASE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DJANGO_SETTINGS_MODULE",  # the product's settings, not the test suite's
        "CRIMEPLAN_BEHIND_PROXY",
        "SECURE_HSTS_PRELOAD",
    }
    base = {k: v for k, v in os.environ.items() if k not in unset}
    base["CRIMEPLAN_HOME"] = str(tmp_path)
    return base


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {**_base_env(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "crimeplan.cli", *args],
        capture_output=True,
        text=True,
        env=base,
        cwd=REPO,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = _run(["check"], {"DEBUG": "0"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7" * 30 + "-production-secret-for-the-check",
    "ALLOWED_HOSTS": "crimeplan.example.org",
}
SHOW = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='crimeplan.settings';"
    "django.setup(); from django.conf import settings as s;"
    "print(s.DEBUG, s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER)"
)


def test_debug_is_off_unless_set(tmp_path):
    # With nothing set, the settings are production ones: so no SECRET_KEY means no start.
    result = _run(["check"], {}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    result = _run(["check"], {"DEBUG": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr


def test_short_secret_key_is_refused_in_production(tmp_path):
    result = _run(["check"], {**PRODUCTION, "SECRET_KEY": "k" * 49}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is 49 characters long; production needs at least 50" in result.stderr
    assert _run(["check"], {**PRODUCTION, "SECRET_KEY": "k" * 50}, tmp_path).returncode == 0


def test_hsts_preload_and_proxy_header_only_when_asked_for(tmp_path):
    def shown(env: dict[str, str]) -> str:
        result = subprocess.run(
            [sys.executable, "-c", SHOW],
            capture_output=True,
            text=True,
            env={**_base_env(tmp_path), **env},
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert shown(PRODUCTION) == "False False None"
    assert shown({**PRODUCTION, "SECURE_HSTS_PRELOAD": "1"}) == "False True None"
    assert (
        shown({**PRODUCTION, "CRIMEPLAN_BEHIND_PROXY": "1"})
        == "False False ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_sqlite_runs_in_wal_mode(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='crimeplan.settings';"
        "django.setup(); from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CRIMEPLAN_HOME"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.strip() == "wal", result.stderr
