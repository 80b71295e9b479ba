"""Taking responses: closed surveys refuse, the honeypot stores nothing, the rate limit holds,
repeats are not counted, and the published results equal the responses counted by hand."""

from __future__ import annotations

from collections import Counter

import pytest

from crimeplan.consultation.models import Answer, Response
from crimeplan.consultation.responding import (
    RateLimited,
    SurveyClosed,
    take_response,
)
from crimeplan.consultation.results import survey_results


def _counts(survey, key):
    result = next(r for r in survey_results(survey).questions if r.question.key == key)
    return {label: str(count) for label, count in result.counts}


def test_a_valid_response_is_stored_and_counted(survey, answer_form):
    data = answer_form(
        right_priorities="Mostly",
        missing_priorities="Rural crime",
        most_important=["Improve safety on our roads", "Crack down on anti-social behaviour"],
        feel_safe="4",
    )
    checked, response = take_response(survey, data, "192.0.2.1")
    assert checked.errors == {} and response.counted
    stored = {a.question.key: a for a in response.answers.all()}
    assert stored["right-priorities"].choices == ["Mostly"]
    assert stored["missing-priorities"].text == "Rural crime"
    # Kept in the order offered, whatever order the form sent them in.
    assert stored["most-important"].choices == [
        "Crack down on anti-social behaviour",
        "Improve safety on our roads",
    ]
    assert stored["feel-safe"].rating == 4
    assert set(stored) == {"right-priorities", "missing-priorities", "most-important", "feel-safe"}


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        (
            {},
            "q-right-priorities",
            "Select an answer to “Do we have the right policing priority areas?”",
        ),
        ({"right_priorities": "Maybe"}, "q-right-priorities", "Select one of the answers shown"),
        ({"right_priorities": ["Yes", "No"]}, "q-right-priorities", "Select only one answer"),
        (
            {"right_priorities": "Yes", "feel_safe": "9"},
            "q-feel-safe",
            "Select a number from 1 to 5",
        ),
        (
            {"right_priorities": "Yes", "missing_priorities": "x" * 1501},
            "q-missing-priorities",
            "Your answer must be 1,500 characters or fewer",
        ),
    ],
)
def test_bad_answers_are_refused_with_a_message(survey, answer_form, answers, field, message):
    checked, response = take_response(survey, answer_form(**answers), "192.0.2.1")
    assert response is None
    assert checked.errors == {field: message}
    assert not Response.objects.exists()


def test_prefer_not_to_say_is_offered_and_accepted(survey, answer_form):
    data = answer_form(right_priorities="Yes", age="Prefer not to say")
    checked, response = take_response(survey, data, "192.0.2.1")
    assert checked.errors == {}
    assert response.answers.get(question__key="age").choices == ["Prefer not to say"]


def test_closed_survey_refuses_answers(survey, answer_form):
    for phase in ("draft", "closed", "results_published"):
        survey.phase = phase
        survey.save()
        with pytest.raises(SurveyClosed):
            take_response(survey, answer_form(right_priorities="Yes"), "192.0.2.1")
    assert not Response.objects.exists()


def test_honeypot_response_is_not_stored(survey, answer_form):
    data = answer_form(right_priorities="No")
    data["website"] = ["http://spam.example"]
    checked, response = take_response(survey, data, "192.0.2.9")
    assert response is None and checked.errors == {}
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert _counts(survey, "right-priorities")["No"] == "0"


def test_rate_limit_per_address(survey, answer_form, settings):
    settings.CONSULTATION_RATE_LIMIT = 3
    for n in range(3):
        take_response(
            survey, answer_form(right_priorities="Yes", feel_safe=str(n + 1)), "192.0.2.5"
        )
    with pytest.raises(RateLimited):
        take_response(survey, answer_form(right_priorities="No"), "192.0.2.5")
    # Another address is not held back by the first one's responses.
    take_response(survey, answer_form(right_priorities="No"), "192.0.2.6")
    assert Response.objects.count() == 4


