"""Recording changes to audited models.

Models opt in by inheriting :class:`AuditedModel`; a ``pre_save`` read of the stored row gives
"before", the saved instance gives "after". The actor comes from a context variable that the web
middleware sets from the logged-in user and CLI commands set with :func:`acting_as`, so nothing
that writes audited data can forget to say who it was.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

_actor: contextvars.ContextVar[tuple[Any, str] | None] = contextvars.ContextVar(
    "crimeplan_actor", default=None
)


@contextmanager
def acting_as(user: Any = None, label: str | None = None) -> Iterator[None]:
    """Attribute every audited change inside the block to ``user`` (or a labelled process)."""
    if label is None:
        label = user.get_username() if user is not None else f"cli:{_os_user()}"
    token = _actor.set((user, label))
    try:
        yield
    finally:
        _actor.reset(token)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"


def current_actor() -> tuple[Any, str]:
    value = _actor.get()
    if value is None:
        return None, f"system:{_os_user()}"
    return value


class AuditUserMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            with acting_as(user):
                return self.get_response(request)
        return self.get_response(request)


def _jsonable(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""  # a stored file is recorded by its stored name
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in getattr(instance, "audit_exclude", ()):
            continue
        data[field.attname] = _jsonable(getattr(instance, field.attname))
    return data


class AuditedModel(models.Model):
    """Base for models whose every change must be on the record."""

    audit_exclude: tuple[str, ...] = ("updated_at", "created_at")

    class Meta:
        abstract = True

    def audit_scope(self) -> str:
        """A key that groups events for a history page (e.g. ``plan:3``)."""
        return ""


def _record(instance: AuditedModel, action: str, before: Any, after: Any) -> None:
    from crimeplan.core.models import AuditEvent

    if action == AuditEvent.UPDATE and before == after:
        return
    user, label = current_actor()
    AuditEvent.objects.create(
        user=user if (user is not None and getattr(user, "pk", None)) else None,
        actor=label,
        action=action,
        model=instance._meta.label,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        scope=instance.audit_scope(),
        before=before,
        after=after,
    )


def _pre_save(sender: type, instance: AuditedModel, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    previous = None
    if instance.pk is not None:
        stored = sender._default_manager.filter(pk=instance.pk).first()
        previous = snapshot(stored) if stored is not None else None
    instance._audit_before = previous  # type: ignore[attr-defined]


def _post_save(
    sender: type, instance: AuditedModel, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw:
        return
    from crimeplan.core.models import AuditEvent

    before = getattr(instance, "_audit_before", None)
    action = AuditEvent.CREATE if created or before is None else AuditEvent.UPDATE
    _record(instance, action, before, snapshot(instance))


def _post_delete(sender: type, instance: AuditedModel, **kwargs: Any) -> None:
    from crimeplan.core.models import AuditEvent

    _record(instance, AuditEvent.DELETE, snapshot(instance), None)


def _m2m_changed(sender: type, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    """Links (commitment ↔ strand, board ↔ asset) are plan data too, so their changes are kept."""
    if reverse or not isinstance(instance, AuditedModel):
        return
    from crimeplan.core.models import AuditEvent

    field = next(f for f in instance._meta.many_to_many if f.remote_field.through is sender)
    current = sorted(str(pk) for pk in getattr(instance, field.name).values_list("pk", flat=True))
    if action.startswith("pre_"):
        instance._audit_m2m_before = current  # type: ignore[attr-defined]
    elif action.startswith("post_"):
        before = getattr(instance, "_audit_m2m_before", current)
        if before != current:
            _record(instance, AuditEvent.UPDATE, {field.name: before}, {field.name: current})


def connect_audited_models() -> None:
    """Hook every concrete AuditedModel subclass; called once from CoreConfig.ready()."""
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, AuditedModel):
            uid = f"audit:{model._meta.label}"
            pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + ":pre")
            post_save.connect(_post_save, sender=model, dispatch_uid=uid + ":post")
            post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + ":del")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _m2m_changed, sender=field.remote_field.through, dispatch_uid=uid + field.name
                )
