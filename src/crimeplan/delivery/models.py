"""Delivery: what partners are doing for each commitment, strand and asset, and how it is going.

The field names here are an agreed interface (governance packs and the public site read them), so
fields may be added but not renamed. Every model is audited; updates are append-only records
(a returned update stays on the record and a new one is submitted), so a board can always see
what was reported and who approved it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from crimeplan.accounts.models import Organisation
from crimeplan.core.audit import AuditedModel
from crimeplan.delivery.quarters import QUARTER_RE
from crimeplan.plans.models import Asset, Commitment, Plan, Strand


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


# Statuses that no longer need quarterly updates and never count as stale or overdue.
CLOSED_STATUSES = (ActionStatus.COMPLETE, ActionStatus.CANCELLED)


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class UpdateState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"


def _quarter_validator(value: str) -> None:
    from django.core.exceptions import ValidationError

    if not QUARTER_RE.match(value or ""):
        raise ValidationError(f"{value!r} is not a quarter like 2025-Q2.")


quarter_field_kwargs = {
    "max_length": 7,
    "validators": [_quarter_validator],
    "help_text": "Calendar quarter, e.g. 2025-Q2 (April to June 2025).",
}


class Action(AuditedModel):
    """Something a partner does to deliver commitments of a plan and/or a strategy's strand and
    asset. ``reference`` is the stable key a spreadsheet import matches on."""

    reference = models.CharField(
        max_length=40, unique=True, help_text="Stable reference used by imports, e.g. PCP-1D-03."
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    commitments = models.ManyToManyField(Commitment, blank=True, related_name="actions")
    strand = models.ForeignKey(
        Strand, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="actions_led",
        verbose_name="lead organisation",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_owned",
    )
    partners = models.ManyToManyField(Organisation, blank=True, related_name="actions_partnered")
    start_date = models.DateField(null=True, blank=True, verbose_name="start date")
    due_date = models.DateField(null=True, blank=True, verbose_name="due date")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Per cent complete (0 to 100).",
    )
    weight = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="How much this action counts in roll-ups (0 leaves it out).",
    )
    published = models.BooleanField(default=False, help_text="Shown on the public site.")
    # Optimistic locking: a form carries the version it was opened at, and a save at any other
    # version is a conflict, never a silent overwrite.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude = ("updated_at", "created_at", "version")

    class Meta:
        ordering = ["reference"]
        indexes = [models.Index(fields=["plan", "lead_organisation"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def audit_scope(self) -> str:
        return f"action:{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("delivery:action", args=[self.reference])

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class ActionPart(AuditedModel):
    """Anything recorded under one action, so it appears on that action's history."""

    class Meta:
        abstract = True

    def audit_scope(self) -> str:
        return f"action:{self.action_id}"  # type: ignore[attr-defined]


class Milestone(ActionPart):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_date = models.DateField(verbose_name="due date")
    done_date = models.DateField(null=True, blank=True, verbose_name="done date")

    class Meta:
        ordering = ["action_id", "due_date", "id"]

    def __str__(self) -> str:
        return self.title


class Update(ActionPart):
    """A quarterly report on an action. Append-only: the content is fixed once submitted; only
    the review (approve or return, with a comment) is recorded on it afterwards."""

    CONTENT_FIELDS = ("action_id", "quarter", "rag", "narrative", "progress", "next_steps")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    quarter = models.CharField(**quarter_field_kwargs)  # type: ignore[arg-type]
    rag = models.CharField(max_length=5, choices=Rag.choices, verbose_name="RAG")
    narrative = models.TextField()
    progress = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(100)], help_text="Per cent complete."
    )
    next_steps = models.TextField(blank=True, verbose_name="next steps")
    state = models.CharField(
        max_length=10, choices=UpdateState.choices, default=UpdateState.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="delivery_updates_submitted",
        verbose_name="submitted by",
    )
    submitted_at = models.DateTimeField(verbose_name="submitted at")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delivery_updates_reviewed",
        verbose_name="reviewed by",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name="reviewed at")
    review_comment = models.TextField(blank=True, verbose_name="review comment")

    class Meta:
        ordering = ["action_id", "-quarter", "-submitted_at", "-id"]
        indexes = [models.Index(fields=["action", "state", "quarter"])]

    def __str__(self) -> str:
        return f"{self.quarter} update on {self.action_id} ({self.get_state_display()})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = Update.objects.filter(pk=self.pk).values(*self.CONTENT_FIELDS).first()
            if stored is not None and any(
                stored[name] != getattr(self, name) for name in self.CONTENT_FIELDS
            ):
                raise ValueError("An update is append-only: submit a new update instead.")
        super().save(*args, **kwargs)


def evidence_storage() -> FileSystemStorage:
    """Evidence lives outside the web root (no URL of its own); a view checks who may see the
    action before streaming a file."""
    return FileSystemStorage(location=settings.CRIMEPLAN_EVIDENCE_DIR, base_url=None)


