"""``crimeplan demo`` (everything ``make demo`` loads, in one idempotent command) and
``crimeplan serve`` (the site under gunicorn, static files served by whitenoise).

Example plans and demo log-ins; real geography: the full-resolution files when
``../shared/data/geo`` is beside the checkout, else the generalised geography the package carries
(``crimedata/reference``); generated police.uk street crime, road collisions and manual values
(labelled synthetic); then every measure computed. Running it again changes nothing.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable
from pathlib import Path

import click


@click.command(name="demo")
@click.option(
    "--plans",
    type=click.Path(path_type=Path),
    default=None,
    help="folder of plan files (default: examples/plans)",
)
@click.option("--months", default="2023-01:2025-12", show_default=True, help="synthetic months")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--no-data", is_flag=True, help="plans and users only")
@click.option("--detail", is_flag=True, help="print every step's full report")
@click.pass_context
def demo(
    ctx: click.Context, plans: Path | None, months: str, seed: int, no_data: bool, detail: bool
) -> None:
    """Load the example plans, demo users and synthetic data.

    Prints the demo log-ins. Running it again changes nothing.

    \b
    Example:
      crimeplan demo --months 2024-01:2025-12
    """
    from crimeplan.cli import django_setup

    django_setup()
    from django.conf import settings

    from crimeplan.accounts.demo_users import DEMO_PASSWORD, create_demo_users
    from crimeplan.plans.commands import import_files

    if not settings.DEBUG:
        raise click.ClickException("the demo sets known passwords; run it only with DEBUG on")
    folder = plans or Path(settings.PROJECT_DIR) / "examples" / "plans"
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise click.ClickException(f"no plan files in {folder}")
    step = _stepper(detail)
    step(f"plans ({len(files)} files)", lambda: import_files(files))
    users = create_demo_users()
    from crimeplan.consultation.demo import load_demo_consultation

    def consultation() -> None:
        for line in load_demo_consultation(folder, seed):
            click.echo(line)

    step("consultation", consultation)
    from crimeplan.delivery.demo import DEMO_DELIVERY_USERS, load_delivery_demo

    def delivery() -> None:
        made = load_delivery_demo()
        click.echo("demo delivery: " + ", ".join(f"{n} {k}" for k, n in made.items()))

    step("delivery", delivery)
    if not no_data:
        _data(ctx, months, seed, step)
    click.echo(f"\nDemo log-ins (password for all: {DEMO_PASSWORD})")
    for user in users:
        click.echo(
            f"  {user.username:<8} {user.role.label:<17} at {user.organisation}"
            + ("  (Django admin too)" if user.superuser else "")
        )
    for username, _name, organisation, role in DEMO_DELIVERY_USERS:
        click.echo(f"  {username:<8} {role.label:<17} at {organisation}")


Step = Callable[[str, Callable[[], object]], None]


def _stepper(detail: bool) -> Step:
    """Run one step of the demo; without --detail its report (hundreds of lines for the road
    casualty table) is kept back and one line says it ran."""

    def step(label: str, run: Callable[[], object]) -> None:
        if detail:
            run()
            return
        report = io.StringIO()
        with contextlib.redirect_stdout(report), contextlib.redirect_stderr(report):
            run()
        lines = len(report.getvalue().splitlines())
        click.echo(f"  {label}: done ({lines} lines of detail with --detail)")

    return step


def _data(ctx: click.Context, months: str, seed: int, step: Step) -> None:
    from django.conf import settings

    from crimeplan.core.demo_data import write_collisions, write_manual_values
    from crimeplan.crimedata import commands as crime
    from crimeplan.crimedata.synth import parse_months
    from crimeplan.measures import commands as measures

    month_list = parse_months(months)
    synth = Path(settings.CRIMEPLAN_HOME) / "synth"
    try:
        step("geography", lambda: ctx.invoke(crime.ingest_geography))
    except click.ClickException as exc:
        # The full-resolution files beside the checkout, else the generalised geography the
        # package carries for the demo force; without either maps and rates are missing.
        click.echo(
            f"geography not loaded ({exc.message}); maps and rates will be missing", err=True
        )
    police = synth / "policeuk"
    step(
        f"synthetic police.uk crime {months}",
        lambda: click.echo(crime.write_synthetic(settings.CRIMEPLAN_FORCE, months, seed, police)),
    )
    step("crime store", lambda: ctx.invoke(crime.ingest_policeuk_command, paths=(police,)))
    collisions = synth / "stats19" / "collisions-synthetic.csv"
    write_collisions(collisions, month_list, seed, settings.CRIMEPLAN_FORCE)
    step("synthetic road collisions", lambda: ctx.invoke(crime.ingest_stats19, files=(collisions,)))
    values = synth / "manual-values-synthetic.csv"
    write_manual_values(values, month_list, seed)
    step("synthetic manual values", lambda: click.echo(measures.load_manual_values(values)))
    step("measures", lambda: ctx.invoke(measures.compute))
    from crimeplan.governance.demo import load_governance_demo

    step("governance", lambda: click.echo(load_governance_demo()))


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
    """Serve the site under gunicorn; static files are collected first.

    \b
    Example:
      crimeplan serve --bind 0.0.0.0:8000 --workers 4
      (DEBUG=1 crimeplan serve on a developer's machine)
    """

    if not BIND.match(bind):
        raise click.BadParameter(f"{bind!r} is not HOST:PORT", param_hint="--bind")
    from crimeplan.cli import django_setup

    django_setup(serving=True)
    from crimeplan.core.serving import collect_static, gunicorn_options, run_gunicorn

    files = collect_static()
    click.echo(f"{files} static files collected; serving on http://{bind} ({workers} workers)")
    run_gunicorn(gunicorn_options(bind, workers))
