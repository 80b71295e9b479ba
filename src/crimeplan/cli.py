"""The ``crimeplan`` console script: the product's own commands, and Django's under ``manage``.

Each command lives in the app that owns it, in a module named ``commands.py`` holding a click
command or group, and is listed in ``COMMANDS`` below as ``"module:attribute"``. The root imports
a command's module only when that command runs (or ``--help`` lists it), so modules must import
nothing heavy at the top: no Django models, no DuckDB. A command that needs Django calls
``django_setup()`` first. Exit codes: 0 ok, 1 bad input (``click.ClickException``), 2 usage.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from typing import Any

import click

# name -> "module:attribute" of a click command; kept sorted by name. One line per command.
COMMANDS: dict[str, str] = {
    "backup": "crimeplan.backup.commands:backup",
    "data": "crimeplan.crimedata.commands:data",
    "delivery": "crimeplan.delivery.commands:delivery",
    "demo": "crimeplan.core.commands:demo",
    "fetch": "crimeplan.crimedata.commands:fetch",
    "hotspots": "crimeplan.hotspots.commands:hotspots",
    "ingest": "crimeplan.crimedata.commands:ingest",
    "measures": "crimeplan.measures.commands:measures",
    "plan": "crimeplan.plans.commands:plan",
    "report": "crimeplan.governance.commands:report",
    "restore": "crimeplan.backup.commands:restore",
    "serve": "crimeplan.core.commands:serve",
    "survey": "crimeplan.consultation.commands:survey",
    "synth": "crimeplan.crimedata.commands:synth",
    "worker": "crimeplan.delivery.commands:worker",
}

# Django's own commands the product's users run by name (README: ``crimeplan check --deploy``):
# name -> help; each is passed to Django as ``crimeplan manage <name> ...`` would be.
DJANGO_COMMANDS: dict[str, str] = {
    "check": (
        "Check the set-up; with --deploy, the production settings.\n\n"
        "\b\nExample:\n  DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=example.org crimeplan check --deploy"
    ),
}


def django_setup(serving: bool = False) -> None:
    """Configure Django once, for the commands that use models or settings.

    A product command other than ``serve`` signs nothing that outlives its process (no
    sessions, no tokens), so it may run without a ``SECRET_KEY`` when DEBUG is off: settings then
    make a key for that process alone. The server never does: it refuses to start without one.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crimeplan.settings")
    import django
    from django.apps import apps

    if apps.ready:
        return
    with _command_line_settings(serving):
        django.setup()


def command_settings() -> Any:
    """Django's settings for a command that reads settings only (no models, no app checks):
    read as a command's, so they need no ``SECRET_KEY`` when DEBUG is off."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crimeplan.settings")
    from django.conf import settings

    with _command_line_settings(False):
        settings.CRIMEPLAN_HOME  # noqa: B018 - settings load on first read
    return settings


@contextlib.contextmanager
def _command_line_settings(serving: bool) -> Iterator[None]:
    """Settings read inside the block know they are a command's, not a server's. Only for the
    settings read now: a process this one starts (a test's subprocess, a server) must decide
    for itself."""
    flag = None if serving or "CRIMEPLAN_COMMAND_LINE" in os.environ else "1"
    if flag:
        os.environ["CRIMEPLAN_COMMAND_LINE"] = flag
    try:
        yield
    finally:
        if flag:
            del os.environ["CRIMEPLAN_COMMAND_LINE"]


REAL_KEY_DJANGO_COMMANDS = {"runserver", "testserver", "check"}
"""Django's own commands that need the deployment's real ``SECRET_KEY``, like ``serve``: those
that serve pages, and ``check``, whose job is to judge the settings a server would run with."""


def _run_django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crimeplan.settings")
    import django
    from django.core.management import execute_from_command_line

    with _command_line_settings(bool(argv) and argv[0] in REAL_KEY_DJANGO_COMMANDS):
        django.setup()
    execute_from_command_line(["crimeplan manage", *argv])


def _django_passthrough(name: str, help_text: str) -> click.Command:
    @click.command(
        name=name,
        help=help_text,
        add_help_option=False,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
    @click.pass_context
    def command(ctx: click.Context) -> None:
        _run_django([name, *ctx.args])

    return command


class LazyGroup(click.Group):
    """A group whose commands are imported on first use, so ``--help`` starts fast."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS, *DJANGO_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module_name, attribute = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{COMMANDS[cmd_name]} is not a click command")
            return command
        if cmd_name in DJANGO_COMMANDS:
            return _django_passthrough(cmd_name, DJANGO_COMMANDS[cmd_name])
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="crimeplan")
def cli() -> None:
    """Plan, deliver, measure, scrutinise and report a police and crime plan.

    \b
    Examples:
      crimeplan plan validate examples/plans/*.yaml
      crimeplan manage migrate        (Django's own commands)
    """


@cli.command(
    name="manage",
    add_help_option=False,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
@click.pass_context
def manage(ctx: click.Context) -> None:
    """Run Django's own commands (migrate, runserver, ...).

    \b
    Example:
      crimeplan manage migrate
    """
    _run_django(ctx.args or ["help"])


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="crimeplan")
    except Exception as exc:
        # A setting the environment gives wrongly (no SECRET_KEY for a server, a bad
        # DATABASE_URL): one line saying which, not a traceback. Django is looked up, not
        # imported, so that --help stays free of it.
        exceptions = sys.modules.get("django.core.exceptions")
        if exceptions is None or not isinstance(exc, exceptions.ImproperlyConfigured):
            raise
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