def _evidence_path(instance: Evidence, filename: str) -> str:
    return f"action-{instance.action_id}/{filename}"


class Evidence(ActionPart):
    """A link or an uploaded file that backs up what an action or update reports."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    update = models.ForeignKey(
        Update, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    title = models.CharField(max_length=300)
    url = models.URLField(blank=True, verbose_name="link")
    file = models.FileField(
        upload_to=_evidence_path, storage=evidence_storage, blank=True, max_length=300
    )
    original_name = models.CharField(max_length=255, blank=True, verbose_name="file name")
    content_type = models.CharField(max_length=100, blank=True, verbose_name="file type")
    size = models.PositiveIntegerField(null=True, blank=True, help_text="Bytes.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    audit_exclude = ("added_at",)

    class Meta:
        ordering = ["action_id", "-added_at", "-id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title


class UpdateRequest(AuditedModel):
    """A lead opens a quarter's round of updates for their asset or strand; every open action in
    it then shows 'update due' to its organisation until an update is submitted."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="update_requests")
    quarter = models.CharField(**quarter_field_kwargs)  # type: ignore[arg-type]
    strand = models.ForeignKey(
        Strand, null=True, blank=True, on_delete=models.CASCADE, related_name="update_requests"
    )
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.CASCADE, related_name="update_requests"
    )
    due_date = models.DateField(verbose_name="due date")
    message = models.TextField(blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    audit_exclude = ("opened_at",)

    class Meta:
        ordering = ["-quarter", "due_date", "id"]

    def __str__(self) -> str:
        scope = self.asset or self.strand or self.plan
        return f"{self.quarter} updates for {scope}"

    def audit_scope(self) -> str:
        return f"delivery:plan:{self.plan_id}"


class FundingBid(AuditedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        SUBMITTED = "submitted", "Submitted"
        AWARDED = "awarded", "Awarded"
        PART_AWARDED = "part_awarded", "Partly awarded"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
        WITHDRAWN = "withdrawn", "Withdrawn"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="funding_bids")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="funding_bids"
    )
    title = models.CharField(max_length=300, blank=True)
    funder = models.CharField(max_length=200)
    amount_asked = models.DecimalField(max_digits=12, decimal_places=2, verbose_name="amount asked")
    amount_awarded = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, verbose_name="amount awarded"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    submitted_on = models.DateField(null=True, blank=True, verbose_name="submitted on")
    strands = models.ManyToManyField(Strand, blank=True, related_name="funding_bids")
    assets = models.ManyToManyField(Asset, blank=True, related_name="funding_bids")

    class Meta:
        ordering = ["plan_id", "organisation_id", "funder", "id"]

    def __str__(self) -> str:
        return f"{self.organisation} bid to {self.funder}"

    def audit_scope(self) -> str:
        return f"delivery:plan:{self.plan_id}"


class VolunteerHours(AuditedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="volunteer_hours")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="volunteer_hours"
    )
    quarter = models.CharField(**quarter_field_kwargs)  # type: ignore[arg-type]
    hours = models.DecimalField(max_digits=10, decimal_places=1, validators=[MinValueValidator(0)])
    activity = models.CharField(max_length=300)
    strand = models.ForeignKey(
        Strand, null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer_hours"
    )

    class Meta:
        ordering = ["plan_id", "-quarter", "organisation_id", "id"]
        verbose_name_plural = "volunteer hours"

    def __str__(self) -> str:
        return f"{self.hours} hours, {self.organisation}, {self.quarter}"

    def audit_scope(self) -> str:
        return f"delivery:plan:{self.plan_id}"


class LocalPriority(AuditedModel):
    """A community safety partnership's priority for its district's community policing team (the
    police and crime plan's commitment 1f)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        UNDER_REVIEW = "under_review", "Under review"
        ACHIEVED = "achieved", "Achieved"
        CLOSED = "closed", "Closed"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="local_priorities")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="local_priorities"
    )
    district = models.CharField(max_length=9, help_text="GSS code, e.g. E07000070.")
    issue = models.CharField(max_length=300)
    action_text = models.TextField(verbose_name="what will be done")
    start_date = models.DateField(verbose_name="start date")
    review_date = models.DateField(verbose_name="review date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    published = models.BooleanField(default=False, help_text="Shown on the public site.")

    class Meta:
        ordering = ["plan_id", "district", "review_date", "id"]
        verbose_name_plural = "local priorities"

    def __str__(self) -> str:
        return f"{self.district}: {self.issue}"

    def audit_scope(self) -> str:
        return f"delivery:plan:{self.plan_id}"


class StrandLead(AuditedModel):
    """Which organisation leads a strand (assets carry their lead on the plan; strands do not),
    so its lead-role members approve updates for the strand's actions."""

    strand = models.ForeignKey(Strand, on_delete=models.CASCADE, related_name="leads")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="strands_led"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["strand", "organisation"], name="unique_strand_lead")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} leads {self.strand}"

    def audit_scope(self) -> str:
        return f"plan:{self.strand.plan_id}"
