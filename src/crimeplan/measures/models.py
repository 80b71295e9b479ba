"""Measures as stored: the definition from the plan file, entered values, computed series.

Definitions and manual values are audited (they are plan and measure data a board relies on);
computed series are derived from the crime store and can be recomputed at any time, so each
computation is recorded as a run instead of row by row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from crimeplan.core.audit import AuditedModel
from crimeplan.measures import definition as vocabulary
from crimeplan.measures.definition import (
    HARM_CHOICES,
    POLARITY_CHOICES,
    REBASE_FIELDS,
    SOURCE_CHOICES,
    STORED_COLUMNS,
    UNIT_CHOICES,
    MeasureDefinition,
    Target,
    definition_from_stored,
    expand_crime_types,
    rebase_from_stored,
)
from crimeplan.measures.spc import Rebase
from crimeplan.plans.models import Commitment, Plan


class Measure(AuditedModel):
    Source = vocabulary.Source
    Unit = vocabulary.Unit

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=SOURCE_CHOICES)
    crime_types_spec = models.JSONField(
        default=list, blank=True, help_text="As written in the plan file (e.g. 'all_crime')."
    )
    geography = models.CharField(max_length=20, default="force")
    unit = models.CharField(max_length=20, choices=UNIT_CHOICES, default="count")
    harm = models.CharField(max_length=10, choices=HARM_CHOICES, default="none")
    polarity = models.CharField(max_length=10, choices=POLARITY_CHOICES)
    baseline_start = models.CharField(max_length=7, blank=True)
    baseline_end = models.CharField(max_length=7, blank=True)
    target_value = models.FloatField(null=True, blank=True)
    target_change_percent = models.FloatField(null=True, blank=True)
    manual_source = models.CharField(max_length=300, blank=True)
    commitments = models.ManyToManyField(Commitment, blank=True, related_name="measures")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="unique_measure_key")]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> str:
        return f"plan:{self.plan_id}"

    def get_absolute_url(self) -> str:
        return reverse("measures:measure", args=[self.plan.slug, self.key])

    @property
    def crime_types(self) -> tuple[str, ...]:
        """The police.uk types counted, with ``all_crime`` expanded; derived, never stored."""
        return expand_crime_types(self.crime_types_spec) if self.crime_types_spec else ()

    @property
    def target(self) -> Target | None:
        if self.target_value is None and self.target_change_percent is None:
            return None
        return Target(self.target_value, self.target_change_percent)

    def stored(self) -> dict[str, object]:
        """The columns a plan-file entry maps to (see ``definition.SIMPLE_FIELDS``)."""
        return {column: getattr(self, column) for column in STORED_COLUMNS}

    def definition(self) -> MeasureDefinition:
        return definition_from_stored(self.stored(), tuple(r.as_spc() for r in self.rebases.all()))


class MeasureRebase(AuditedModel):
    """A recorded decision to recalculate limits from a period: reason, date and approver."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="rebases")
    period = models.CharField(max_length=7)
    reason = models.TextField()
    decided_on = models.DateField()
    approved_by = models.CharField(max_length=200)
    baseline_end = models.CharField(max_length=7, blank=True)

    class Meta:
        ordering = ["measure_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="unique_rebase_period")
        ]

    def __str__(self) -> str:
        return f"Rebase of {self.measure} from {self.period}"

    def audit_scope(self) -> str:
        return f"plan:{self.measure.plan_id}"

    def stored(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in REBASE_FIELDS}

    def as_spc(self) -> Rebase:
        return rebase_from_stored(self.stored())


class ManualValue(AuditedModel):
    """A value no open dataset holds (e.g. Special Constables headcount), with its source."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="manual_values")
    area = models.CharField(max_length=20, default="force")
    period = models.CharField(max_length=7, help_text="YYYY-MM")
    value = models.FloatField()
    source = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by_label = models.CharField(max_length=200, blank=True)
    entered_at = models.DateTimeField(auto_now=True)

    audit_exclude = ("entered_at",)

    class Meta:
        ordering = ["measure_id", "area", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "area", "period"], name="unique_manual_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure.key} {self.area} {self.period} = {self.value:g}"

    def audit_scope(self) -> str:
        return f"plan:{self.measure.plan_id}"


class SeriesValue(models.Model):
    """One computed point of a measure's series in an area (derived; see ComputeRun)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="series_values")
    area = models.CharField(max_length=20)
    period = models.CharField(max_length=7)
    value = models.FloatField(null=True)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)

    class Meta:
        ordering = ["measure_id", "area", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "area", "period"], name="unique_point")
        ]

    def __str__(self) -> str:
        return f"{self.measure.key} {self.area} {self.period}"


class ComputeRun(models.Model):
    """When series were last recomputed, by whom, from which store state."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=200)
    measures = models.PositiveIntegerField()
    series = models.PositiveIntegerField()
    points = models.PositiveIntegerField()
    last_month = models.CharField(max_length=7, blank=True)
    seconds = models.FloatField()
    synthetic = models.BooleanField(
        default=False, help_text="The store held generated (demo) records when this ran."
    )

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"compute {self.at:%Y-%m-%d %H:%M} ({self.measures} measures)"
