"""Sign-in throttling with django-axes: which address a request comes from, and the page a
locked-out person sees (in the site's layout, saying when they can try again)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str:
    """The connection's address; behind a declared proxy, the address the proxy saw (the last
    entry of X-Forwarded-For, which the proxy appends: earlier ones are the browser's word)."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failures": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    response: HttpResponse = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
