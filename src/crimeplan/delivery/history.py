"""An action's change history in words people read: field labels instead of column names,
names instead of ids, choice labels instead of codes; filterable by what changed and who, and
paged. Reads the audit trail that every delivery model writes (scope ``action:<pk>``).

The words come from :mod:`crimeplan.core.history` (labels, related names, choices), as on the
plans' history page; this module adds what only an action's page shows: kinds of change,
"Added an update: ..." summaries and the model's own field order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import models

from crimeplan.core.history import Change, ReadableValues, field_label, model_field
from crimeplan.core.models import AuditEvent
from crimeplan.plans.models import Commitment

KINDS = {
    "action": ("delivery.Action", "the action"),
    "update": ("delivery.Update", "an update"),
    "milestone": ("delivery.Milestone", "a milestone"),
    "evidence": ("delivery.Evidence", "evidence"),
}
VERBS = {AuditEvent.CREATE: "Added", AuditEvent.UPDATE: "Changed", AuditEvent.DELETE: "Removed"}
HIDDEN = {"id", "action_id", "file"}


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    actor: str
    summary: str
    changes: list[Change]


@dataclass(frozen=True)
class History:
    page: Page
    entries: list[Entry]
    kind: str
    who: str
    actors: list[str]
    total: int


class _Values(ReadableValues):
    """Core's readable values (choices by label, rows by name, one query per model a page) in
    delivery's words: a commitment by its code, a person by their name, and dates as people
    write them ("1 March 2026")."""

    def name(self, row: models.Model) -> str:
        if isinstance(row, Commitment):
            return row.code
        if isinstance(row, get_user_model()):
            return row.get_full_name() or row.get_username()
        return super().name(row)

    def text(self, model: type[models.Model] | None, key: str, value: Any) -> str:
        field = model_field(model, key)
        if isinstance(value, str) and value:
            if isinstance(field, models.DateTimeField):
                return dt.datetime.fromisoformat(value).strftime("%-d %B %Y %H:%M")
            if isinstance(field, models.DateField):
                return dt.date.fromisoformat(value).strftime("%-d %B %Y")
        return super().text(model, key, value)


def describe(event: AuditEvent, values: _Values) -> Entry:
    model = apps.get_model(event.model)
    what = {v[0]: v[1] for v in KINDS.values()}.get(event.model, event.model)
    summary = f"{VERBS.get(event.action, event.action)} {what}"
    if event.model != "delivery.Action":
        summary += f": {event.object_repr}"
    changes = [
        Change(
            field_label(model, name),
            values.text(model, name, before) if event.before else "",
            values.text(model, name, after) if event.after else "",
        )
        for name, before, after in sorted(
            event.changed_fields(), key=lambda change: _order(model, change[0])
        )
        if name not in HIDDEN
    ]
    return Entry(event.at, event.actor, summary, changes)


def _order(model: type[models.Model], name: str) -> int:
    names = [getattr(f, "attname", f.name) for f in model._meta.get_fields()]
    return names.index(name) if name in names else len(names)


def action_history(
    action: Any, kind: str = "", who: str = "", page: str | int = 1, per_page: int = 50
) -> History:
    events = AuditEvent.objects.filter(scope=f"action:{action.pk}")
    actors = sorted(set(events.values_list("actor", flat=True)))
    if kind in KINDS:
        events = events.filter(model=KINDS[kind][0])
    if who:
        events = events.filter(actor=who)
    paginator = Paginator(events.order_by("-at", "-id"), per_page)
    current = paginator.get_page(page)
    listed = list(current.object_list)
    values = _Values(listed)
    return History(
        current, [describe(e, values) for e in listed], kind, who, actors, paginator.count
    )
