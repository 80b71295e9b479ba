"""The audit trail: who changed what, when, and what it was before and after.

Board members and auditors must be able to reconstruct any figure or commitment as it stood on a
date, so every change to plan, delivery and measure data is kept here and never edited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ACTIONS = [(CREATE, "created"), (UPDATE, "changed"), (DELETE, "deleted")]

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=200, help_text="Who made the change, as shown to readers.")
    action = models.CharField(max_length=10, choices=ACTIONS)
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    scope = models.CharField(max_length=100, db_index=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display()} {self.model} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """The fields that differ, so the history page shows the change and not the whole row."""
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
