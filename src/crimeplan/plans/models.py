"""A plan and its parts: priorities with their lettered commitments, strands, assets and boards.

Natural keys (plan slug, priority number, commitment letter, strand slug, asset number, board
slug) are unique so that a plan file can be imported again and update in place.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from crimeplan.accounts.models import Organisation
from crimeplan.core.audit import AuditedModel


class Plan(AuditedModel):
    class Kind(models.TextChoices):
        POLICE_AND_CRIME_PLAN = "police_and_crime_plan", "Police and crime plan"
        CRIME_PREVENTION_STRATEGY = "crime_prevention_strategy", "Crime prevention strategy"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONSULTATION = "consultation", "Consultation"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    PUBLIC_STATUSES = (Status.CONSULTATION, Status.PUBLISHED, Status.ARCHIVED)

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans")
    author = models.CharField(max_length=200, blank=True)
    period_start = models.PositiveSmallIntegerField()
    period_end = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    vision = models.TextField(blank=True)
    summary = models.JSONField(default=list, blank=True, help_text="Bullet points about the plan.")
    strands_expected = models.PositiveSmallIntegerField(null=True, blank=True)
    force = models.CharField(
        max_length=40,
        blank=True,
        help_text="police.uk force id of the plan's area; blank: the deployment's CRIMEPLAN_FORCE.",
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_plans", help_text="Bodies the plan names."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "title"]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> str:
        return f"plan:{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.slug])

    @property
    def area_force(self) -> str:
        """The force whose districts the plan's measures and pages use."""
        from django.conf import settings

        return self.force or settings.CRIMEPLAN_FORCE

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def period(self) -> str:
        return f"{self.period_start}–{self.period_end}"


class PlanPart(AuditedModel):
    """Anything that belongs to one plan and is audited under that plan's history."""

    class Meta:
        abstract = True

    def audit_scope(self) -> str:
        return f"plan:{self.plan_id}"  # type: ignore[attr-defined]


class Section(PlanPart):
    """Narrative parts of a plan (victim focus, collaboration, enablers) as grouped bullets."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    groups = models.JSONField(default=list, help_text="[{heading, items: [..]}]")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="unique_section_key")]

    def __str__(self) -> str:
        return self.title


class EngagementStage(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="engagement")
    order = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=200)
    timing = models.CharField(max_length=100)

    class Meta:
        ordering = ["plan_id", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="unique_stage_order")]

    def __str__(self) -> str:
        return f"{self.stage} ({self.timing})"


class Priority(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    strapline = models.TextField(blank=True)

    class Meta:
        ordering = ["plan_id", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_priority_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("plans:priority", args=[self.plan.slug, self.number])


class Strand(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strands")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "slug"], name="unique_strand_slug")]

    def __str__(self) -> str:
        return self.name


class Commitment(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="commitments")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="commitments")
    letter = models.CharField(max_length=3)
    text = models.TextField()
    strands = models.ManyToManyField(Strand, blank=True, related_name="commitments")

    class Meta:
        ordering = ["priority__number", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "letter"], name="unique_commitment_letter")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"

    @property
    def code(self) -> str:
        return f"{self.priority.number}{self.letter}"

    def get_absolute_url(self) -> str:
        return reverse("plans:commitment", args=[self.plan.slug, self.priority.number, self.letter])


class Asset(PlanPart):
    """A delivery arm of a strategy (assets 1–3 police, 4 public sector, 5 private/voluntary)."""

    class Sector(models.TextChoices):
        POLICE = "police", "Police"
        PUBLIC = "public", "Public sector"
        PRIVATE_VOLUNTARY_COMMUNITY = (
            "private_voluntary_community",
            "Private, voluntary and community",
        )

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assets")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=40, choices=Sector.choices)
    lead = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="assets_led"
    )

    class Meta:
        ordering = ["plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_asset_number")
        ]

    def __str__(self) -> str:
        return f"Asset {self.number}: {self.name}"


class StrandAsset(PlanPart):
    """What an asset does for a strand: one cell of the strategy's asset × strand matrix."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strand_assets")
    strand = models.ForeignKey(Strand, on_delete=models.CASCADE, related_name="asset_roles")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="strand_roles")
    role = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["strand", "asset"], name="unique_strand_asset")
        ]

    def __str__(self) -> str:
        return f"{self.asset} – {self.strand}: {self.role}"


class Board(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="boards")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    cadence = models.CharField(max_length=100, blank=True)
    scrutinises = models.TextField(blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="boards"
    )
    assets = models.ManyToManyField(Asset, blank=True, related_name="boards")
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="receives_from"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "slug"], name="unique_board_slug")]

    def __str__(self) -> str:
        return self.name
