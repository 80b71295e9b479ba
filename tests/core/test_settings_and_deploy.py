"""Production settings: refuse to start without SECRET_KEY; `check --deploy` passes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    unset = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    base.update({"CRIMEPLAN_HOME": str(tmp_path)}, **env)
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


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "x7" * 30 + "-production-secret-for-the-check",
        "ALLOWED_HOSTS": "crimeplan.example.org",
    }
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
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
