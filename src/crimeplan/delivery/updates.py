"""Submitting and reviewing quarterly updates: the one way an update enters or changes state.

Views and imports call these, so the rules (who, which state may follow which, what an approval
does to the action) live in one place. Every write is audited through the models.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from crimeplan.delivery.models import Action, Evidence, Update, UpdateState
from crimeplan.delivery.permissions import can_edit_action, can_review_update


class NotAllowed(PermissionError):
    pass


class WrongState(ValueError):
    pass


def submit_update(
    action: Action,
    user: Any,
    *,
    quarter: str,
    rag: str,
    narrative: str,
    progress: int,
    next_steps: str = "",
    evidence: list[dict] | None = None,
) -> Update:
    """A new update (never a change to an old one), with any evidence attached to it."""
    if not can_edit_action(user, action):
        raise NotAllowed("Only the action's organisation can submit its updates.")
    with transaction.atomic():
        update = Update.objects.create(
            action=action,
            quarter=quarter,
            rag=rag,
            narrative=narrative,
            progress=progress,
            next_steps=next_steps,
            state=UpdateState.SUBMITTED,
            submitted_by=user,
            submitted_at=timezone.now(),
        )
        for item in evidence or []:
            Evidence.objects.create(action=action, update=update, added_by=user, **item)
    return update


def review_update(update: Update, user: Any, *, approve: bool, comment: str = "") -> Update:
    """Approve (it then counts in roll-ups, appears publicly and sets the action's progress) or
    return with a comment (the contributor then submits a new update)."""
    if not can_review_update(user, update):
        raise NotAllowed(
            "Only a lead of the action's asset or strand can review its updates, and never "
            "their own."
        )
    if not approve and not comment.strip():
        raise WrongState("Say why the update is returned, so the contributor can put it right.")
    with transaction.atomic():
        locked = Update.objects.select_for_update().get(pk=update.pk)
        if locked.state != UpdateState.SUBMITTED:
            raise WrongState(f"This update was already {locked.get_state_display().lower()}.")
        locked.state = UpdateState.APPROVED if approve else UpdateState.RETURNED
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        locked.review_comment = comment
        locked.save()
        if approve:
            action = Action.objects.select_for_update().get(pk=locked.action_id)
            if action.progress != locked.progress:
                action.progress = locked.progress
                action.version += 1
                action.save()
    return locked
