"""`crimeplan synth policeuk`: write synthetic police.uk files for demos and benchmarks."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from crimeplan.crimedata.store import CrimeStore
from crimeplan.crimedata.synth import generate_policeuk, lsoas_from_features, parse_months


class Command(BaseCommand):
    help = (
        "Write synthetic police.uk street files (labelled synthetic in the Context column). "
        "Real LSOAs are used when geography has been loaded, invented ones otherwise."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        police = sub.add_parser("policeuk", help="street-level crime files")
        police.add_argument("--force", default="essex")
        police.add_argument("--months", required=True, help="YYYY-MM:YYYY-MM")
        police.add_argument("--seed", type=int, default=1)
        police.add_argument("--out", type=Path, required=True)
        police.add_argument("--rows-per-month", type=int, default=None)

    def handle(self, *args, **options):
        try:
            months = parse_months(options["months"])
        except ValueError as exc:
            raise CommandError(f"--months: {exc}") from None
        store = CrimeStore(Path(settings.CRIMEPLAN_DATA_DIR))
        try:
            lsoas = lsoas_from_features(store.lsoa_boundaries(2021)["features"])
        except LookupError:
            lsoas = None
        try:
            paths = generate_policeuk(
                options["out"],
                months,
                options["seed"],
                force=options["force"],
                lsoas=lsoas,
                rows_per_month=options["rows_per_month"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        areas = "real LSOAs from the loaded geography" if lsoas else "invented LSOAs"
        self.stdout.write(
            f"wrote {len(paths)} synthetic files for {options['force']} to {options['out']} "
            f"(seed {options['seed']}, {areas})"
        )
