"""``crimeplan demo``: load the example plans and demo log-ins (what ``make demo`` runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from crimeplan.accounts.demo_users import DEMO_PASSWORD, create_demo_users

EXAMPLES = Path(settings.PROJECT_DIR) / "examples" / "plans"


class Command(BaseCommand):
    help = "Load the example plans and demo users, and print the demo log-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plans", type=Path, default=EXAMPLES, help="folder of plan files")

    def handle(self, *args: Any, plans: Path, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("the demo sets known passwords; run it only with DEBUG on")
        files = sorted(plans.glob("*.yaml"))
        if not files:
            raise CommandError(f"no plan files in {plans}")
        call_command("plan", "import", *map(str, files), stdout=self.stdout, stderr=self.stderr)
        users = create_demo_users()
        self.stdout.write(f"\nDemo log-ins (password for all: {DEMO_PASSWORD})")
        for user in users:
            self.stdout.write(
                f"  {user.username:<8} {user.role.label:<17} at {user.organisation}"
                + ("  (Django admin too)" if user.superuser else "")
            )
