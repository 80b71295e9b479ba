"""Boards at work: meetings, the decisions and actions log, and quarterly report snapshots.

Meetings, attendance, agenda items and decisions are audited like plan data (a board's record
must say who changed what). A report is a snapshot: every figure it shows is stored in
``snapshot`` when it is generated, and the HTML and PDF made from it are stored too, so a
published report never changes when data changes later. Generating again makes a new version.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from crimeplan.accounts.models import Organisation
from crimeplan.core.audit import AuditedModel
from crimeplan.delivery.models import Action
from crimeplan.measures.models import Measure
from crimeplan.plans.models import Board, Commitment, Priority


def board_url(board: Board) -> str:
    return reverse("governance:board", args=[board.plan.slug, board.slug])


class BoardPart(AuditedModel):
    """Anything kept on a board's record, audited under the board's plan history."""

    class Meta:
        abstract = True

    def audit_scope(self) -> str:
        return f"plan:{self.board.plan_id}"  # type: ignore[attr-defined]


class Meeting(BoardPart):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    minutes = models.TextField(blank=True, help_text="A short record of what was discussed.")

    class Meta:
        ordering = ["board_id", "date"]
        constraints = [
            models.UniqueConstraint(fields=["board", "date"], name="one_meeting_per_board_day")
        ]

    def __str__(self) -> str:
        return f"{self.board.name}, {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:meeting",
            args=[self.board.plan.slug, self.board.slug, self.date.isoformat()],
        )


class Attendance(AuditedModel):
    """Who came to a meeting, by organisation (a board is a partnership)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    people = models.CharField(max_length=300, blank=True, help_text="Names or posts, as minuted.")

    class Meta:
        ordering = ["meeting_id", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="one_attendance_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} at {self.meeting}"

    def audit_scope(self) -> str:
        return f"plan:{self.meeting.board.plan_id}"


class Concerns(models.Model):
    """What an agenda item or decision is about: a priority, commitment, measure or action."""

    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def concerns(self) -> list[object]:
        found = (self.priority, self.commitment, self.measure, self.action)
        return [x for x in found if x is not None]


class AgendaItem(AuditedModel, Concerns):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["meeting_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="unique_agenda_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def audit_scope(self) -> str:
        return f"plan:{self.meeting.board.plan_id}"


class Decision(BoardPart, Concerns):
    """A decision or an action the board set, carried forward from meeting to meeting until it
    is closed (done or withdrawn)."""

    class Kind(models.TextChoices):
        DECISION = "decision", "Decision"
        ACTION = "action", "Action"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        WITHDRAWN = "withdrawn", "Withdrawn"

    CLOSED = (Status.DONE, Status.WITHDRAWN)

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    reference = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ACTION)
    text = models.TextField()
    owner_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_name = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="The latest word on progress.")

    class Meta:
        ordering = ["board_id", "meeting__date", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["board", "reference"], name="unique_decision_ref")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:80]}"

    def clean(self) -> None:
        if self.meeting_id and self.board_id and self.meeting.board_id != self.board_id:
            raise ValidationError({"meeting": "The meeting must be one of this board's."})
        if self.status in self.CLOSED and self.closed_on is None:
            raise ValidationError({"closed_on": "Say when a closed item was closed."})

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED

    @property
    def owner(self) -> str:
        parts = [p for p in (self.owner_name, str(self.owner_organisation or "")) if p]
        return ", ".join(parts) or "No owner"

    @property
    def overdue_now(self) -> bool:
        return self.is_overdue(timezone.localdate())

    def is_overdue(self, on: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < on

    def open_at(self, on: date) -> bool:
        """Whether the item was still open on a day (for carrying it forward to a meeting)."""
        if self.meeting.date > on:
            return False
        return self.is_open or (self.closed_on is not None and self.closed_on >= on)


class Report(AuditedModel):
    """One version of a board's quarterly report, with every figure it shows."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Generating"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="reports")
    quarter = models.CharField(max_length=7, help_text="YYYY-Qn")
    version = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_text = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True)
    html = models.TextField(blank=True, help_text="The self-contained HTML, as generated.")
    pdf = models.BinaryField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.CharField(max_length=200, blank=True)

    audit_exclude = ("snapshot", "html", "pdf", "progress", "progress_text", "created_at")
    FROZEN = ("snapshot", "html", "pdf", "pdf_sha256", "pages", "quarter", "version", "board_id")

    class Meta:
        ordering = ["board_id", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "quarter", "version"], name="unique_report_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.board.name} {self.quarter} v{self.version}"

    def audit_scope(self) -> str:
        return f"plan:{self.board.plan_id}"

    @property
    def published(self) -> bool:
        return self.published_at is not None

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = Report.objects.filter(pk=self.pk, published_at__isnull=False).first()
            if stored is not None:
                changed = [f for f in self.FROZEN if _value(stored, f) != _value(self, f)]
                if changed or self.published_at != stored.published_at:
                    raise ValidationError(
                        f"{stored} is published and cannot change "
                        f"({', '.join(changed) or 'publication'}); "
                        "generate a new version instead."
                    )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:report",
            args=[self.board.plan.slug, self.board.slug, self.quarter, self.version],
        )


def _value(report: Report, field: str) -> object:
    value = getattr(report, field)
    return bytes(value) if isinstance(value, memoryview) else value
