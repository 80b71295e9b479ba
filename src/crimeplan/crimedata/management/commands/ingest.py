"""`crimeplan ingest policeuk|geography|stats19`: a thin shell over the crimedata library."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from crimeplan.crimedata.geography import GeographyError, load_geography
from crimeplan.crimedata.policeuk_ingest import ingest_policeuk
from crimeplan.crimedata.stats19 import Stats19Error, load_stats19
from crimeplan.crimedata.store import CrimeStore, StoreLocked
from crimeplan.crimedata.summaries import district_table, file_results_table, progress_bar


def default_geography_dir() -> Path:
    shared = os.environ.get("CRIMEPLAN_SHARED_DATA")
    base = Path(shared) if shared else Path(settings.PROJECT_DIR).parent / "shared" / "data"
    return base / "geo"


def described(options: dict) -> str:
    """The command line as the manifest records it, rebuilt from the parsed options so it is
    the same whether run from a shell or from call_command."""
    words = ["crimeplan", "ingest", options["what"]]
    for name in ("paths", "files"):
        words += [str(p) for p in options.get(name) or []]
    for name in ("force", "folder", "police_force"):
        if options.get(name) is not None:
            flag = "--from" if name == "folder" else "--" + name.replace("_", "-")
            words += [flag, str(options[name])]
    return " ".join(shlex.quote(w) for w in words)


class Command(BaseCommand):
    help = "Load crime, geography or road collision data into the crime store."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        police = sub.add_parser("policeuk", help="police.uk archive zips, folders or CSV files")
        police.add_argument("paths", nargs="+", type=Path)
        police.add_argument("--force", help="only this force (e.g. essex)")
        geo = sub.add_parser("geography", help="LSOA lookups, boundaries and population (ONS)")
        geo.add_argument("--from", dest="folder", type=Path, default=None)
        geo.add_argument("--force", default="essex")
        roads = sub.add_parser("stats19", help="DfT road collision (and casualty) CSVs")
        roads.add_argument("files", nargs="+", type=Path)
        roads.add_argument("--police-force", type=int, default=42, help="DfT police force code")
        roads.add_argument("--force", default="essex")

    def handle(self, *args, **options):
        console = Console(file=self.stdout._out, width=160)
        store = CrimeStore(Path(settings.CRIMEPLAN_DATA_DIR))
        command = described(options)
        try:
            if options["what"] == "policeuk":
                self.policeuk(console, store, options, command)
            elif options["what"] == "geography":
                self.geography(console, store, options, command)
            else:
                self.stats19(console, store, options, command)
        except StoreLocked as exc:
            raise CommandError(str(exc)) from None

    def policeuk(self, console, store, options, command):
        with progress_bar(console) as progress:
            task = progress.add_task("police.uk files", total=None)

            def on_file(result, done, total):
                progress.update(task, completed=done, total=total, description=result.display)

            report = ingest_policeuk(
                store, options["paths"], force=options["force"], command=command, on_file=on_file
            )
        console.print(file_results_table(report.files))
        console.print(district_table(report.files))
        for problem in report.problems:
            console.print(f"[red]error:[/red] {problem}")
        for f in report.files:
            if f.error:
                console.print(f"[red]error:[/red] {f.error}")
        if report.failed:
            failed = len(report.problems) + sum(f.status == "failed" for f in report.files)
            raise CommandError(f"{failed} input(s) could not be loaded (see above)")

    def geography(self, console, store, options, command):
        folder = options["folder"] or default_geography_dir()
        try:
            result = load_geography(store, folder, force=options["force"], command=command)
        except GeographyError as exc:
            raise CommandError(str(exc)) from None
        console.print(
            ("unchanged (same files as the last load): " if result.unchanged else "")
            + f"geography for {options['force']}: LSOAs {result.lookups}, "
            f"LSOA boundaries {result.boundaries}, district boundaries "
            f"{result.districts_with_boundary}, wards {result.wards}, LSOA population rows "
            f"{result.lsoa_population_rows}, district population rows "
            f"{result.district_population_rows}, from {len(result.files)} files in {folder}"
        )

    def stats19(self, console, store, options, command):
        try:
            result = load_stats19(
                store,
                options["files"],
                police_force=options["police_force"],
                force=options["force"],
                command=command,
            )
        except Stats19Error as exc:
            raise CommandError(str(exc)) from None
        console.print(result.summary_table())
        if result.unchanged:
            console.print("unchanged: the same files were loaded last time; nothing written")