def test_rate_limit_window_passes(survey, answer_form, settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    take_response(survey, answer_form(right_priorities="Yes"), "192.0.2.5")
    Response.objects.update(submitted_at="2000-01-01T00:00:00Z")
    _, response = take_response(survey, answer_form(right_priorities="No"), "192.0.2.5")
    assert response is not None


def test_repeated_response_never_changes_the_results(survey, answer_form):
    data = answer_form(right_priorities="No", missing_priorities="More   PATROLS")
    take_response(survey, data, "192.0.2.7")
    before = _counts(survey, "right-priorities")
    repeat = answer_form(right_priorities="No", missing_priorities="more patrols")
    _, second = take_response(survey, repeat, "192.0.2.7")
    assert second is not None and not second.counted
    assert _counts(survey, "right-priorities") == before
    results = survey_results(survey)
    assert (results.responses, results.not_counted) == (1, 1)
    # The same answers from another address are another person's, and count.
    take_response(survey, repeat, "192.0.2.8")
    assert survey_results(survey).responses == 2


def test_no_address_is_stored(survey, answer_form):
    take_response(survey, answer_form(right_priorities="Yes"), "198.51.100.23")
    response = Response.objects.get()
    values = [str(getattr(response, f.attname)) for f in Response._meta.concrete_fields]
    assert not any("198.51.100.23" in v for v in values)
    assert len(response.address_key) == 64


def test_results_equal_responses_counted_independently(survey, answer_form, settings):
    settings.CONSULTATION_RATE_LIMIT = 1000
    settings.CRIMEPLAN_SUPPRESS_BELOW = 1  # compare every count exactly
    choices = ["Yes", "Mostly", "No", "Not sure"]
    roads = "Improve safety on our roads"
    asb = "Crack down on anti-social behaviour"
    sent = []
    for n in range(37):
        answers = {"right_priorities": choices[(n * 7) % 4], "feel_safe": str(n % 5 + 1)}
        if n % 3:
            answers["most_important"] = [roads] if n % 2 else [roads, asb]
        if n % 4 == 0:
            answers["age"] = "Prefer not to say"
        sent.append(answers)
        take_response(survey, answer_form(**answers), f"203.0.113.{n}")
    # Spam and a repeat on top, which must not show.
    spam = answer_form(right_priorities="No")
    spam["website"] = ["x"]
    take_response(survey, spam, "203.0.113.200")
    take_response(survey, answer_form(**sent[0]), "203.0.113.0")

    expected_priorities = Counter(a["right_priorities"] for a in sent)
    expected_safe = Counter(a["feel_safe"] for a in sent)
    expected_important = Counter(c for a in sent for c in a.get("most_important", []))
    results = survey_results(survey)
    assert results.responses == 37
    assert _counts(survey, "right-priorities") == {c: str(expected_priorities[c]) for c in choices}
    assert _counts(survey, "feel-safe") == {str(p): str(expected_safe[str(p)]) for p in range(1, 6)}
    important = _counts(survey, "most-important")
    assert important[roads] == str(expected_important[roads])
    assert important[asb] == str(expected_important[asb])
    assert important["Be tough on domestic abuse"] == "0"
    answered = {r.question.key: r.answered for r in results.questions}
    assert answered["most-important"] == sum(1 for a in sent if "most_important" in a)
    assert answered["age"] == sum(1 for a in sent if "age" in a)


def test_demographic_counts_below_threshold_are_suppressed(survey, answer_form, settings):
    settings.CONSULTATION_RATE_LIMIT = 1000
    for n in range(7):
        take_response(survey, answer_form(right_priorities="Yes", age="18 to 34"), f"203.0.113.{n}")
    for n in range(4):
        take_response(
            survey, answer_form(right_priorities="No", age="75 or over"), f"203.0.114.{n}"
        )
    age = _counts(survey, "age")
    assert age["18 to 34"] == "7"
    assert age["75 or over"] == "fewer than 5"
    assert age["Under 18"] == "fewer than 5"
    # Answers to the plan's questions are not about respondents and are shown as counted.
    assert _counts(survey, "right-priorities")["No"] == "4"
    settings.CRIMEPLAN_SUPPRESS_BELOW = 10
    assert _counts(survey, "age")["18 to 34"] == "fewer than 10"
