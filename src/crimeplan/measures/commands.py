"""``crimeplan measures compute|show|load-manual``: thin shells over the measures library."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.console import Console

    from crimeplan.measures.models import Measure


def _setup() -> None:
    from crimeplan.cli import django_setup

    django_setup()


def _console() -> Console:
    from rich.console import Console

    return Console(file=sys.stdout, width=120)


class UnknownMeasure(click.ClickException):
    """No measure, or more than one, answers to a key."""


def find_measure(key: str, plan: str | None) -> Measure:
    from crimeplan.measures.models import Measure

    qs = Measure.objects.filter(key=key).select_related("plan")
    if plan:
        qs = qs.filter(plan__slug=plan)
    found = list(qs)
    if not found:
        raise UnknownMeasure(f"no measure {key!r}" + (f" in plan {plan!r}" if plan else ""))
    if len(found) > 1:
        raise UnknownMeasure(f"measure {key!r} is in several plans; name one with --plan")
    return found[0]


@click.group(name="measures")
def measures() -> None:
    """Compute, show and enter measure values.

    \b
    Example:
      crimeplan measures compute
    """


@measures.command(name="compute")
@click.option("--plan", help="only this plan's measures (slug)")
def compute(plan: str | None) -> None:
    """Recompute every series from the crime store (and the entered values).

    \b
    Example:
      crimeplan measures compute --plan essex-police-and-crime-plan-2016-2020
    """
    _setup()
    from rich.progress import Progress
    from rich.table import Table

    from crimeplan.core.audit import acting_as
    from crimeplan.measures.compute import compute_measures
    from crimeplan.measures.models import Measure

    qs = Measure.objects.select_related("plan").prefetch_related("rebases")
    if plan:
        qs = qs.filter(plan__slug=plan)
    found = list(qs)
    if not found:
        raise click.ClickException("no measures to compute: import a plan file with measures first")
    console = _console()
    with acting_as(label="cli:measures compute"), Progress(console=console) as progress:
        task = progress.add_task("computing measures", total=len(found))
        summary = compute_measures(found, lambda m: progress.advance(task))
    table = Table(title="measures computed")
    for column in ("measures", "series", "points", "last month", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(
        str(summary.measures),
        str(summary.series),
        f"{summary.points:,}",
        summary.last_month or "–",
        f"{summary.seconds:.2f}",
    )
    console.print(table)
    if summary.empty:
        console.print(f"no data yet for: {', '.join(summary.empty)}")


@measures.command(name="show")
@click.argument("key", metavar="ID")
@click.option("--plan", help="plan slug, when two plans share an id")
@click.option("--area", default="force", show_default=True, help="'force' or a district code")
def show(key: str, plan: str | None, area: str) -> None:
    """Print a measure's series, limits, signals, icons and reading.

    \b
    Example:
      crimeplan measures show burglary --area E07000070
    """
    _setup()
    from rich.table import Table

    from crimeplan.measures.spc_chart import chart_table
    from crimeplan.measures.views_support import area_name, assess_measure

    measure = find_measure(key, plan)
    assessment = assess_measure(measure, area)
    if assessment is None:
        raise click.ClickException(
            f"no series for {key} in {area}: run `crimeplan measures compute` first"
        )
    console = _console()
    definition = measure.definition()
    console.print(f"[bold]{measure.title}[/bold] – {area_name(area)} ({definition.unit_label()})")
    table = Table()
    for column in ("period", "value", "mean", "lower", "upper", "lower 2σ", "upper 2σ", "signal"):
        table.add_column(column, justify="right" if column != "signal" else "left")

    def fmt(x: float | None) -> str:
        return "–" if x is None else f"{x:,.2f}"

    for row in chart_table(assessment.result):
        table.add_row(
            row.period,
            fmt(row.value),
            fmt(row.mean),
            fmt(row.lower_limit),
            fmt(row.upper_limit),
            fmt(row.lower_near_limit),
            fmt(row.upper_near_limit),
            row.signal or "",
        )
    console.print(table)
    icons = [i.label for i in (assessment.variation_icon, assessment.assurance_icon) if i]
    console.print("Icons: " + ("; ".join(icons) if icons else "none"))
    if assessment.target is not None:
        console.print(f"Target: {assessment.target:,.2f}")
    console.print(assessment.reading.text)
    for note in assessment.notes:
        console.print(note)


@measures.command(name="load-manual")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--plan", help="plan slug, when two plans share a measure id")
def load_manual(file: Path, plan: str | None) -> None:
    """Load entered values from CSV: measure, area, period, value, source[, note]; all or none.

    \b
    Example:
      crimeplan measures load-manual values.csv
    """
    _setup()
    click.echo(load_manual_values(file, plan))


def load_manual_values(file: Path, plan: str | None = None) -> str:
    """Check every row, then store them all in one transaction; bad rows go to stderr."""
    import csv

    from django.db import transaction

    from crimeplan.core.audit import acting_as
    from crimeplan.measures.compute import enter_manual_value, recompute_manual
    from crimeplan.measures.entry import Problem, check_value
    from crimeplan.measures.models import Measure

    if not file.is_file():
        raise click.ClickException(f"{file}: no such file")
    required = ["measure", "period", "value", "source"]
    errors, rows = [], []
    with file.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise click.ClickException(f"{file}:1: missing column(s): {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            try:
                measure = find_measure(row["measure"], plan)
            except UnknownMeasure as exc:
                errors.append(f"{file}:{line}: measure: {exc.message}")
                continue
            if measure.source != Measure.Source.MANUAL:
                errors.append(f"{file}:{line}: measure: {measure.key} is computed, not entered")
                continue
            checked, problems = check_value(
                measure, row.get("area"), row.get("period"), row.get("value")
            )
            if not (row.get("source") or "").strip():
                problems.append(Problem("source", "say where the value comes from"))
            if problems or checked is None:
                errors.extend(f"{file}:{line}: {problem}" for problem in problems)
                continue
            rows.append(
                (
                    measure,
                    checked.area,
                    checked.period,
                    checked.value,
                    row["source"].strip(),
                    (row.get("note") or "").strip(),
                )
            )
    if errors:
        for error in errors:
            click.echo(error, err=True)
        raise click.ClickException(f"{len(errors)} bad row(s): nothing loaded")
    touched: dict[int, Measure] = {}
    with acting_as(label=f"cli:measures load-manual {file.name}"), transaction.atomic():
        for measure, area, period, value, source, note in rows:
            enter_manual_value(
                measure, period, value, source, note, area, entered_by_label=f"file {file.name}"
            )
            touched[measure.pk] = measure
        for measure in touched.values():
            recompute_manual(measure)
    return f"{file}: {len(rows)} value(s) for {len(touched)} measure(s)"
