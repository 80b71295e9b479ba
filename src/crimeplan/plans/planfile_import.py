"""Putting a validated plan file into the database, all or nothing.

Import makes the stored plan equal to the file: parts are matched by natural key and updated in
place, parts the file no longer has are removed, and a row is only saved when a field really
changed, so importing the same file twice writes nothing and adds nothing to the audit history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from crimeplan.accounts.models import Organisation
from crimeplan.plans.models import (
    Asset,
    Board,
    Commitment,
    EngagementStage,
    Plan,
    Priority,
    Section,
    Strand,
    StrandAsset,
)


@dataclass
class ImportReport:
    plan: Plan | None = None
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def _bump(self, bucket: dict[str, int], model: type[models.Model], n: int = 1) -> None:
        name = model._meta.verbose_name_plural
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


class _Importer:
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

    def prune(self, queryset: models.QuerySet, keep_ids: set[int]) -> None:
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


def import_plan(data: dict[str, Any]) -> ImportReport:
    """Import a plan file already checked by ``planfile_validate``."""
    report = ImportReport()
    with transaction.atomic():
        _import(_Importer(report), data)
    return report


def _import(imp: _Importer, data: dict[str, Any]) -> None:
    organisations: dict[str, Organisation] = {}
    for org in data.get("organisations", []):
        organisations[org["slug"]] = imp.upsert(
            Organisation,
            {"slug": org["slug"]},
            {"name": org["name"], "kind": org["kind"], "description": org.get("description", "")},
        )

    plan = imp.upsert(
        Plan,
        {"slug": data["slug"]},
        {
            "title": data["title"],
            "kind": data["kind"],
            "owner": organisations[data["owner"]],
            "author": data.get("author", ""),
            "period_start": data["period"]["start"],
            "period_end": data["period"]["end"],
            "status": data["status"],
            "vision": data.get("vision", ""),
            "summary": list(data.get("summary", [])),
            "strands_expected": data.get("strands_expected"),
            "force": data.get("force", ""),
        },
    )
    imp.report.plan = plan
    imp.set_links(plan, "partners", list(organisations.values()))

    keep = set()
    for order, section in enumerate(data.get("sections", [])):
        groups = [
            {"heading": g.get("heading", ""), "items": list(g["items"])} for g in section["groups"]
        ]
        keep.add(
            imp.upsert(
                Section,
                {"plan": plan, "key": section["key"]},
                {
                    "title": section["title"],
                    "intro": section.get("intro", ""),
                    "groups": groups,
                    "order": order,
                },
            ).pk
        )
    imp.prune(plan.sections.all(), keep)

    keep = set()
    for order, stage in enumerate(data.get("engagement", [])):
        keep.add(
            imp.upsert(
                EngagementStage,
                {"plan": plan, "order": order},
                {"stage": stage["stage"], "timing": stage["timing"]},
            ).pk
        )
    imp.prune(plan.engagement.all(), keep)

    strands: dict[str, Strand] = {}
    for order, strand in enumerate(data.get("strands", [])):
        strands[strand["slug"]] = imp.upsert(
            Strand,
            {"plan": plan, "slug": strand["slug"]},
            {"name": strand["name"], "description": strand.get("description", ""), "order": order},
        )
    imp.prune(plan.strands.all(), {s.pk for s in strands.values()})

    assets: dict[int, Asset] = {}
    for asset in data.get("assets", []):
        lead = organisations[asset["lead"]] if asset.get("lead") else None
        assets[asset["number"]] = imp.upsert(
            Asset,
            {"plan": plan, "number": asset["number"]},
            {"name": asset["name"], "sector": asset["sector"], "lead": lead},
        )
    imp.prune(plan.assets.all(), {a.pk for a in assets.values()})

    keep = set()
    for strand in data.get("strands", []):
        for role in strand.get("assets", []):
            keep.add(
                imp.upsert(
                    StrandAsset,
                    {
                        "plan": plan,
                        "strand": strands[strand["slug"]],
                        "asset": assets[role["asset"]],
                    },
                    {"role": role["role"]},
                ).pk
            )
    imp.prune(plan.strand_assets.all(), keep)

    keep_priorities, keep_commitments = set(), set()
    for priority_data in data.get("priorities", []):
        priority = imp.upsert(
            Priority,
            {"plan": plan, "number": priority_data["number"]},
            {"title": priority_data["title"], "strapline": priority_data.get("strapline", "")},
        )
        keep_priorities.add(priority.pk)
        for item in priority_data["commitments"]:
            commitment = imp.upsert(
                Commitment,
                {"priority": priority, "letter": item["letter"]},
                {"plan": plan, "text": item["text"]},
            )
            imp.set_links(commitment, "strands", [strands[s] for s in item.get("strands", [])])
            keep_commitments.add(commitment.pk)
    imp.prune(plan.commitments.all(), keep_commitments)
    imp.prune(plan.priorities.all(), keep_priorities)

    boards: dict[str, Board] = {}
    for order, board in enumerate(data.get("boards", [])):
        organisation = organisations[board["organisation"]] if board.get("organisation") else None
        boards[board["slug"]] = imp.upsert(
            Board,
            {"plan": plan, "slug": board["slug"]},
            {
                "name": board["name"],
                "cadence": board.get("cadence", ""),
                "scrutinises": board.get("scrutinises", ""),
                "organisation": organisation,
                "order": order,
            },
        )
        imp.set_links(boards[board["slug"]], "assets", [assets[n] for n in board.get("assets", [])])
    for board in data.get("boards", []):
        target = boards[board["reports_to"]] if board.get("reports_to") else None
        imp.upsert(Board, {"pk": boards[board["slug"]].pk}, {"reports_to": target})
    imp.prune(plan.boards.all(), {b.pk for b in boards.values()})

    from crimeplan.measures.planfile import import_measures

    import_measures(imp, plan, data)
