"""Themes: analysts name what many free-text answers say, tag answers with them, and link each
theme to the commitments that answer it ("you said, we did")."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.text import slugify

from crimeplan.consultation.models import Answer, QuestionKind, Survey, Theme
from crimeplan.plans.models import Commitment


class ThemeError(ValueError):
    """A theme or tag that cannot be stored, with what to fix."""


def add_theme(
    survey: Survey, name: str, description: str = "", commitment_ids: Iterable[str] = ()
) -> Theme:
    name = name.strip()
    if not name:
        raise ThemeError("Enter a name for the theme")
    if len(name) > 200:
        raise ThemeError("The theme's name must be 200 characters or fewer")
    slug = slugify(name)[:80] or "theme"
    if survey.themes.filter(slug=slug).exists():
        raise ThemeError(f"There is already a theme called “{name}”")
    commitments = _commitments(survey, commitment_ids)
    theme = Theme.objects.create(survey=survey, slug=slug, name=name, description=description)
    theme.commitments.set(commitments)
    return theme


def _commitments(survey: Survey, ids: Iterable[str]) -> list[Commitment]:
    wanted = {str(i) for i in ids if str(i).strip()}
    found = list(
        Commitment.objects.filter(plan=survey.plan, pk__in=[i for i in wanted if i.isdigit()])
    )
    if len(found) != len(wanted):
        raise ThemeError("Choose commitments from this survey's plan only")
    return found


def link_commitments(theme: Theme, commitment_ids: Iterable[str]) -> None:
    theme.commitments.set(_commitments(theme.survey, commitment_ids))


def tag_answer(answer: Answer, theme_ids: Iterable[str]) -> None:
    """Replace an answer's themes with those chosen (themes of the same survey only)."""
    if answer.question.kind != QuestionKind.TEXT:
        raise ThemeError("Only written answers are tagged with themes")
    wanted = {str(i) for i in theme_ids if str(i).strip()}
    themes = list(
        Theme.objects.filter(
            survey_id=answer.response.survey_id, pk__in=[i for i in wanted if i.isdigit()]
        )
    )
    if len(themes) != len(wanted):
        raise ThemeError("Choose themes of this survey only")
    answer.themes.set(themes)
