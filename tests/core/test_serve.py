"""`crimeplan serve`: gunicorn with the static files collected and served by whitenoise."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from crimeplan.core.commands import serve

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_serve_in_production_serves_the_stylesheet_and_pages(tmp_path):
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        CRIMEPLAN_HOME=str(tmp_path),
        DEBUG="0",
        SECRET_KEY="s" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
    )
    migrate = [sys.executable, "-m", "crimeplan.cli", "manage", "migrate", "-v0"]
    subprocess.run(migrate, env=env, cwd=REPO, check=True, capture_output=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crimeplan.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = _get(base + "/")
                break
            except (ConnectionError, urllib.error.URLError):
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert status == 200 and headers["Server"].startswith("gunicorn")
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert b"/static/crimeplan/crimeplan.css" in body
        status, headers, css = _get(base + "/static/crimeplan/crimeplan.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css")
        assert b".govuk-" in css
        status, _, js = _get(base + "/static/crimeplan/init.js")
        assert status == 200 and b"initAll()" in js
        status, _, page = _get(base + "/no-such-page/")
        assert status == 404 and b"Page not found" in page and b"URLconf" not in page
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    assert (tmp_path / "staticfiles" / "crimeplan" / "crimeplan.css").is_file()


def test_serve_refuses_a_bad_bind_address():
    result = CliRunner().invoke(serve, ["--bind", "localhost"])
    assert result.exit_code == 2 and "'localhost' is not HOST:PORT" in result.output
    result = CliRunner().invoke(serve, ["--workers", "0"])
    assert result.exit_code == 2
