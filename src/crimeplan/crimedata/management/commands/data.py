"""`crimeplan data status`: what the crime store holds, month by month."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from rich.console import Console

from crimeplan.crimedata.store import CrimeStore, geography_sections
from crimeplan.crimedata.summaries import manifest_table


class Command(BaseCommand):
    help = "Report on the crime store."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("status", help="the manifest of every loaded month, as a table")

    def handle(self, *args, **options):
        console = Console(file=self.stdout._out, width=200)
        store = CrimeStore(Path(settings.CRIMEPLAN_DATA_DIR))
        manifests = store.manifests()
        if not manifests:
            console.print(f"no crime data loaded in {store.root}")
        else:
            console.print(manifest_table(manifests))
        catalog = store.catalog()
        sections = {f"geography {force}": sec for force, sec in geography_sections(catalog).items()}
        sections = sections or {"geography": None}
        sections["stats19"] = catalog.get("stats19")
        for section, content in sections.items():
            manifest = (content or {}).get("manifest")
            if manifest:
                files = len(manifest.get("files", []))
                basis = f" ({manifest['basis']})" if manifest.get("basis") else ""
                console.print(
                    f"{section}: {files} source files{basis}, loaded {manifest['loaded_at']} "
                    f"by `{manifest['command']}`"
                )
            else:
                console.print(f"{section}: not loaded")
