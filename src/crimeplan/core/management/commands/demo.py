"""``crimeplan demo``: everything ``make demo`` loads, in one idempotent command.

Example plans and demo log-ins; real geography when ``../shared/data/geo`` is beside the
checkout; generated police.uk street crime, road collisions and manual values (labelled
synthetic); then every measure computed. Running it again changes nothing.
"""

from __future__ import annotations

import io
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
        parser.add_argument("--detail", action="store_true", help="print every step's full report")

    def _step(self, label: str, *args: str) -> None:
        """Run one command; without --detail its report (hundreds of lines for the road
        casualty table) is kept back and one line says it ran."""
        if self.detail:
            call_command(*args, stdout=self.stdout, stderr=self.stderr)
            return
        report = io.StringIO()
        call_command(*args, stdout=report, stderr=report)
        lines = len(report.getvalue().splitlines())
        self.stdout.write(f"  {label}: done ({lines} lines of detail with --detail)")

    def handle(
        self, *args: Any, plans: Path, months: str, seed: int, no_data: bool, **options: Any
    ) -> None:
        self.detail = bool(options.get("detail"))
        if not settings.DEBUG:
            raise CommandError("the demo sets known passwords; run it only with DEBUG on")
        files = sorted(plans.glob("*.yaml"))
        if not files:
            raise CommandError(f"no plan files in {plans}")
        self._step(f"plans ({len(files)} files)", "plan", "import", *map(str, files))
        users = create_demo_users()
        if not no_data:
            self._data(months, seed)
        self.stdout.write(f"\nDemo log-ins (password for all: {DEMO_PASSWORD})")
        for user in users:
            self.stdout.write(
                f"  {user.username:<8} {user.role.label:<17} at {user.organisation}"
                + ("  (Django admin too)" if user.superuser else "")
            )

    def _data(self, months: str, seed: int) -> None:
        month_list = parse_months(months)
        synth = Path(settings.CRIMEPLAN_HOME) / "synth"
        try:
            self._step("geography", "ingest", "geography")
        except CommandError as exc:
            # Boundaries and populations are real public data kept beside the checkout; without
            # them maps and rates are unavailable but everything else works.
            self.stderr.write(f"geography not loaded ({exc}); maps and rates will be missing")
        police = str(synth / "policeuk")
        self._step(
            f"synthetic police.uk crime {months}",
            "synth", "policeuk", "--months", months, "--seed", str(seed), "--out", police,
        )  # fmt: skip
        self._step("crime store", "ingest", "policeuk", police)
        collisions = synth / "stats19" / "collisions-synthetic.csv"
        write_collisions(collisions, month_list, seed)
        self._step("synthetic road collisions", "ingest", "stats19", str(collisions))
        values = synth / "manual-values-synthetic.csv"
        write_manual_values(values, month_list, seed)
        self._step("synthetic manual values", "measures", "load-manual", str(values))
        self._step("measures", "measures", "compute")
