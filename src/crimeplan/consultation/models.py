"""Surveys the public answers, their responses, and the themes analysts find in them.

A response carries nothing that identifies a person: no name, no e-mail, no IP address. Only a
keyed hash of the sender's address is kept, so that per-address rate limits and repeat detection
work; it is never shown or exported. Spam (the honeypot) is never stored; a repeat is stored but
not counted, so neither can change the published results.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from crimeplan.core.audit import AuditedModel
from crimeplan.plans.models import Commitment, EngagementStage, Plan


class Phase(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    RESULTS_PUBLISHED = "results_published", "Results published"


PUBLIC_PHASES = (Phase.OPEN, Phase.CLOSED, Phase.RESULTS_PUBLISHED)


class QuestionKind(models.TextChoices):
    SINGLE = "single_choice", "Single choice"
    MULTIPLE = "multiple_choice", "Multiple choice"
    TEXT = "free_text", "Free text"
    RATING = "rating", "Rating scale"


PREFER_NOT_TO_SAY = "Prefer not to say"


class Survey(AuditedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="surveys")
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    privacy_notice = models.TextField()
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.DRAFT)
    engagement_stage = models.ForeignKey(
        EngagementStage, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    synthetic = models.BooleanField(
        default=False, help_text="Demo survey whose responses are generated, not real."
    )

    class Meta:
        ordering = ["plan_id", "title"]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> str:
        return f"plan:{self.plan_id}"

    def get_absolute_url(self) -> str:
        return reverse("consultation:survey", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.phase in PUBLIC_PHASES

    @property
    def is_open(self) -> bool:
        return self.phase == Phase.OPEN


class Question(AuditedModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=80)
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=500)
    hint = models.TextField(blank=True)
    required = models.BooleanField(default=False)
    demographic = models.BooleanField(
        default=False, help_text="About the respondent; always optional, with 'Prefer not to say'."
    )
    choices = models.JSONField(default=list, blank=True)
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    scale_min_label = models.CharField(max_length=100, blank=True)
    scale_max_label = models.CharField(max_length=100, blank=True)
    max_length = models.PositiveIntegerField(default=2000)

    class Meta:
        ordering = ["survey_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="unique_question_key"),
            models.UniqueConstraint(fields=["survey", "order"], name="unique_question_order"),
        ]

    def __str__(self) -> str:
        return self.text

    def audit_scope(self) -> str:
        return f"plan:{self.survey.plan_id}"

    @property
    def field_name(self) -> str:
        return f"q-{self.key}"

    @property
    def options(self) -> list[str]:
        """The choices a respondent sees; demographic questions always offer to say nothing."""
        if self.demographic and PREFER_NOT_TO_SAY not in self.choices:
            return [*self.choices, PREFER_NOT_TO_SAY]
        return list(self.choices)

    @property
    def scale(self) -> list[int]:
        if self.scale_min is None or self.scale_max is None:
            return []
        return list(range(self.scale_min, self.scale_max + 1))


class Response(models.Model):
    class NotCounted(models.TextChoices):
        COUNTED = "", "Counted"
        REPEAT = "repeat", "Repeat of an earlier response from the same address"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    address_key = models.CharField(
        max_length=64, db_index=True, help_text="Keyed hash of the sender's address; never shown."
    )
    answers_digest = models.CharField(max_length=64)
    not_counted = models.CharField(
        max_length=20, choices=NotCounted.choices, default=NotCounted.COUNTED, blank=True
    )
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey_id", "submitted_at", "id"]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey}"

    @property
    def counted(self) -> bool:
        return self.not_counted == self.NotCounted.COUNTED


class Theme(AuditedModel):
    """What many answers say, in the analysts' words, and the commitments that answer it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="themes")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    commitments = models.ManyToManyField(Commitment, blank=True, related_name="themes")

    class Meta:
        ordering = ["survey_id", "name"]
        constraints = [models.UniqueConstraint(fields=["survey", "slug"], name="unique_theme_slug")]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> str:
        return f"plan:{self.survey.plan_id}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    rating = models.SmallIntegerField(null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="answers")

    class Meta:
        ordering = ["response_id", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question.key}"
