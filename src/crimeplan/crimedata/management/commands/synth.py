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
        "Crimes are placed in the LSOAs of the loaded geography, else the built-in one."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        police = sub.add_parser("policeuk", help="street-level crime files")
        police.add_argument("--force", default=None, help="default: CRIMEPLAN_FORCE")
        police.add_argument("--months", required=True, help="YYYY-MM:YYYY-MM")
        police.add_argument("--seed", type=int, default=1)
        police.add_argument("--out", type=Path, required=True)
        police.add_argument("--rows-per-month", type=int, default=None)

    def handle(self, *args, **options):
        try:
            months = parse_months(options["months"])
        except ValueError as exc:
            raise CommandError(f"--months: {exc}") from None
        force = options["force"] = options["force"] or settings.CRIMEPLAN_FORCE
        store = CrimeStore(Path(settings.CRIMEPLAN_DATA_DIR))
        try:
            lsoas = lsoas_from_features(store.lsoa_boundaries(2021, force)["features"])
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
        areas = "LSOAs of the loaded geography" if lsoas else "LSOAs of the built-in geography"
        self.stdout.write(
            f"wrote {len(paths)} synthetic files for {options['force']} to {options['out']} "
            f"(seed {options['seed']}, {areas})"
        )
