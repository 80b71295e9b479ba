"""``crimeplan plan validate|import|export|new``: plan files in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crimeplan.core.audit import acting_as
from crimeplan.plans.models import Plan
from crimeplan.plans.planfile_export import export_plan
from crimeplan.plans.planfile_import import import_plan
from crimeplan.plans.planfile_starter import placeholders, starter_plan_text
from crimeplan.plans.planfile_validate import validate_file


class Command(BaseCommand):
    help = (
        "Validate, import or export plan files (YAML, schema in crimeplan/plans/plan.schema.json)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{validate,import,export,new}"
        )
        validate = sub.add_parser("validate", help="check plan files and list every problem")
        validate.add_argument("files", nargs="+", type=Path)
        do_import = sub.add_parser("import", help="import plan files (each all or nothing)")
        do_import.add_argument("files", nargs="+", type=Path)
        export = sub.add_parser("export", help="write a stored plan as a plan file")
        export.add_argument("slug")
        export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
        new = sub.add_parser("new", help="write a starter plan file for a force")
        new.add_argument("--force", required=True, help="police.uk force id, e.g. kent")
        new.add_argument("--start", type=int, help="first year (default: this year)")
        new.add_argument("-o", "--output", type=Path, required=True, help="file to write")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _check(self, files: list[Path]) -> list[tuple[Path, dict]]:
        good, failed = [], 0
        for path in files:
            if not path.is_file():
                self.stderr.write(f"{path}: no such file")
                failed += 1
                continue
            data, problems = validate_file(path)
            if problems:
                failed += 1
                noun = "problem" if len(problems) == 1 else "problems"
                self.stderr.write(f"{path}: {len(problems)} {noun}")
                for problem in problems:
                    self.stderr.write("  " + problem.format(str(path)))
            else:
                good.append((path, data))
        if failed:
            raise CommandError(f"{failed} of {len(files)} plan file(s) refused", returncode=1)
        return good

    def _validate(self, files: list[Path], **_: Any) -> None:
        for path, data in self._check(files):
            count = sum(len(p["commitments"]) for p in data.get("priorities", []))
            self.stdout.write(
                f"{path}: valid ({len(data.get('priorities', []))} priorities, {count} commitments)"
            )

    def _import(self, files: list[Path], **_: Any) -> None:
        # Every file is checked before any is imported, so a bad file never leaves half a set.
        checked = self._check(files)
        with acting_as(label=f"cli:plan import {' '.join(str(f) for f in files)}"[:200]):
            for path, data in checked:
                report = import_plan(data)
                self.stdout.write(f"{path}: {report.plan.slug}: {report.summary()}")

    def _export(self, slug: str, output: Path | None, **_: Any) -> None:
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            known = ", ".join(Plan.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"no plan with slug {slug!r} (known: {known})")
        text = export_plan(plan)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {output}")

    def _new(self, force: str, start: int | None, output: Path, **_: Any) -> None:
        import datetime

        from crimeplan.plans.planfile_validate import validate_text

        if output.exists():
            raise CommandError(f"{output} exists: give another file name (nothing written)")
        try:
            text = starter_plan_text(force, start or datetime.date.today().year)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        data, problems = validate_text(text)
        if problems:  # the starter must validate as written; say so loudly if it ever does not
            raise CommandError("; ".join(p.format(str(output)) for p in problems))
        output.write_text(text, encoding="utf-8")
        todo = placeholders(data)
        self.stdout.write(
            f"wrote {output}: a draft plan for {force} with {len(data['measures'])} measures; "
            f"it validates. Write these {len(todo)} fields before publishing:"
        )
        for path in todo:
            self.stdout.write(f"  {path}")
