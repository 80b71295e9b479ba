"""Requests with too many fields answer 400 with the site's page, in every mode.

Django refuses more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields when a view first reads
``request.GET`` or ``request.POST``; with ``DEBUG`` on, its error page then reads them again,
fails the same way, and the answer became a 500. Reading them here, before any view or error
page does, turns the refusal into the 400 page at once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse

from crimeplan.core.errors import bad_request

FORM = "application/x-www-form-urlencoded"


class FieldLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.GET  # noqa: B018 - parsing is the check
            if request.method == "POST" and request.content_type == FORM:
                request.POST  # noqa: B018
        except (TooManyFieldsSent, RequestDataTooBig) as exc:
            return bad_request(request, exc)
        return self.get_response(request)
