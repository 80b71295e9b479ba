"""A survey's results: what the counted responses said, question by question.

Only counted responses are read (repeats are stored but never counted; spam is never stored),
so the figures here are the published results. Counts about respondents (the demographic
questions) are suppressed below the public threshold so no small group can be picked out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from crimeplan.consultation.models import Answer, Question, QuestionKind, Response, Survey
from crimeplan.core.suppression import Count, suppressed


@dataclass
class QuestionResult:
    question: Question
    answered: int
    counts: list[tuple[str, Count]] = field(default_factory=list)
    """(choice or scale point, respondents choosing it), in the order offered."""
    themes: list[tuple[str, int]] = field(default_factory=list)
    """(theme, free-text answers tagged with it), most common first."""

    @property
    def is_text(self) -> bool:
        return self.question.kind == QuestionKind.TEXT


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    not_counted: int
    questions: list[QuestionResult]
    synthetic: int = 0
    """Counted responses that were generated for the demo (pages say so)."""


def counted_responses(survey: Survey):
    return Response.objects.filter(survey=survey, not_counted=Response.NotCounted.COUNTED)


def survey_results(survey: Survey) -> SurveyResults:
    counted = counted_responses(survey)
    answers = (
        Answer.objects.filter(response__in=counted)
        .select_related("question")
        .prefetch_related("themes")
    )
    by_question: dict[int, list[Answer]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    results = []
    for question in survey.questions.all():
        given = by_question.get(question.pk, [])
        result = QuestionResult(question, answered=len(given))
        protect = question.demographic
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            tally = Counter(choice for a in given for choice in a.choices)
            result.counts = [(c, suppressed(tally[c], protect)) for c in question.options]
        elif question.kind == QuestionKind.RATING:
            tally = Counter(a.rating for a in given)
            result.counts = [(str(p), suppressed(tally[p], protect)) for p in question.scale]
        else:
            tally = Counter(theme.name for a in given for theme in a.themes.all())
            result.themes = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
        results.append(result)
    total = Response.objects.filter(survey=survey).count()
    n = counted.count()
    synthetic = counted.filter(synthetic=True).count()
    return SurveyResults(survey, n, total - n, results, synthetic)
