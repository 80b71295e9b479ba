"""``crimeplan serve``: the site under gunicorn, static files served by whitenoise."""

from __future__ import annotations

import re

import click

BIND = re.compile(r"^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.\-]+):\d{1,5}$|^unix:.+$")


@click.command(name="serve")
@click.option(
    "--bind",
    default="127.0.0.1:8000",
    show_default=True,
    help="HOST:PORT (or unix:PATH) to listen on.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="gunicorn worker processes (each with 4 threads).",
)
def serve(bind: str, workers: int) -> None:
    """Run the site under gunicorn, after collecting the static files whitenoise serves.

    \b
    Examples:
      DEBUG=1 crimeplan serve                      (a developer's machine)
      crimeplan serve --bind 0.0.0.0:8000 --workers 4
    """
    if not BIND.match(bind):
        raise click.BadParameter(f"{bind!r} is not HOST:PORT", param_hint="--bind")
    from crimeplan.cli import django_setup

    django_setup()
    from crimeplan.core.serving import collect_static, gunicorn_options, run_gunicorn

    files = collect_static()
    click.echo(f"{files} static files collected; serving on http://{bind} ({workers} workers)")
    run_gunicorn(gunicorn_options(bind, workers))
