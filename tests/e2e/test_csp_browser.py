"""In a real browser the Content-Security-Policy blocks nothing the site needs, and GOV.UK
Frontend still starts (from a static file, not an inline script)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PCP = "essex-police-and-crime-plan-2016-2020"


def test_pages_run_without_csp_violations(page, live_server, example_plans):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in ["/", f"/plans/{PCP}/", f"/plans/{PCP}/measures/special-constables/", "/hotspots/"]:
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
        assert page.evaluate("document.body.classList.contains('js-enabled')")
    assert violations == []
