"""Who may read a survey's raw answers, tag them with themes, export them and move its phase.

Raw free text is not public (a respondent may have written something personal in it), so only
analysts, scrutiny officers and administrators of the plan's owner or a partner it names may
see it; the public sees totals and themes once results are published.
"""

from __future__ import annotations

from typing import Any

from crimeplan.accounts.models import Membership, Role
from crimeplan.consultation.models import Survey

ANALYSTS = {Role.ANALYST, Role.SCRUTINY_OFFICER, Role.ADMINISTRATOR}


def can_analyse(user: Any, survey: Survey) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    plan = survey.plan
    organisations = {plan.owner_id, *plan.partners.values_list("pk", flat=True)}
    roles = set(
        Membership.objects.filter(user=user, organisation_id__in=organisations).values_list(
            "role", flat=True
        )
    )
    return bool(roles & ANALYSTS)
