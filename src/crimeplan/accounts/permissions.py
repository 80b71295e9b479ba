"""Who may do what. Every write view calls these on the server; templates only mirror them.

Rules:
- Published plans are public. An unpublished plan and any plan's change history are for the
  members of the plan's owner and of the partners it names (any role), and for staff: being a
  member of *some* organisation is not enough, because a draft is shared with its partnership,
  not with everyone who can sign in.
- An organisation's member list is for its own members, for the members of the organisations
  it plans with (an owner and the partners its plans name), and for staff.
- Plan content (the plan, priorities, commitments, strands, assets, boards) may be changed by
  scrutiny officers and administrators of the organisation that owns the plan, and by superusers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from crimeplan.accounts.models import Membership, Organisation, Role

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


def _is_staff(user: Any) -> bool:
    return bool(user.is_staff or user.is_superuser)


def member_organisations(user: Any) -> set[int]:
    """Ids of the organisations the user has a membership of (empty when signed out)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_crimeplan_organisations", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
        user._crimeplan_organisations = cached
    return cached


def plan_organisations(plan: Plan) -> set[int]:
    return {plan.owner_id, *plan.partners.values_list("pk", flat=True)}


def is_plan_partner(user: Any, plan: Plan) -> bool:
    """A member of the plan's owner or of a partner it names, or staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    if _is_staff(user):
        return True
    return bool(member_organisations(user) & plan_organisations(plan))


def can_view_plan(user: Any, plan: Plan) -> bool:
    return plan.is_public or is_plan_partner(user, plan)


def can_view_history(user: Any, plan: Plan) -> bool:
    return is_plan_partner(user, plan)


def viewable_plans(user: Any, plans: QuerySet) -> QuerySet:
    """``plans`` narrowed to those the user may read: public ones, and their partnership's."""
    from crimeplan.plans.models import Plan

    public = Q(status__in=Plan.PUBLIC_STATUSES)
    if not getattr(user, "is_authenticated", False):
        return plans.filter(public)
    if _is_staff(user):
        return plans
    mine = member_organisations(user)
    return plans.filter(public | Q(owner_id__in=mine) | Q(partners__in=mine)).distinct()


def can_view_members(user: Any, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if _is_staff(user):
        return True
    mine = member_organisations(user)
    if organisation.pk in mine:
        return True
    from crimeplan.plans.models import Plan

    # Plans the organisation owns or is named in, owned by or naming one of the user's.
    theirs = Plan.objects.filter(Q(owner=organisation) | Q(partners=organisation))
    return theirs.filter(Q(owner_id__in=mine) | Q(partners__in=mine)).exists()


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
