"""Who may see and change a plan. Every write view calls these on the server; templates only
mirror them.

Rules:
- Published plans are public; anything unpublished needs a log-in and a membership of any
  organisation in the partnership (or staff status).
- Plan content (the plan, priorities, commitments, strands, assets, boards) may be changed by
  scrutiny officers and administrators of the organisation that owns the plan, and by superusers.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from crimeplan.accounts.models import Role
from crimeplan.accounts.permissions import is_partner, roles_in
from crimeplan.plans.models import Plan

PLAN_EDITORS = {Role.SCRUTINY_OFFICER, Role.ADMINISTRATOR}


def can_view_plan(user: Any, plan: Plan) -> bool:
    return plan.is_public or is_partner(user)


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
        raise PermissionDenied("This plan is not published yet.")
    return plan
