"""Survey pages over HTTP: CSRF, the honeypot and rate limits through the form, results only
once published, and the analysts' pages closed to everyone else."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from factories import example_plan
from openpyxl import load_workbook

from crimeplan.consultation.models import Answer, Response, Theme
from crimeplan.consultation.responding import take_response

URL = "/have-your-say/essex-police-and-crime-plan-2016-survey/"


def test_survey_page_shows_every_question_and_the_privacy_notice(client, survey):
    html = client.get(URL).content.decode()
    for question in survey.questions.all():
        assert question.text in html
    assert "You do not need to give your name" in html
    # Each question about the respondent offers it, as the example survey file has them.
    surveys = example_plan("consultation/essex-police-and-crime-plan-2016-2020")["surveys"]
    example = next(s for s in surveys if s["slug"] == "essex-police-and-crime-plan-2016-survey")
    demographic = [q for q in example["questions"] if q.get("demographic")]
    assert html.count('value="Prefer not to say"') == len(demographic) > 0
    assert 'name="website"' in html and 'tabindex="-1"' in html


def test_answering_through_the_form(client, survey, answer_form):
    response = client.post(URL, answer_form(right_priorities="Yes", feel_safe="3"))
    assert response.status_code == 302 and response["Location"].endswith("/thank-you/")
    assert Answer.objects.filter(question__key="feel-safe", rating=3).count() == 1


def test_errors_are_summarised_and_linked(client, survey):
    response = client.post(URL, {"q-feel-safe": "3"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error:" in html
    assert 'href="#q-right-priorities"' in html and 'id="q-right-priorities"' in html
    # What was given is kept.
    assert 'id="q-feel-safe-3" name="q-feel-safe" type="radio" value="3" checked' in html


def test_post_without_csrf_token_is_refused(survey, answer_form):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, answer_form(right_priorities="Yes")).status_code == 403
    assert not Response.objects.exists()


def test_honeypot_through_the_form_thanks_but_stores_nothing(client, survey, answer_form):
    data = answer_form(right_priorities="No")
    data["website"] = ["buy now"]
    assert client.post(URL, data).status_code == 302
    assert not Response.objects.exists()


def test_rate_limited_form_says_so(client, survey, answer_form, settings):
    settings.CONSULTATION_RATE_LIMIT = 2
    for rating in ("1", "2"):
        client.post(URL, answer_form(right_priorities="Yes", feel_safe=rating))
    response = client.post(URL, answer_form(right_priorities="No"))
    assert response.status_code == 429
    assert "try again later" in response.content.decode()
    assert Response.objects.count() == 2


def test_closed_survey_page_refuses_answers(client, survey, answer_form):
    survey.phase = "closed"
    survey.save()
    assert "is closed and is not taking answers" in client.get(URL).content.decode()
    response = client.post(URL, answer_form(right_priorities="Yes"))
    assert response.status_code == 409
    assert not Response.objects.exists()


def test_draft_survey_is_not_public(client, survey):
    survey.phase = "draft"
    survey.save()
    assert client.get(URL).status_code == 404


def test_results_only_once_published(client, survey, answer_form, member, settings):
    settings.CONSULTATION_RATE_LIMIT = 100
    for n in range(6):
        take_response(survey, answer_form(right_priorities="Yes", age="18 to 34"), f"10.0.0.{n}")
    take_response(survey, answer_form(right_priorities="No", age="Under 18"), "10.0.1.1")
    results = URL + "results/"
    assert client.get(results).status_code == 404
    survey.phase = "closed"
    survey.save()
    assert client.get(results).status_code == 404
    analyst = Client()
    analyst.force_login(member("analyst"))
    assert "Preview for analysts" in analyst.get(results).content.decode()
    survey.phase = "results_published"
    survey.save()
    html = client.get(results).content.decode()
    assert "7 responses counted." in html
    assert "<svg" in html
    section = html[html.index('data-testid="question-age"') :]
    assert "fewer than 5" in section[: section.index("</section>")]
    assert (
        'Under 18</th><td class="govuk-table__cell govuk-table__cell--numeric">fewer than 5' in html
    )


@pytest.mark.parametrize("path", ["analyse/", "responses.csv", "responses.xlsx"])
def test_analyst_pages_are_closed_to_the_public_and_viewers(client, survey, member, path):
    assert client.get(URL + path).status_code == 403
    viewer = Client()
    viewer.force_login(member("viewer"))
    assert viewer.get(URL + path).status_code == 403


def test_export_has_answers_and_nothing_identifying(survey, answer_form, member):
    take_response(
        survey,
        answer_form(right_priorities="Yes", missing_priorities='=HYPERLINK("x")', feel_safe="5"),
        "198.51.100.77",
    )
    key = Response.objects.get().address_key
    analyst = Client()
    analyst.force_login(member("analyst"))
    text = analyst.get(URL + "responses.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["response", "date", "right-priorities", "missing-priorities"]
    assert rows[1][0] == "1" and rows[1][2] == "Yes"
    assert rows[1][3] == '\'=HYPERLINK("x")', "a formula is never exported as one"
    assert key not in text and "198.51.100.77" not in text
    assert str(Response.objects.get().pk) not in rows[1][1:2]
    book = load_workbook(io.BytesIO(analyst.get(URL + "responses.xlsx").content))
    sheet = book["responses"]
    assert [c.value for c in sheet[1]][:3] == ["response", "date", "right-priorities"]
    assert sheet.cell(row=2, column=3).value == "Yes"
    assert all(key not in str(c.value) for row in sheet.iter_rows() for c in row)


def test_analyst_adds_a_theme_and_tags_an_answer(survey, answer_form, member, example_plans):
    take_response(
        survey, answer_form(right_priorities="Yes", missing_priorities="Fly-tipping"), "10.1.1.1"
    )
    commitment = survey.plan.commitments.get(priority__number=2, letter="a")
    analyst = Client()
    analyst.force_login(member("analyst"))
    response = analyst.post(
        URL + "analyse/",
        {"action": "add-theme", "name": "Environmental crime", "commitments": [commitment.pk]},
    )
    assert response.status_code == 302
    theme = Theme.objects.get()
    assert list(theme.commitments.all()) == [commitment]
    answer = Answer.objects.get(question__key="missing-priorities")
    analyst.post(URL + "analyse/", {"answer": answer.pk, "themes": [theme.pk]})
    assert list(answer.themes.all()) == [theme]
    # A theme of another survey, or a commitment of another plan, is refused.
    other = example_plans["essex-crime-prevention-strategy-2021-2025"]
    foreign = other.commitments.first()
    if foreign is not None:
        bad = analyst.post(
            URL + "analyse/", {"action": "add-theme", "name": "X", "commitments": [foreign.pk]}
        )
        assert bad.status_code == 400
    assert Theme.objects.count() == 1


def test_phase_moves_forward_only(survey, member):
    analyst = Client()
    analyst.force_login(member("analyst"))
    analyst.post(URL + "phase/", {"phase": "closed"})
    survey.refresh_from_db()
    assert survey.phase == "closed"
    analyst.post(URL + "phase/", {"phase": "open"})
    survey.refresh_from_db()
    assert survey.phase == "closed"
    assert Client().post(URL + "phase/", {"phase": "results_published"}).status_code == 403
    survey.refresh_from_db()
    assert survey.phase == "closed"
