"""``crimeplan demo``: everything ``make demo`` loads, in one idempotent command.

Example plans and demo log-ins; real geography when ``../shared/data/geo`` is beside the
checkout; generated police.uk street crime, road collisions and manual values (labelled
synthetic); then every measure computed. Running it again changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from crimeplan.accounts.demo_users import DEMO_PASSWORD, create_demo_users
from crimeplan.core.demo_data import write_collisions, write_manual_values
from crimeplan.crimedata.synth import parse_months

EXAMPLES = Path(settings.PROJECT_DIR) / "examples" / "plans"


class Command(BaseCommand):
    help = "Load the example plans, demo users and synthetic data; print the demo log-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plans", type=Path, default=EXAMPLES, help="folder of plan files")
        parser.add_argument("--months", default="2023-01:2025-12", help="synthetic data months")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-data", action="store_true", help="plans and users only")

    def handle(
        self, *args: Any, plans: Path, months: str, seed: int, no_data: bool, **options: Any
    ) -> None:
        if not settings.DEBUG:
            raise CommandError("the demo sets known passwords; run it only with DEBUG on")
        files = sorted(plans.glob("*.yaml"))
        if not files:
            raise CommandError(f"no plan files in {plans}")
        out, err = self.stdout, self.stderr
        call_command("plan", "import", *map(str, files), stdout=out, stderr=err)
        users = create_demo_users()
        from crimeplan.consultation.demo import load_demo_consultation

        for line in load_demo_consultation(plans, seed):
            self.stdout.write(line)
        if not no_data:
            self._data(months, seed)
        self.stdout.write(f"\nDemo log-ins (password for all: {DEMO_PASSWORD})")
        for user in users:
            self.stdout.write(
                f"  {user.username:<8} {user.role.label:<17} at {user.organisation}"
                + ("  (Django admin too)" if user.superuser else "")
            )

    def _data(self, months: str, seed: int) -> None:
        out, err = self.stdout, self.stderr
        month_list = parse_months(months)
        synth = Path(settings.CRIMEPLAN_HOME) / "synth"
        try:
            call_command("ingest", "geography", stdout=out, stderr=err)
        except CommandError as exc:
            # Boundaries and populations are real public data kept beside the checkout; without
            # them maps and rates are unavailable but everything else works.
            self.stderr.write(f"geography not loaded ({exc}); maps and rates will be missing")
        call_command(
            "synth",
            "policeuk",
            "--months",
            months,
            "--seed",
            str(seed),
            "--out",
            str(synth / "policeuk"),
            stdout=out,
            stderr=err,
        )
        call_command("ingest", "policeuk", str(synth / "policeuk"), stdout=out, stderr=err)
        collisions = synth / "stats19" / "collisions-synthetic.csv"
        write_collisions(collisions, month_list, seed)
        call_command("ingest", "stats19", str(collisions), stdout=out, stderr=err)
        values = synth / "manual-values-synthetic.csv"
        write_manual_values(values, month_list, seed)
        call_command("measures", "load-manual", str(values), stdout=out, stderr=err)
        call_command("measures", "compute", stdout=out, stderr=err)
