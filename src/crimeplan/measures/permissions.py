"""Who may enter manual measure values."""

from __future__ import annotations

from typing import Any

from crimeplan.accounts.models import Role
from crimeplan.accounts.permissions import roles_in_any
from crimeplan.plans.models import Plan

VALUE_ENTERERS = {
    Role.CONTRIBUTOR,
    Role.LEAD,
    Role.ANALYST,
    Role.SCRUTINY_OFFICER,
    Role.ADMINISTRATOR,
}


def can_enter_values(user: Any, plan: Plan) -> bool:
    """Manual measure values come from partners (e.g. the force's HR for Special Constables), so
    any contributing role in the plan's owner or a partner it names may enter them."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    organisations = {plan.owner_id, *plan.partners.values_list("pk", flat=True)}
    return bool(roles_in_any(user, organisations) & VALUE_ENTERERS)
