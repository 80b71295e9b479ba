"""``crimeplan survey``: validate and import consultation files, move a survey's phase,
export its responses."""

from __future__ import annotations

from pathlib import Path

import click


@click.group(name="survey")
def survey() -> None:
    """Consultation surveys: files, phases and exports.

    \b
    Example:
      crimeplan survey import examples/plans/consultation/essex-police-and-crime-plan-2016-2020.yaml
    """


@survey.command(name="validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check consultation files; every problem is printed with its file and line.

    \b
    Example:
      crimeplan survey validate examples/plans/consultation/*.yaml
    """
    from crimeplan.consultation.surveyfile import SurveyFileError, validate_file

    failed = False
    for path in files:
        try:
            validate_file(path)
        except SurveyFileError as exc:
            failed = True
            click.echo(str(exc), err=True)
        else:
            click.echo(f"{path}: ok")
    if failed:
        raise click.ClickException("consultation file(s) not valid")


@survey.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def import_(files: tuple[Path, ...]) -> None:
    """Import consultation files (the plan must be imported first).

    Importing again changes nothing and never reopens a closed survey.

    \b
    Example:
      crimeplan survey import examples/plans/consultation/essex-police-and-crime-plan-2016-2020.yaml
    """
    from crimeplan.cli import django_setup

    django_setup()
    from crimeplan.consultation.surveyfile import SurveyFileError, import_file
    from crimeplan.core.audit import acting_as

    for path in files:
        try:
            with acting_as():
                result = import_file(path)
        except SurveyFileError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(
            f"{path}: created {len(result.created)}, updated {len(result.updated)}, "
            f"unchanged {len(result.unchanged)}"
        )


@survey.command(name="phase")
@click.argument("survey")
@click.argument("phase")
def phase(survey: str, phase: str) -> None:
    """Move SURVEY (its slug) to PHASE: open, closed or results_published.

    Phases only move forward: draft, open, closed, results published.

    \b
    Example:
      crimeplan survey phase essex-police-and-crime-plan-2016-survey closed
    """
    from crimeplan.cli import django_setup

    django_setup()
    from crimeplan.consultation.models import Survey
    from crimeplan.consultation.phases import PhaseError, move_phase
    from crimeplan.core.audit import acting_as

    found = Survey.objects.filter(slug=survey).first()
    if found is None:
        raise click.ClickException(f"no survey {survey!r}")
    try:
        with acting_as():
            move_phase(found, phase)
    except PhaseError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{survey}: {found.get_phase_display()}")


@survey.command(name="export")
@click.argument("survey")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True)
def export(survey: str, fmt: str, out: Path) -> None:
    """Write SURVEY's counted responses (nothing that identifies a respondent) to OUT.

    \b
    Example:
      crimeplan survey export SURVEY --format xlsx -o responses.xlsx
    """
    from crimeplan.cli import django_setup

    django_setup()
    from crimeplan.consultation.export import as_csv, as_xlsx
    from crimeplan.consultation.models import Survey

    found = Survey.objects.filter(slug=survey).first()
    if found is None:
        raise click.ClickException(f"no survey {survey!r}")
    if fmt == "csv":
        out.write_text(as_csv(found), encoding="utf-8")
    else:
        out.write_bytes(as_xlsx(found))
    click.echo(f"wrote {out}")
