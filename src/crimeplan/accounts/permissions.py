"""Who may do what. Every write view calls these on the server; templates only mirror them.

Rules:
- Published plans are public; anything unpublished needs a log-in and a membership of any
  organisation in the partnership (or staff status).
- Plan content (the plan, priorities, commitments, strands, assets, boards) may be changed by
  scrutiny officers and administrators of the organisation that owns the plan, and by superusers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crimeplan.accounts.models import Membership, Role

if TYPE_CHECKING:
    from crimeplan.plans.models import Plan

PLAN_EDITORS = {Role.SCRUTINY_OFFICER, Role.ADMINISTRATOR}


def roles_in(user: Any, organisation_id: int | None) -> set[str]:
    if not getattr(user, "is_authenticated", False) or organisation_id is None:
        return set()
    return set(
        Membership.objects.filter(user=user, organisation_id=organisation_id).values_list(
            "role", flat=True
        )
    )


def is_partner(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or Membership.objects.filter(user=user).exists())


def can_view_plan(user: Any, plan: Plan) -> bool:
    return plan.is_public or is_partner(user)


def can_edit_plan(user: Any, plan: Plan) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(roles_in(user, plan.owner_id) & PLAN_EDITORS)


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
    roles = set(
        Membership.objects.filter(user=user, organisation_id__in=organisations).values_list(
            "role", flat=True
        )
    )
    return bool(roles & VALUE_ENTERERS)
