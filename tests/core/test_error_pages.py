"""Styled error pages in the site's layout, and a request with too many fields answers 400."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import get_resolver

from crimeplan.core.errors import server_error

PCP = "essex-police-and-crime-plan-2016-2020"
FORM = "application/x-www-form-urlencoded"
MANY = "&".join(f"f{i}=1" for i in range(1001))


def _in_layout(html: str) -> bool:
    return 'class="govuk-template__header"' in html and 'class="govuk-footer"' in html


def test_page_not_found_is_styled_and_lists_no_url_patterns(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert _in_layout(html)
    assert '<h1 class="govuk-heading-l" data-testid="error-404">Page not found</h1>' in html
    assert "URLconf" not in html and "plans/&lt;slug:slug&gt;" not in html


def test_forbidden_is_styled_and_says_why(client, example_plans, member):
    client.force_login(member("viewer", "essex-pfcc"))
    response = client.get(f"/plans/{PCP}/edit/")
    assert response.status_code == 403
    html = response.content.decode()
    assert _in_layout(html) and "You cannot see this page" in html
    assert "Only scrutiny officers and administrators of the plan&#39;s owner" in html


def test_server_error_page_is_styled_without_the_database(db, django_assert_num_queries):
    assert get_resolver().resolve_error_handler(500) is server_error
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500 and _in_layout(html)
    assert "Sorry, there is a problem with the service" in html


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "url",
    [
        "/",
        f"/plans/{PCP}/",
        f"/plans/{PCP}/measures/burglary/",
        "/hotspots/",
        "/hotspots/E07000070/",
        "/api/districts/",
    ],
)
def test_over_a_thousand_query_fields_answer_400(client, example_plans, settings, url, debug):
    # With DEBUG on, Django's debug page read the fields again and failed: a 500.
    settings.DEBUG = debug
    client.raise_request_exception = False
    response = client.get(f"{url}?{MANY}")
    assert response.status_code == 400, url
    html = response.content.decode()
    assert _in_layout(html) and "Sorry, there is a problem with your request" in html


@pytest.mark.parametrize("debug", [False, True])
def test_over_a_thousand_form_fields_answer_400(client, db, settings, debug):
    settings.DEBUG = debug
    client.raise_request_exception = False
    data = {f"f{i}": "1" for i in range(1001)}
    for form in (data, "&".join(f"{k}={v}" for k, v in data.items())):
        kind = {} if isinstance(form, dict) else {"content_type": FORM}
        response = client.post("/accounts/login/", form, **kind)
        assert response.status_code == 400
        if not debug:
            assert "Sorry, there is a problem with your request" in response.content.decode()
