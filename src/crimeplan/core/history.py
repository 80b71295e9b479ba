"""A change history people can read: audit events with field labels, names, filters and pages.

The audit trail stores raw rows (``measure_id: 11``); a reader needs "Measure: Burglary" and who
made the change by name. This module turns a queryset of :class:`AuditEvent` into pages of
readable entries, filtered by who, what and when, for any app's history page (plans today,
delivery tomorrow). It reads the models' own field names, so a new audited model needs nothing
here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from crimeplan.core.models import AuditEvent

PAGE_SIZE = 50


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    who: str
    action: str
    what: str
    name: str
    changes: list[Change]


@dataclass
class Filters:
    """What the reader asked for; ``errors`` maps a field to a message in the GOV.UK pattern."""

    who: str = ""
    what: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    raw: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class HistoryPage:
    entries: list[Entry]
    total: int
    number: int
    pages: int
    filters: Filters
    who_options: list[tuple[str, str]]
    what_options: list[tuple[str, str]]

    def pagination(self, path: str) -> dict[str, Any] | None:
        """Parameters for GOV.UK Frontend's ``govukPagination`` macro (None for one page)."""
        if self.pages <= 1:
            return None
        query = {k: v for k, v in self.filters.raw.items() if v and k != "page"}

        def href(n: int) -> str:
            from urllib.parse import urlencode

            return f"{path}?{urlencode({**query, 'page': n})}"

        shown = sorted(
            {1, self.pages, self.number - 1, self.number, self.number + 1}
            & set(range(1, self.pages + 1))
        )
        items: list[dict[str, Any]] = []
        for i, n in enumerate(shown):
            if i and n - shown[i - 1] > 1:
                items.append({"ellipsis": True})
            items.append({"number": n, "href": href(n), "current": n == self.number})
        params: dict[str, Any] = {"items": items, "landmarkLabel": "Pages of changes"}
        if self.number > 1:
            params["previous"] = {"href": href(self.number - 1)}
        if self.number < self.pages:
            params["next"] = {"href": href(self.number + 1)}
        return params


def model_name(label: str) -> str:
    """``plans.Commitment`` -> ``commitment``, in the model's own words."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label.rsplit(".", 1)[-1].lower()


def model_field(model: type[models.Model] | None, attname: str) -> models.Field | None:
    """The field an audit row's key names: ``lead_organisation_id`` or ``strands``."""
    if model is None:
        return None
    for candidate in (attname, attname.removesuffix("_id")):
        try:
            return model._meta.get_field(candidate)  # type: ignore[return-value]
        except FieldDoesNotExist:
            continue
    return None


def field_label(model: type[models.Model] | None, attname: str) -> str:
    found = model_field(model, attname)
    label = str(found.verbose_name) if found is not None else attname.replace("_", " ")
    return label[:1].upper() + label[1:]


def _who(event: AuditEvent) -> str:
    user = event.user
    if user is not None:
        full = user.get_full_name()
        return f"{full} ({user.get_username()})" if full else user.get_username()
    return event.actor


class ReadableValues:
    """Readable text for stored values: choices by label, related rows by name, fetched in one
    query per related model for a whole page. An app whose pages name rows in its own words
    (a commitment by its code) overrides :meth:`name`."""

    def __init__(self, events: list[AuditEvent]):
        self.names: dict[type[models.Model], dict[str, str]] = {}
        wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        for event in events:
            model = model_of(event.model)
            for key, before, after in event.changed_fields():
                related = self._related(model, key)
                if related is None:
                    continue
                for value in (before, after):
                    for item in value if isinstance(value, list) else [value]:
                        if item is not None:
                            wanted[related].add(str(item))
        for related, keys in wanted.items():
            rows = related._default_manager.filter(pk__in=list(keys))
            self.names[related] = {str(row.pk): self.name(row) for row in rows}

    def name(self, row: models.Model) -> str:
        """What the history calls a related row."""
        return str(row)

    @staticmethod
    def _related(model: type[models.Model] | None, key: str) -> type[models.Model] | None:
        found = model_field(model, key)
        if found is not None and found.is_relation and found.related_model is not None:
            return found.related_model  # type: ignore[return-value]
        return None

    def text(self, model: type[models.Model] | None, key: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "–"
        related = self._related(model, key)
        if related is not None:
            names = self.names.get(related, {})
            items = value if isinstance(value, list) else [value]
            return ", ".join(names.get(str(v), f"{v} (since deleted)") for v in items)
        found = model_field(model, key)
        if found is not None and found.choices:
            return str(dict(found.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, list | tuple):
            return "; ".join(str(v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{k}: {v}" for k, v in value.items())
        return str(value)


def model_of(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _date(raw: str, name: str, errors: dict[str, str]) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = "Enter a date as year-month-day, for example 2025-03-31"
        return None


def parse_filters(params: Mapping[str, str], whos: set[str], whats: set[str]) -> Filters:
    raw = {k: str(params.get(k, "")).strip() for k in ("who", "what", "since", "until", "page")}
    filters = Filters(raw=raw)
    if raw["who"] and raw["who"] not in whos:
        filters.errors["who"] = "Choose who made the change from the list"
    else:
        filters.who = raw["who"]
    if raw["what"] and raw["what"] not in whats:
        filters.errors["what"] = "Choose what was changed from the list"
    else:
        filters.what = raw["what"]
    filters.since = _date(raw["since"], "since", filters.errors)
    filters.until = _date(raw["until"], "until", filters.errors)
    if filters.since and filters.until and filters.since > filters.until:
        filters.errors["until"] = "The last day must be the same as or after the first day"
        filters.until = None
    return filters


def history_page(
    events: QuerySet[AuditEvent], params: Mapping[str, str], page_size: int = PAGE_SIZE
) -> HistoryPage:
    """One page of ``events`` (newest first) as readable entries, filtered as ``params`` asks
    (``who``, ``what`` = a model label, ``since``/``until`` = ISO dates, ``page``)."""
    whos = dict(events.order_by().values_list("actor", "actor").distinct())
    whats = sorted(set(events.order_by().values_list("model", flat=True).distinct()))
    filters = parse_filters(params, set(whos), set(whats))
    chosen = events
    if filters.who:
        chosen = chosen.filter(actor=filters.who)
    if filters.what:
        chosen = chosen.filter(model=filters.what)
    zone = timezone.get_current_timezone()
    if filters.since:
        chosen = chosen.filter(at__gte=dt.datetime.combine(filters.since, dt.time(), zone))
    if filters.until:
        end = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time(), zone)
        chosen = chosen.filter(at__lt=end)
    paginator = Paginator(chosen.select_related("user"), page_size)
    page = paginator.get_page(filters.raw.get("page") or 1)
    listed = list(page.object_list)
    values = ReadableValues(listed)
    entries = []
    for event in listed:
        model = model_of(event.model)
        changes = [
            Change(
                field_label(model, key),
                values.text(model, key, before),
                values.text(model, key, after),
            )
            for key, before, after in event.changed_fields()
        ]
        entries.append(
            Entry(
                at=event.at,
                who=_who(event),
                action=event.get_action_display(),
                what=model_name(event.model),
                name=event.object_repr,
                changes=changes,
            )
        )
    return HistoryPage(
        entries=entries,
        total=paginator.count,
        number=page.number,
        pages=paginator.num_pages,
        filters=filters,
        who_options=sorted(whos.items()),
        what_options=[(label, model_name(label).capitalize()) for label in whats],
    )
