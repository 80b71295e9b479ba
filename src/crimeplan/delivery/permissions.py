"""Who may do what in delivery. Every delivery view calls these on the server before it reads
anything unpublished or writes anything; templates only mirror them.

- The public sees published actions of public plans (and their approved updates) only.
- Any partner (a member of any organisation) reads every action: scrutiny officers read
  everything in their partnership, and partners see each other's work.
- Contributors, leads and administrators of an action's lead organisation edit it, its
  milestones and evidence, and submit its updates. Nobody else does.
- Leads approve or return updates within their asset (the asset's lead organisation on the
  plan) or strand (a ``StrandLead`` organisation); an action with neither is approved by leads
  of the plan's owner. Nobody approves an update they submitted themselves.
- Funding bids, volunteer hours and local priorities are written by contributors, leads and
  administrators of the organisation they belong to; local priorities only by a community
  safety partnership.
- Strands are named and described by leads and scrutiny officers of the plan's organisations.
- Superusers may do everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crimeplan.accounts.models import Membership, Organisation, Role

if TYPE_CHECKING:
    from crimeplan.delivery.models import Action, Update
    from crimeplan.plans.models import Asset, Plan, Strand

WRITERS = {Role.CONTRIBUTOR, Role.LEAD, Role.ADMINISTRATOR}
APPROVERS = {Role.LEAD, Role.ADMINISTRATOR}
STRAND_EDITORS = {Role.LEAD, Role.SCRUTINY_OFFICER, Role.ADMINISTRATOR}


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def memberships(user: Any) -> dict[int, set[str]]:
    """Organisation id → the user's roles there; read once per request and kept on the user."""
    if not _signed_in(user):
        return {}
    cached = getattr(user, "_delivery_memberships", None)
    if cached is None:
        cached = {}
        for org_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            cached.setdefault(org_id, set()).add(role)
        user._delivery_memberships = cached
    return cached


def _has(user: Any, organisation_ids: set[int | None], roles: set[str]) -> bool:
    held = memberships(user)
    return any(held.get(org_id, set()) & roles for org_id in organisation_ids if org_id)


def is_superuser(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser)


def is_partner(user: Any) -> bool:
    return is_superuser(user) or bool(memberships(user)) or bool(getattr(user, "is_staff", False))


def writer_organisations(user: Any) -> list[Organisation]:
    """Organisations the user may record delivery for (lead an action, a bid, hours)."""
    if is_superuser(user):
        return list(Organisation.objects.all())
    ids = [org for org, roles in memberships(user).items() if roles & WRITERS]
    return list(Organisation.objects.filter(pk__in=ids))


def can_view_action(user: Any, action: Action) -> bool:
    if action.published and action.plan.is_public:
        return True
    return is_partner(user)


def can_edit_action(user: Any, action: Action) -> bool:
    return is_superuser(user) or _has(user, {action.lead_organisation_id}, WRITERS)


def can_create_action(user: Any, organisation_id: int) -> bool:
    return is_superuser(user) or _has(user, {organisation_id}, WRITERS)


def approver_organisations(action: Action) -> set[int | None]:
    """The organisations whose leads approve this action's updates."""
    from crimeplan.delivery.models import StrandLead

    orgs: set[int | None] = set()
    if action.asset_id:
        orgs.add(action.asset.lead_id)  # type: ignore[union-attr]
    if action.strand_id:
        orgs.update(
            StrandLead.objects.filter(strand_id=action.strand_id).values_list(
                "organisation_id", flat=True
            )
        )
    if not orgs - {None}:
        orgs = {action.plan.owner_id}
    return orgs


def can_review_update(user: Any, update: Update) -> bool:
    if not _signed_in(user) or update.submitted_by_id == user.pk:
        return False
    return is_superuser(user) or _has(user, approver_organisations(update.action), APPROVERS)


def can_review_for(user: Any, action: Action) -> bool:
    """Whether the user reviews this action's updates at all (for showing the review queue)."""
    return is_superuser(user) or _has(user, approver_organisations(action), APPROVERS)


def leads_scope(user: Any, asset: Asset | None, strand: Strand | None) -> bool:
    """Whether the user leads this asset or strand (and so opens its rounds of updates)."""
    from crimeplan.delivery.models import StrandLead

    if is_superuser(user):
        return True
    orgs: set[int | None] = set()
    if asset is not None:
        orgs.add(asset.lead_id)
    if strand is not None:
        orgs.update(
            StrandLead.objects.filter(strand=strand).values_list("organisation_id", flat=True)
        )
    return _has(user, orgs, APPROVERS)


def can_write_for(user: Any, organisation_id: int) -> bool:
    """Funding bids and volunteer hours of an organisation."""
    return is_superuser(user) or _has(user, {organisation_id}, WRITERS)


def can_write_local_priority(user: Any, organisation: Organisation) -> bool:
    if organisation.kind != Organisation.Kind.CSP:
        return False
    return is_superuser(user) or _has(user, {organisation.pk}, WRITERS)


def can_edit_strands(user: Any, plan: Plan) -> bool:
    if is_superuser(user):
        return True
    orgs: set[int | None] = {plan.owner_id, *plan.partners.values_list("pk", flat=True)}
    orgs.update(plan.assets.values_list("lead_id", flat=True))
    return _has(user, orgs, STRAND_EDITORS)
