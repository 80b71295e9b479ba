"""The Jinja2 environment every page renders through.

GOV.UK Frontend macros come from ``govuk-frontend-jinja`` under the ``govuk_frontend_jinja/``
prefix (the names its own templates import each other by); the project's templates live in each
app's ``jinja2/`` folder so an app owns its pages. An app offers its own template globals as
``jinja_globals`` on its ``AppConfig`` (name -> dotted path), so core imports no app.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
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


def _app_globals() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for config in apps.get_app_configs():
        for name, dotted in getattr(config, "jinja_globals", {}).items():
            found[name] = import_string(dotted)
    return found


GOVUK_INLINE_SCRIPT = re.compile(
    r"<script\b[^>]*>document\.body\.className \+= ' js-enabled'[^<]*</script>"
)
"""GOV.UK's page template sets two body classes with an inline script; the site's
Content-Security-Policy refuses inline scripts, so ``static/crimeplan/init.js`` sets them."""


class GovukLoader(PackageLoader):
    """govuk-frontend-jinja's templates, less the page template's one inline script."""

    def get_source(self, environment: Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        if template == "template.html":
            source, found = GOVUK_INLINE_SCRIPT.subn("", source)
            if found != 1:
                raise RuntimeError(
                    "govuk-frontend-jinja's template.html changed: its inline script was not "
                    "found, so the Content-Security-Policy would block it"
                )
        return source, filename, uptodate


def environment(**options: Any) -> Environment:
    options.pop("loader", None)
    loader = ChoiceLoader(
        [
            FileSystemLoader(_app_template_dirs()),
            PrefixLoader({"govuk_frontend_jinja": GovukLoader("govuk_frontend_jinja")}),
        ]
    )
    env = Environment(loader=loader, **options)
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_messages": get_messages,
            "settings": settings,
            "download_links": download_links,
        }
    )
    env.globals.update(_app_globals())
    env.filters.update({"number": number, "local_datetime": local_datetime})
    return env
