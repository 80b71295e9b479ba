"""`crimeplan data status|rejects`: what the crime store holds, month by month, and the rows
an ingest rejected."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from crimeplan.crimedata.rejects import find_rejects
from crimeplan.crimedata.store import CrimeStore
from crimeplan.crimedata.summaries import manifest_table, reject_lines


class Command(BaseCommand):
    help = "Report on the crime store."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("status", help="the manifest of every loaded month, as a table")
        rejects = sub.add_parser("rejects", help="rows an ingest rejected, with line and reason")
        rejects.add_argument("--month", help="only this month (YYYY-MM)")
        rejects.add_argument("--file", help="only this file (as loaded, or its name)")

    def handle(self, *args, **options):
        console = Console(file=self.stdout._out, width=200)
        store = CrimeStore(Path(settings.CRIMEPLAN_DATA_DIR))
        if options["what"] == "rejects":
            try:
                found = find_rejects(store, month=options["month"], file=options["file"])
            except ValueError as exc:
                raise CommandError(f"--month: {exc}") from None
            for line in reject_lines(found):
                self.stdout.write(line)
            self.stdout.write(f"{len(found):,} rejected rows")
            return
        manifests = store.manifests()
        if not manifests:
            console.print(f"no crime data loaded in {store.root}")
        else:
            console.print(manifest_table(manifests))
        catalog = store.catalog()
        for section in ("geography", "stats19"):
            manifest = (catalog.get(section) or {}).get("manifest")
            if manifest:
                files = len(manifest.get("files", []))
                console.print(
                    f"{section}: {files} source files, loaded {manifest['loaded_at']} "
                    f"by `{manifest['command']}`"
                )
            else:
                console.print(f"{section}: not loaded")
