"""Roles people hold in organisations, and the questions every app's permissions ask of them.

Each app keeps its own rules beside its models (``crimeplan.plans.permissions``) and builds them
from these, so accounts knows nothing of plans.
"""

from __future__ import annotations

from typing import Any

from crimeplan.accounts.models import Membership


def roles_in(user: Any, organisation_id: int | None) -> set[str]:
    if not getattr(user, "is_authenticated", False) or organisation_id is None:
        return set()
    return set(
        Membership.objects.filter(user=user, organisation_id=organisation_id).values_list(
            "role", flat=True
        )
    )


def roles_in_any(user: Any, organisation_ids: set[int]) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(user=user, organisation_id__in=organisation_ids).values_list(
            "role", flat=True
        )
    )


def is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


def member_organisations(user: Any) -> set[int]:
    """Ids of the organisations the user has a membership of (empty when signed out); kept on
    the user object so a page asking several questions reads them once."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_crimeplan_organisations", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
        user._crimeplan_organisations = cached
    return cached
