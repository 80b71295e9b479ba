"""Error pages in the site's layout, worded as GOV.UK words them.

Django's own pages are plain (or, with DEBUG on, list the URL patterns); these say what went
wrong and what to do. The 500 page is drawn without the database (no signed-in user, no demo
banner), because a broken database is one reason to be showing it.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

log = logging.getLogger(__name__)


def _page(request: HttpRequest, status: int, context: dict) -> HttpResponse:
    return render(request, "error.html", {"status": status, **context}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        400,
        {
            "heading": "Sorry, there is a problem with your request",
            "paragraphs": [
                "The site could not read the request: it may be too long, have too many "
                "fields, or have been changed on the way.",
                "Go back and try again, or start again from the home page.",
            ],
        },
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    said = str(exception) if isinstance(exception, PermissionDenied) and str(exception) else ""
    paragraphs = [said or "You do not have permission to see this page."]
    if not request.user.is_authenticated:
        paragraphs.append("If you are a partner, sign in and try again.")
    return _page(request, 403, {"heading": "You cannot see this page", "paragraphs": paragraphs})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        {
            "heading": "Page not found",
            "paragraphs": [
                "If you typed the web address, check it is correct.",
                "If you pasted the web address, check you copied the entire address.",
                "An unpublished plan is shown only to its partners once they have signed in.",
            ],
        },
    )


def server_error(request: HttpRequest) -> HttpResponse:
    context = {
        "status": 500,
        "plain": True,
        "heading": "Sorry, there is a problem with the service",
        "paragraphs": ["Try again later.", "The problem has been recorded."],
    }
    try:
        return render(request, "error.html", context, status=500)
    except Exception:  # noqa: BLE001 - the error page itself must not fail
        log.exception("the 500 page could not be drawn")
        return HttpResponse(
            "<!DOCTYPE html><html lang='en-GB'><title>Sorry, there is a problem with the service"
            "</title><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>",
            status=500,
        )
