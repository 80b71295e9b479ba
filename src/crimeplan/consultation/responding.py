"""Taking a response: checking the answers, refusing abuse, and storing what may be counted.

The rules that keep the published results honest live here, not in the view, so that tests
and any other shell (an API, an import of paper responses) apply the same ones:

- a survey that is not open refuses every answer;
- the honeypot field (hidden from people, filled in by form-filling robots) makes the response
  vanish: the sender sees the usual thank-you page and nothing is stored;
- each address may send ``CONSULTATION_RATE_LIMIT`` responses per ``CONSULTATION_RATE_WINDOW``
  seconds, across all surveys; beyond that the response is refused;
- a response with exactly the answers an earlier one from the same address gave is stored but
  marked as a repeat and never counted;
- every answer is limited in length and must be one of the offered choices.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crimeplan.consultation.models import Answer, Question, QuestionKind, Response, Survey

HONEYPOT_FIELD = "website"
"""A field named to tempt robots; people never see it (it is hidden with CSS and from assistive
technology, and labelled "leave this blank" in case it is ever shown)."""


class SurveyClosed(Exception):
    """The survey is not taking answers."""


class RateLimited(Exception):
    """This address has sent as many responses as it may for now."""


@dataclass
class Checked:
    """Answers as given, and every problem with them keyed by the question's field name."""

    answers: dict[int, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


def rate_limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "CONSULTATION_RATE_LIMIT", 5)),
        int(getattr(settings, "CONSULTATION_RATE_WINDOW", 3600)),
    )


def address_key(address: str) -> str:
    """A keyed hash of the sender's address: enough to count its responses, and no way back to
    the address without the site's secret key."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"consultation:{address}".encode(), hashlib.sha256).hexdigest()


def _getlist(data: Any, name: str) -> list[str]:
    if hasattr(data, "getlist"):
        return [str(v) for v in data.getlist(name)]
    value = data.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def check_answers(survey: Survey, data: Any) -> Checked:
    """Read each question's answer from form ``data`` and say what is wrong with any."""
    checked = Checked()
    for question in survey.questions.all():
        name = question.field_name
        given = [v.strip() for v in _getlist(data, name) if v.strip()]
        checked.values[name] = given
        error, answer = _check_one(question, given)
        if error:
            checked.errors[name] = error
        elif answer is not None:
            checked.answers[question.pk] = answer
    return checked


def _check_one(question: Question, given: list[str]) -> tuple[str | None, dict[str, Any] | None]:
    if not given:
        if question.required:
            what = "Select an answer" if question.kind != QuestionKind.TEXT else "Enter an answer"
            return f"{what} to “{question.text}”", None
        return None, None
    if question.kind == QuestionKind.TEXT:
        text = "\n".join(given)
        if len(text) > question.max_length:
            return f"Your answer must be {question.max_length:,} characters or fewer", None
        return None, {"text": text}
    if question.kind == QuestionKind.RATING:
        try:
            rating = int(given[0])
        except ValueError:
            rating = None
        if len(given) > 1 or rating not in question.scale:
            low, high = question.scale[0], question.scale[-1]
            return f"Select a number from {low} to {high}", None
        return None, {"rating": rating}
    options = question.options
    if any(choice not in options for choice in given):
        return "Select one of the answers shown", None
    if question.kind == QuestionKind.SINGLE and len(given) > 1:
        return "Select only one answer", None
    return None, {"choices": sorted(set(given), key=options.index)}


def answers_digest(answers: dict[int, dict[str, Any]]) -> str:
    """The same answers always give the same digest (free text compared case- and space-blind),
    so a repeated response is recognised however it was typed."""
    normal = {}
    for pk, answer in sorted(answers.items()):
        if "text" in answer:
            normal[pk] = " ".join(answer["text"].lower().split())
        else:
            normal[pk] = answer
    return hashlib.sha256(json.dumps(normal, sort_keys=True).encode()).hexdigest()


def is_spam(data: Any) -> bool:
    return any(v.strip() for v in _getlist(data, HONEYPOT_FIELD))


def submit(
    survey: Survey, checked: Checked, address: str, synthetic: bool = False
) -> Response | None:
    """Store a checked response from ``address``; None when it was spam and so not stored.

    Raises :class:`SurveyClosed` or :class:`RateLimited`. The phase check, the rate count and
    the write happen in one transaction holding the survey's row lock, so two responses racing
    from one address cannot both slip under the limit, and none lands after the survey closed.
    """
    if checked.errors:
        raise ValueError("answers have errors; check them before submitting")
    key = address_key(address)
    limit, window = rate_limit()
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if not locked.is_open:
            raise SurveyClosed(
                f"{locked.title} is not taking answers ({locked.get_phase_display()})"
            )
        since = timezone.now() - timedelta(seconds=window)
        if Response.objects.filter(address_key=key, submitted_at__gte=since).count() >= limit:
            raise RateLimited(f"no more than {limit} responses an hour from one address")
        digest = answers_digest(checked.answers)
        repeat = Response.objects.filter(
            survey=locked, address_key=key, answers_digest=digest
        ).exists()
        response = Response.objects.create(
            survey=locked,
            address_key=key,
            answers_digest=digest,
            not_counted=Response.NotCounted.REPEAT if repeat else Response.NotCounted.COUNTED,
            synthetic=synthetic,
        )
        Answer.objects.bulk_create(
            [
                Answer(
                    response=response,
                    question_id=pk,
                    choices=answer.get("choices", []),
                    text=answer.get("text", ""),
                    rating=answer.get("rating"),
                )
                for pk, answer in checked.answers.items()
            ]
        )
    return response


def take_response(survey: Survey, data: Any, address: str) -> tuple[Checked, Response | None]:
    """Check and store one form submission. Spam returns no errors and stores nothing."""
    if not survey.is_open:
        raise SurveyClosed(f"{survey.title} is not taking answers ({survey.get_phase_display()})")
    if is_spam(data):
        return Checked(), None
    checked = check_answers(survey, data)
    if checked.errors:
        return checked, None
    return checked, submit(survey, checked, address)
