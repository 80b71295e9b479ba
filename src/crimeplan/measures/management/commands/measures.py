"""``crimeplan measures compute|show|load-manual``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from crimeplan.core.audit import acting_as
from crimeplan.measures.compute import compute_measures, enter_manual_value, recompute_manual
from crimeplan.measures.entry import Problem, check_value
from crimeplan.measures.models import Measure
from crimeplan.measures.spc_chart import chart_table
from crimeplan.measures.views_support import area_name, assess_measure


class Command(BaseCommand):
    help = "Compute measure series from the crime store, show one, or load manual values."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        compute = sub.add_parser("compute", help="recompute every series from the store")
        compute.add_argument("--plan", help="only this plan's measures (slug)")
        show = sub.add_parser("show", help="print a measure's series, limits, signals and icons")
        show.add_argument("id", help="measure id, as in the plan file")
        show.add_argument("--plan", help="plan slug, when two plans share an id")
        show.add_argument("--area", default="force", help="'force' or a district code")
        load = sub.add_parser("load-manual", help="load entered values from CSV")
        load.add_argument("file", type=Path)
        load.add_argument("--plan", help="plan slug, when two plans share a measure id")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "_" + action.replace("-", "_"))(**options)

    def _console(self) -> Console:
        return Console(file=self.stdout, width=120)

    def _measure(self, key: str, plan: str | None) -> Measure:
        qs = Measure.objects.filter(key=key).select_related("plan")
        if plan:
            qs = qs.filter(plan__slug=plan)
        found = list(qs)
        if not found:
            raise CommandError(f"no measure {key!r}" + (f" in plan {plan!r}" if plan else ""))
        if len(found) > 1:
            raise CommandError(f"measure {key!r} is in several plans; name one with --plan")
        return found[0]

    def _compute(self, plan: str | None, **_: Any) -> None:
        measures = Measure.objects.select_related("plan").prefetch_related("rebases")
        if plan:
            measures = measures.filter(plan__slug=plan)
        measures = list(measures)
        if not measures:
            raise CommandError("no measures to compute: import a plan file with measures first")
        console = self._console()
        with acting_as(label="cli:measures compute"), Progress(console=console) as progress:
            task = progress.add_task("computing measures", total=len(measures))
            summary = compute_measures(measures, lambda m: progress.advance(task))
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

    def _show(self, id: str, plan: str | None, area: str, **_: Any) -> None:
        measure = self._measure(id, plan)
        assessment = assess_measure(measure, area)
        if assessment is None:
            raise CommandError(
                f"no series for {id} in {area}: run `crimeplan measures compute` first"
            )
        console = self._console()
        definition = measure.definition()
        console.print(
            f"[bold]{measure.title}[/bold] – {area_name(area)} ({definition.unit_label()})"
        )
        table = Table()
        for column in (
            "period",
            "value",
            "mean",
            "lower",
            "upper",
            "lower 2σ",
            "upper 2σ",
            "signal",
        ):
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

    def _load_manual(self, file: Path, plan: str | None, **_: Any) -> None:
        """CSV columns: measure, area, period, value, source[, note]; all rows or none."""
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        required = ["measure", "period", "value", "source"]
        errors, rows = [], []
        with file.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(f"{file}:1: missing column(s): {', '.join(missing)}")
            for line, row in enumerate(reader, start=2):
                try:
                    measure = self._measure(row["measure"], plan)
                except CommandError as exc:
                    errors.append(f"{file}:{line}: measure: {exc}")
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
                self.stderr.write(error)
            raise CommandError(f"{len(errors)} bad row(s): nothing loaded", returncode=1)
        touched: dict[int, Measure] = {}
        with acting_as(label=f"cli:measures load-manual {file.name}"), transaction.atomic():
            for measure, area, period, value, source, note in rows:
                enter_manual_value(
                    measure, period, value, source, note, area, entered_by_label=f"file {file.name}"
                )
                touched[measure.pk] = measure
            for measure in touched.values():
                recompute_manual(measure)
        self.stdout.write(f"{file}: {len(rows)} value(s) for {len(touched)} measure(s)")
