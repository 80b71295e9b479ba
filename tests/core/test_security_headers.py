"""A Content-Security-Policy with no inline script, and a Permissions-Policy, on every page."""

from __future__ import annotations

import re

import pytest

PCP = "essex-police-and-crime-plan-2016-2020"
PAGES = [
    "/",
    f"/plans/{PCP}/",
    f"/plans/{PCP}/priorities/1/",
    f"/plans/{PCP}/measures/",
    f"/plans/{PCP}/measures/special-constables/",
    "/organisations/",
    "/hotspots/",
    "/accounts/login/",
    "/no-such-page/",
    "/api/districts/",
]
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)


def _policy(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_strict_csp_and_a_permissions_policy(client, example_plans, url):
    response = client.get(url)
    policy = _policy(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions and "geolocation=()" in permissions
    if response["Content-Type"].startswith("text/html"):
        for attributes, body in SCRIPT.findall(response.content.decode()):
            assert "src=" in attributes and not body.strip(), (url, attributes, body[:80])


def test_signed_in_pages_have_no_inline_script_either(client, example_plans, member):
    client.force_login(member("contributor", "essex-police"))
    html = client.get(f"/plans/{PCP}/measures/special-constables/").content.decode()
    assert "Sign out" in html
    for attributes, body in SCRIPT.findall(html):
        assert "src=" in attributes and not body.strip()


def test_a_tile_server_is_allowed_for_images_only(client, db, settings):
    from crimeplan.settings import _tile_origin

    assert _tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == [
        "https://*.tile.example.org"
    ]
    assert _tile_origin("not a url") == []
