"""``crimeplan delivery export|import``: actions to and from a spreadsheet, and
``crimeplan worker``: the background task runner every app's tasks share."""

from __future__ import annotations

from pathlib import Path

import click


@click.group(name="delivery")
def delivery() -> None:
    """Actions to and from a spreadsheet (CSV or XLSX).

    One format both ways: export, edit in a spreadsheet, import.

    \b
    Example:
      crimeplan delivery export --plan essex-police-and-crime-plan-2016-2020 -o actions.xlsx
      crimeplan delivery import actions.xlsx --dry-run
    """


@delivery.command(name="export")
@click.option("--plan", "slug", required=True, help="plan slug")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="FILE.xlsx or FILE.csv"
)
def export_command(slug: str, output: Path) -> None:
    """Write every action of a plan, one row each, keyed by reference.

    \b
    Example:
      crimeplan delivery export --plan essex-police-and-crime-plan-2016-2020 -o actions.xlsx
    """
    from crimeplan.cli import django_setup

    django_setup()
    from crimeplan.delivery.spreadsheet import export_actions, format_of
    from crimeplan.plans.models import Plan

    try:
        fmt = format_of(output)
    except ValueError as problem:
        raise click.ClickException(str(problem)) from None
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        raise click.ClickException(f"no plan {slug!r}")
    output.write_bytes(export_actions(plan, fmt))
    click.echo(f"wrote {plan.actions.count()} actions to {output}")


@delivery.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--plan", "slug", default=None, help="plan for rows with no plan column")
@click.option("--dry-run", is_flag=True, help="say what would change, and change nothing")
def import_command(file: Path, slug: str | None, dry_run: bool) -> None:
    """Create and update actions from a spreadsheet, all or nothing.

    Prints how many actions it created, changed and left unchanged; a bad file is refused with
    every problem by row and column, and nothing is stored.

    \b
    Example:
      crimeplan delivery import actions.xlsx --dry-run
    """
    from crimeplan.cli import django_setup

    django_setup()
    from crimeplan.core.audit import acting_as
    from crimeplan.delivery.spreadsheet import ImportProblems, apply_import, plan_import
    from crimeplan.plans.models import Plan

    plan = None
    if slug:
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            raise click.ClickException(f"no plan {slug!r}")
    found = plan_import(file.read_bytes(), file.name, default_plan=plan)
    if found.problems:
        for problem in found.problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"{len(found.problems)} problem(s); nothing was imported")
    for change in found.changed[:20]:
        click.echo(f"  row {change.row}: {change.reference} changes {', '.join(change.changed)}")
    if dry_run:
        click.echo(f"dry run: would be {found.summary()}")
        return
    try:
        with acting_as(label=None):
            counts = apply_import(found)
    except ImportProblems as problems:
        raise click.ClickException(str(problems)) from None
    click.echo(
        f"{counts['created']} created, {counts['changed']} changed, {counts['unchanged']} unchanged"
    )


@click.command(
    name="worker",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
@click.option("--batch", is_flag=True, help="run the queued tasks, then stop")
@click.pass_context
def worker(ctx: click.Context, batch: bool) -> None:
    """Run background tasks (large imports, long work) from the queue.

    A thin shell over django-tasks-db's db_worker; further options pass through to it
    (see crimeplan manage db_worker --help).

    \b
    Example:
      crimeplan worker
      crimeplan worker --batch
    """
    from crimeplan.cli import django_setup

    django_setup()
    from django.core.management import call_command

    args = list(ctx.args)
    if batch:
        args.append("--batch")
    call_command("db_worker", *args)
