"""Every page's markup reaches the browser as markup: none of it escaped into visible text."""

from __future__ import annotations

import pytest

from tests.pages import page, text

PCP = "essex-police-and-crime-plan-2016-2020"
ESCAPED = ("&lt;form", "&lt;input", "&lt;button", "&lt;a ", "&lt;span", "&lt;p", "&lt;li")


def _pages() -> list[str]:
    return [
        "/",
        "/plans/",
        f"/plans/{PCP}/",
        f"/plans/{PCP}/priorities/1/",
        f"/plans/{PCP}/priorities/1/commitments/c/",
        f"/plans/{PCP}/measures/",
        f"/plans/{PCP}/measures/burglary/",
        f"/plans/{PCP}/measures/special-constables/",
        f"/plans/{PCP}/measures/districts/",
        "/organisations/",
        "/organisations/essex-pfcc/",
        "/hotspots/",
        "/accounts/login/",
    ]


def _escaped(html: str) -> list[str]:
    return [needle for needle in ESCAPED if needle in html]


@pytest.mark.parametrize("signed_in", [False, True], ids=["public", "signed-in"])
def test_no_page_shows_escaped_markup(client, example_plans, member, signed_in):
    urls = _pages()
    if signed_in:
        client.force_login(member("scrutiny_officer", "essex-pfcc", username="officer"))
        urls += [
            f"/plans/{PCP}/history/",
            f"/plans/{PCP}/edit/",
            f"/plans/{PCP}/priorities/1/commitments/c/edit/",
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert _escaped(html) == [], url


def test_signed_in_header_has_a_working_sign_out(client, example_plans, member):
    client.force_login(member("scrutiny_officer", "essex-pfcc", username="officer"))
    shown = page(client.get("/"))
    form = shown.testid("sign-out")
    assert form.name == "form" and form["method"] == "post"
    assert form["action"] == "/accounts/logout/"
    assert form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    assert text(form.select_one("button")) == "Sign out officer"
    assert client.post("/accounts/logout/").status_code == 302
    shown = page(client.get("/"))
    assert shown.all("[data-testid=sign-out]") == []
    assert [text(a) for a in shown.all(".govuk-service-navigation__link")][-1] == "Sign in"


def test_sign_in_errors_sit_on_their_fields(client, example_plans):
    blank = page(client.post("/accounts/login/", {"username": "", "password": ""}))
    assert blank.title.startswith("Error: ")
    links = [(a["href"], text(a)) for a in blank.all(".govuk-error-summary a")]
    assert links == [
        ("#id_username", "Enter your username"),
        ("#id_password", "Enter your password"),
    ]
    for name in ("username", "password"):
        assert blank.one(f"#id_{name}")["aria-describedby"] == f"id_{name}-error"
        assert "Enter your" in blank.text(f"#id_{name}-error")
    wrong = page(client.post("/accounts/login/", {"username": "x", "password": "y"}))
    assert [a["href"] for a in wrong.all(".govuk-error-summary a")] == ["#id_username"]
    assert wrong.text("#id_username-error") == "Error: Enter a correct username and password"


def test_a_saved_change_is_confirmed(client, example_plans, member):
    client.force_login(member("scrutiny_officer", "essex-pfcc", username="officer"))
    url = f"/plans/{PCP}/priorities/1/commitments/c/edit/"
    response = client.post(url, {"text": "Give every officer a tablet."}, follow=True)
    banner = page(response).testid("notification")
    assert "govuk-notification-banner--success" in banner["class"]
    assert banner["role"] == "alert"
    assert "Commitment 1c is saved." in text(banner)


def test_favicon_and_plans_address_answer(client, example_plans):
    assert client.get("/favicon.ico")["Location"].endswith("crimeplan/favicon.svg")
    listed = page(client.get("/plans/"))
    assert len(listed.all("tbody tr")) == 2
