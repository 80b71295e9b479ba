"""Saving an action without losing anybody's work.

A form carries the version of the action it was opened at. Saving checks, inside the write
transaction and with the row locked, that the stored version is still that one; if someone
saved in between, nothing is written and the caller gets both versions to show side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from crimeplan.delivery.models import Action


@dataclass(frozen=True)
class Conflict:
    """Someone else saved the action after this form was opened."""

    stored: Action
    opened_version: int


def save_action(form: Any, opened_version: int) -> Action | Conflict:
    """Save a valid ``ActionForm`` if the action is still at ``opened_version``."""
    instance: Action = form.instance
    with transaction.atomic():
        if instance.pk is not None:
            stored = Action.objects.select_for_update().get(pk=instance.pk)
            if stored.version != opened_version:
                return Conflict(stored, opened_version)
            instance.version = stored.version + 1
        action = form.save()
    return action
