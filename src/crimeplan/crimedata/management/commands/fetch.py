"""`crimeplan fetch policeuk`: street crimes from the data.police.uk API into the crime store."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from crimeplan.crimedata.geography import GeographyError
from crimeplan.crimedata.ons_geography import DEFAULT_BASE_URL as ONS_BASE_URL
from crimeplan.crimedata.ons_geography import OnsGeographyApi, fetch_geography
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
        geo = sub.add_parser("geography", help="a force's LSOA boundaries and lookups (ONS)")
        geo.add_argument("--force", default=None, help="police.uk force id (CRIMEPLAN_FORCE)")
        geo.add_argument("--out", type=Path, default=None, help="folder for the downloaded files")
        geo.add_argument("--base-url", default=ONS_BASE_URL)

    def handle(self, *args, **options):
        console = Console(file=self.stdout._out, width=160)
        if options["what"] == "geography":
            return self.geography(console, options)
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

    def geography(self, console, options):
        force = options["force"] or settings.CRIMEPLAN_FORCE
        folder = options["out"] or Path(settings.CRIMEPLAN_HOME) / "geography" / force
        store = CrimeStore(Path(settings.CRIMEPLAN_DATA_DIR))
        api = OnsGeographyApi(base_url=options["base_url"])
        try:
            result = fetch_geography(
                store, force, folder, api, command=f"crimeplan fetch geography --force {force}"
            )
        except (GeographyError, StoreLocked) as exc:
            raise CommandError(str(exc)) from None
        console.print(
            f"geography for {force}: {result.lookups.get(2021, 0)} LSOAs (2021), "
            f"{result.lookups.get(2011, 0)} (2011), {result.districts_with_boundary} district "
            f"boundaries, in {api.requests} requests; files in {folder}"
        )
