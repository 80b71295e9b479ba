"""The Jinja2 environment every page renders through.

GOV.UK Frontend macros come from ``govuk-frontend-jinja`` under the ``govuk_frontend_jinja/``
prefix (the names its own templates import each other by); the project's templates live in each
app's ``jinja2/`` folder so an app owns its pages.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader

from crimeplan.core.downloads import download_links
from crimeplan.core.numbers import format_number


def _app_template_dirs() -> list[str]:
    dirs = []
    for config in apps.get_app_configs():
        path = os.path.join(config.path, "jinja2")
        if os.path.isdir(path):
            dirs.append(path)
    return dirs


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def number(value: Any, places: int = 0, unit: str = "") -> str:
    """Thousands separators, as people read figures in board papers; halves round away from
    zero, the one rule the pages, charts and downloads share (``downloads.rounded``)."""
    return format_number(value, places, unit)


def local_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%-d %B %Y %H:%M")


def figures_are_synthetic() -> bool:
    """Whether the latest computation ran on generated (demo) records: every page then says so,
    so a screenshot of the demo can never pass for real figures."""
    from crimeplan.measures.models import ComputeRun

    # Every page asks, so this reads the newest row by primary key (an index) rather than by
    # ``at`` (ComputeRun's ordering, which has none and would sort the whole table). Runs are
    # only ever added, so the highest key is the latest run.
    return bool(ComputeRun.objects.order_by("-pk").values_list("synthetic", flat=True).first())


def environment(**options: Any) -> Environment:
    options.pop("loader", None)
    loader = ChoiceLoader(
        [
            FileSystemLoader(_app_template_dirs()),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    env = Environment(loader=loader, **options)
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_messages": get_messages,
            "settings": settings,
            "figures_are_synthetic": figures_are_synthetic,
            "download_links": download_links,
        }
    )
    env.filters.update({"number": number, "local_datetime": local_datetime})
    return env
