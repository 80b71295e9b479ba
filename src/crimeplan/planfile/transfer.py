"""Import and export: a validated plan file into the database, all or nothing, and back.

Import makes the stored plan equal to the file: each section matches its rows by natural key
and updates them in place, removes what the file no longer has, and saves a row only when a
field really changed, so importing the same file twice writes nothing and adds nothing to the
audit history. Export is canonical (fixed key order, optional fields left out when empty) so
that export, import and export again give the same bytes, and a plan file under version
control only shows real changes in its diffs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from crimeplan.planfile.loading import dump
from crimeplan.planfile.sections import PlanData, sections

SCHEMA_ID = "crimeplan/plan/1"


@dataclass
class ImportReport:
    plan: Any = None
    """The stored plan (a ``crimeplan.plans`` Plan), set by the section that creates it."""
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def _bump(self, bucket: dict[str, int], model: type[models.Model], n: int = 1) -> None:
        name = str(model._meta.verbose_name_plural)
        bucket[name] = bucket.get(name, 0) + n

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        if not self.changed:
            return "no changes"
        parts = []
        for label, bucket in (
            ("created", self.created),
            ("updated", self.updated),
            ("deleted", self.deleted),
        ):
            if bucket:
                items = ", ".join(f"{n} {name}" for name, n in sorted(bucket.items()))
                parts.append(f"{label} {items}")
        return "; ".join(parts)


class Importer:
    """What a section imports with: upsert, prune and link, counting each change once."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.created: set[tuple[type, int]] = set()

    def _bump_update(self, obj: models.Model) -> None:
        # A row made earlier in this import and then linked is a creation, not an update.
        if (type(obj), obj.pk) not in self.created:
            self.report._bump(self.report.updated, type(obj))

    def upsert(
        self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
    ) -> models.Model:
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.save()
            self.report._bump(self.report.created, model)
            self.created.add((model, obj.pk))
            return obj
        dirty = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                dirty = True
        if dirty:
            obj.save()
            self._bump_update(obj)
        return obj

    def prune(self, queryset: models.QuerySet[Any], keep_ids: set[int]) -> None:
        stale = list(queryset.exclude(pk__in=keep_ids))
        for obj in stale:
            obj.delete()
            self.report._bump(self.report.deleted, type(obj))

    def set_links(self, obj: models.Model, name: str, targets: list[models.Model]) -> None:
        manager = getattr(obj, name)
        current = set(manager.values_list("pk", flat=True))
        wanted = {t.pk for t in targets}
        if current != wanted:
            manager.set(targets)
            self._bump_update(obj)

    @property
    def plan(self) -> Any:
        """The plan being imported (set by the section that creates it, which runs first)."""
        if self.report.plan is None:
            raise RuntimeError("no plan yet: the plans section must be registered first")
        return self.report.plan


def import_plan(data: PlanData) -> ImportReport:
    """Import a plan file already checked by :func:`crimeplan.planfile.validate_file`."""
    report = ImportReport()
    importer = Importer(report)
    with transaction.atomic():
        for section in sections():
            section.import_data(importer, data)
    return report


def plan_to_data(plan: models.Model) -> PlanData:
    data: PlanData = {}
    for section in sections():
        section.export_data(plan, data)
    return data


def export_plan(plan: models.Model) -> str:
    return dump(plan_to_data(plan))


def put(target: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless ``value`` is empty: export leaves empty optional fields out."""
    if value not in ("", None, [], {}):
        target[key] = value
