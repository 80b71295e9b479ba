"""`crimeplan fetch policeuk`: street crimes from the data.police.uk API into the crime store."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from crimeplan.crimedata.policeuk_api import (
    DEFAULT_BASE_URL,
    ApiError,
    PoliceUkApi,
    fetch_policeuk,
)
from crimeplan.crimedata.store import CrimeStore, StoreLocked
from crimeplan.crimedata.summaries import district_table, file_results_table, progress_bar
from crimeplan.crimedata.synth import parse_months


class Command(BaseCommand):
    help = "Fetch street crimes from the data.police.uk API (stored as the archive would be)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        police = sub.add_parser("policeuk", help="street crimes per neighbourhood polygon")
        police.add_argument("--force", required=True)
        police.add_argument("--months", required=True, help="YYYY-MM:YYYY-MM")
        police.add_argument("--base-url", default=DEFAULT_BASE_URL)

    def handle(self, *args, **options):
        console = Console(file=self.stdout._out, width=160)
        try:
            months = parse_months(options["months"])
        except ValueError as exc:
            raise CommandError(f"--months: {exc}") from None
        store = CrimeStore(Path(settings.CRIMEPLAN_DATA_DIR))
        api = PoliceUkApi(base_url=options["base_url"])
        command = (
            f"crimeplan fetch policeuk --force {options['force']} --months {options['months']}"
        )
        with progress_bar(console) as progress:
            task = progress.add_task("data.police.uk", total=None)

            def on_step(text: str) -> None:
                progress.update(task, advance=1, description=text)

            try:
                report, stats = fetch_policeuk(
                    store, options["force"], months, api=api, command=command, on_step=on_step
                )
            except (ApiError, OSError, StoreLocked) as exc:
                raise CommandError(f"fetch failed: {exc}") from None
        console.print(file_results_table(report.files))
        console.print(district_table(report.files))
        console.print(
            f"{stats.requests} requests ({stats.posts} POST), {stats.retries_429} retried after "
            f"429, {stats.splits} areas split after 503"
        )
        if report.failed:
            raise CommandError("some months could not be loaded (see above)")
