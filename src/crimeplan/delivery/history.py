"""An action's change history in words people read: field labels instead of column names,
names instead of ids, choice labels instead of codes; filterable by what changed and who, and
paged. Reads the audit trail that every delivery model writes (scope ``action:<pk>``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import models

from crimeplan.accounts.models import Organisation
from crimeplan.core.models import AuditEvent
from crimeplan.plans.models import Asset, Commitment, Strand

KINDS = {
    "action": ("delivery.Action", "the action"),
    "update": ("delivery.Update", "an update"),
    "milestone": ("delivery.Milestone", "a milestone"),
    "evidence": ("delivery.Evidence", "evidence"),
}
VERBS = {AuditEvent.CREATE: "Added", AuditEvent.UPDATE: "Changed", AuditEvent.DELETE: "Removed"}
HIDDEN = {"id", "action_id", "file"}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


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


class _Names:
    """Turns stored ids into names, loading each kind of name once per page."""

    def __init__(self, events: list[AuditEvent]):
        wanted: dict[type[models.Model], set[str]] = {}
        for event in events:
            model = apps.get_model(event.model)
            for side in (event.before or {}, event.after or {}):
                for name, value in side.items():
                    target = _target(model, name)
                    if target is None or value in (None, ""):
                        continue
                    values = value if isinstance(value, list) else [value]
                    wanted.setdefault(target, set()).update(str(v) for v in values)
        self.names: dict[tuple[type, str], str] = {}
        for target, ids in wanted.items():
            queryset = target._default_manager.filter(pk__in=ids)
            if target is Commitment:
                queryset = queryset.select_related("priority")
            for obj in queryset:
                self.names[(target, str(obj.pk))] = _name(obj)

    def name(self, target: type, value: Any) -> str:
        return self.names.get((target, str(value)), f"(removed, id {value})")


def _name(obj: models.Model) -> str:
    if isinstance(obj, Commitment):
        return obj.code
    if isinstance(obj, get_user_model()):
        return obj.get_full_name() or obj.get_username()
    return str(obj)


def _field(model: type[models.Model], name: str) -> models.Field | None:
    for field in model._meta.get_fields():
        if getattr(field, "attname", None) == name or field.name == name:
            return field  # type: ignore[return-value]
    return None


def _target(model: type[models.Model], name: str) -> type[models.Model] | None:
    field = _field(model, name)
    if field is None or not (field.many_to_one or field.many_to_many):
        return None
    related = field.related_model
    if related in (Organisation, Asset, Strand, Commitment, get_user_model()):
        return related  # type: ignore[return-value]
    return None


def _readable(model: type[models.Model], name: str, value: Any, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return "–"
    field = _field(model, name)
    target = _target(model, name)
    if target is not None:
        values = value if isinstance(value, list) else [value]
        return ", ".join(sorted(names.name(target, v) for v in values))
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, models.DateTimeField):
        return dt.datetime.fromisoformat(value).strftime("%-d %B %Y %H:%M")
    if isinstance(field, models.DateField):
        return dt.date.fromisoformat(value).strftime("%-d %B %Y")
    return str(value)


def _label(model: type[models.Model], name: str) -> str:
    field = _field(model, name)
    label = getattr(field, "verbose_name", None) or name
    return str(label)[:1].upper() + str(label)[1:]


def describe(event: AuditEvent, names: _Names) -> Entry:
    model = apps.get_model(event.model)
    what = {v[0]: v[1] for v in KINDS.values()}.get(event.model, event.model)
    summary = f"{VERBS.get(event.action, event.action)} {what}"
    if event.model != "delivery.Action":
        summary += f": {event.object_repr}"
    before, after = event.before or {}, event.after or {}
    changes = []
    for name in sorted(set(before) | set(after), key=lambda n: _order(model, n)):
        if name in HIDDEN or before.get(name) == after.get(name):
            continue
        changes.append(
            Change(
                _label(model, name),
                _readable(model, name, before.get(name), names) if event.before else "",
                _readable(model, name, after.get(name), names) if event.after else "",
            )
        )
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
    names = _Names(listed)
    return History(
        current, [describe(e, names) for e in listed], kind, who, actors, paginator.count
    )
