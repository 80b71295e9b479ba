"""Who may see and change a plan. Every write view calls these on the server; templates only
mirror them.

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

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from crimeplan.accounts.models import Organisation, Role
from crimeplan.accounts.permissions import is_staff, member_organisations, roles_in
from crimeplan.plans.models import Plan

PLAN_EDITORS = {Role.SCRUTINY_OFFICER, Role.ADMINISTRATOR}


def plan_organisations(plan: Plan) -> set[int]:
    return {plan.owner_id, *plan.partners.values_list("pk", flat=True)}


def is_plan_partner(user: Any, plan: Plan) -> bool:
    """A member of the plan's owner or of a partner it names, or staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_staff(user):
        return True
    return bool(member_organisations(user) & plan_organisations(plan))


def can_view_plan(user: Any, plan: Plan) -> bool:
    return plan.is_public or is_plan_partner(user, plan)


def can_view_history(user: Any, plan: Plan) -> bool:
    return is_plan_partner(user, plan)


def viewable_plans(user: Any, plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """``plans`` narrowed to those the user may read: public ones, and their partnership's."""
    public = Q(status__in=Plan.PUBLIC_STATUSES)
    if not getattr(user, "is_authenticated", False):
        return plans.filter(public)
    if is_staff(user):
        return plans
    mine = member_organisations(user)
    return plans.filter(public | Q(owner_id__in=mine) | Q(partners__in=mine)).distinct()


def can_view_members(user: Any, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_staff(user):
        return True
    mine = member_organisations(user)
    if organisation.pk in mine:
        return True
    # Plans the organisation owns or is named in, owned by or naming one of the user's.
    theirs = Plan.objects.filter(Q(owner=organisation) | Q(partners=organisation))
    return theirs.filter(Q(owner_id__in=mine) | Q(partners__in=mine)).exists()


def can_edit_plan(user: Any, plan: Plan) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(roles_in(user, plan.owner_id) & PLAN_EDITORS)


def plan_or_404(request: HttpRequest, slug: str) -> Plan:
    """The plan a page is about, if the request may see it (every app's plan pages use this)."""
    plan = get_object_or_404(Plan.objects.select_related("owner"), slug=slug)
    if not can_view_plan(request.user, plan):
        if not request.user.is_authenticated:
            # Unpublished plans are not advertised: ask for a log-in rather than confirm they exist.
            raise Http404("No plan here, or you need to sign in to see it.")
        raise PermissionDenied(
            "This plan is not published yet: it is for its owner and the partners it names."
        )
    return plan
