"""``crimeplan plan validate|import|export|new``: plan files in and out.

A thin shell over :mod:`crimeplan.planfile`. Every file is checked before any is imported, so
a bad file never leaves half a set; problems go to stderr as ``file:line: path: message``
and the exit status is 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


def check_files(files: tuple[Path, ...] | list[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """Validate each file, print its problems to stderr, and refuse the set if any is bad."""
    from crimeplan.planfile import validate_file

    good, failed = [], 0
    for path in files:
        if not path.is_file():
            click.echo(f"{path}: no such file", err=True)
            failed += 1
            continue
        data, problems = validate_file(path)
        if problems:
            failed += 1
            noun = "problem" if len(problems) == 1 else "problems"
            click.echo(f"{path}: {len(problems)} {noun}", err=True)
            for problem in problems:
                click.echo("  " + problem.format(str(path)), err=True)
        else:
            good.append((path, data))
    if failed:
        raise click.ClickException(f"{failed} of {len(files)} plan file(s) refused")
    return good


def import_files(files: tuple[Path, ...] | list[Path]) -> None:
    """Check every file, then import each in its own transaction, printing what changed."""
    from crimeplan.cli import django_setup

    django_setup()
    from crimeplan.core.audit import acting_as
    from crimeplan.planfile import import_plan

    checked = check_files(files)
    with acting_as(label=f"cli:plan import {' '.join(str(f) for f in files)}"[:200]):
        for path, data in checked:
            report = import_plan(data)
            click.echo(f"{path}: {report.plan.slug}: {report.summary()}")


FILES = click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))


@click.group(name="plan")
def plan() -> None:
    """Validate, import and export plan files.

    A plan file is YAML checked against the published schema.

    \b
    Example:
      crimeplan plan validate examples/plans/*.yaml
    """


@plan.command(name="validate")
@FILES
def validate(files: tuple[Path, ...]) -> None:
    """Check plan files and list every problem with its line.

    \b
    Example:
      crimeplan plan validate examples/plans/*.yaml
    """
    from crimeplan.cli import django_setup

    django_setup()  # the sections of a plan file come from the installed apps
    for path, data in check_files(files):
        count = sum(len(p["commitments"]) for p in data.get("priorities", []))
        click.echo(
            f"{path}: valid ({len(data.get('priorities', []))} priorities, {count} commitments)"
        )


@plan.command(name="import")
@FILES
def import_(files: tuple[Path, ...]) -> None:
    """Import plan files, each all or nothing.

    Importing the same file again changes nothing.

    \b
    Example:
      crimeplan plan import examples/plans/essex-police-and-crime-plan-2016-2020.yaml
    """
    import_files(files)


@plan.command(name="export")
@click.argument("slug")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="file to write (default: stdout)"
)
def export(slug: str, output: Path | None) -> None:
    """Write a stored plan as a plan file.

    \b
    Example:
      crimeplan plan export essex-police-and-crime-plan-2016-2020 -o plan.yaml
    """
    from crimeplan.cli import django_setup

    django_setup()
    from crimeplan.planfile import export_plan
    from crimeplan.plans.models import Plan

    found = Plan.objects.filter(slug=slug).first()
    if found is None:
        known = ", ".join(Plan.objects.values_list("slug", flat=True)) or "none"
        raise click.ClickException(f"no plan with slug {slug!r} (known: {known})")
    text = export_plan(found)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")


@plan.command(name="new")
@click.option("--force", required=True, help="police.uk force id, e.g. kent")
@click.option("--start", type=int, help="first year (default: this year)")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
def new(force: str, start: int | None, output: Path) -> None:
    """Write a starter plan file for a force: its areas and standard police.uk measures.

    Only the plan's own words are placeholders; the file validates, and the fields to write
    before publishing are listed.

    \b
    Example:
      crimeplan plan new --force kent -o kent-plan.yaml
    """
    import datetime

    from crimeplan.cli import django_setup

    django_setup()  # the sections of a plan file come from the installed apps
    from crimeplan.planfile import validate_text
    from crimeplan.plans.planfile_starter import placeholders, starter_plan_text

    if output.exists():
        raise click.ClickException(f"{output} exists: give another file name (nothing written)")
    try:
        text = starter_plan_text(force, start or datetime.date.today().year)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    data, problems = validate_text(text)
    if problems:  # the starter must validate as written; say so loudly if it ever does not
        raise click.ClickException("; ".join(p.format(str(output)) for p in problems))
    output.write_text(text, encoding="utf-8")
    todo = placeholders(data)
    click.echo(
        f"wrote {output}: a draft plan for {force} with {len(data['measures'])} measures; "
        f"it validates. Write these {len(todo)} fields before publishing:"
    )
    for path in todo:
        click.echo(f"  {path}")
