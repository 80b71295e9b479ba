"""Organisations and who acts for them.

A partnership plan is delivered by many bodies, so a person's rights come from their role in an
organisation (a membership), not from a global flag.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crimeplan.core.audit import AuditedModel


class Organisation(AuditedModel):
    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        COMMISSIONER = "commissioner", "Commissioner's office"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        CSP = "community_safety_partnership", "Community safety partnership"
        VOLUNTARY = "voluntary_sector", "Voluntary sector"
        HEALTH = "health", "Health"
        FIRE = "fire", "Fire and rescue"
        OTHER = "other", "Other"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> str:
        return f"organisation:{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("plans:organisation", args=[self.slug])


class Role(models.TextChoices):
    """Ordered from least to most trusted; see ``crimeplan.accounts.permissions``."""

    VIEWER = "viewer", "Viewer"
    CONTRIBUTOR = "contributor", "Contributor"
    LEAD = "lead", "Lead"
    ANALYST = "analyst", "Analyst"
    SCRUTINY_OFFICER = "scrutiny_officer", "Scrutiny officer"
    ADMINISTRATOR = "administrator", "Administrator"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        ordering = ["organisation__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"
