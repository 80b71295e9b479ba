"""Demo log-ins, one per role, so a new user can try every permission from the README."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from crimeplan.accounts.models import Membership, Organisation, Role

DEMO_PASSWORD = "crimeplan-demo"  # noqa: S105 - printed for the demo; refused when DEBUG is off


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    organisation: str
    role: Role
    superuser: bool = False


DEMO_USERS = [
    DemoUser("admin", "Demo Administrator", "essex-pfcc", Role.ADMINISTRATOR, superuser=True),
    DemoUser("officer", "Demo Scrutiny Officer", "essex-pfcc", Role.SCRUTINY_OFFICER),
    DemoUser("analyst", "Demo Analyst", "essex-pfcc", Role.ANALYST),
    DemoUser("lead", "Demo Strand Lead", "essex-police", Role.LEAD),
    DemoUser("partner", "Demo Partner Contributor", "safer-essex", Role.CONTRIBUTOR),
    DemoUser("viewer", "Demo Board Member", "ecvs-network", Role.VIEWER),
]


def create_demo_users() -> list[DemoUser]:
    """Create (or reset) the demo users; organisations come from the example plan files."""
    User = get_user_model()
    made = []
    with transaction.atomic():
        for demo in DEMO_USERS:
            organisation = Organisation.objects.filter(slug=demo.organisation).first()
            if organisation is None:
                continue
            first, _, last = demo.full_name.partition(" ")
            user, _ = User.objects.get_or_create(username=demo.username)
            user.first_name, user.last_name = first, last
            user.is_staff = user.is_superuser = demo.superuser
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.update_or_create(
                user=user, organisation=organisation, defaults={"role": demo.role}
            )
            made.append(demo)
    return made
