"""The ``plans`` section of a plan file: the plan, its organisations, text, priorities and
commitments, strands, assets and boards.

It runs first (``plans`` comes first among the installed apps), since it creates the plan the
other sections hang their rows on.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crimeplan.crimedata.districts import forces
from crimeplan.planfile import (
    SCHEMA_ID,
    Importer,
    LoadedFile,
    PathKey,
    PlanData,
    Problem,
    SchemaPart,
    duplicates,
    put,
)

if TYPE_CHECKING:
    from crimeplan.plans.models import Plan

SCHEMA_PART = Path(__file__).with_name("planfile.schema.json")


@cache
def _schema() -> SchemaPart:
    part: SchemaPart = json.loads(SCHEMA_PART.read_text(encoding="utf-8"))
    return part


def _problems(loaded: LoadedFile) -> list[Problem]:
    data = loaded.data
    problems: list[Problem] = []
    get = lambda name: [x for x in data.get(name) or [] if isinstance(x, dict)]  # noqa: E731

    def ref(path: PathKey, value: Any, known: set, what: str) -> None:
        if value not in known:
            problems.append(loaded.problem(path, f"unknown {what} {value!r}"))

    if isinstance(data.get("force"), str):
        ref(("force",), data["force"], set(forces()), "police.uk force")
    organisations = {o.get("slug") for o in get("organisations")}
    strands = {s.get("slug") for s in get("strands")}
    assets = {a.get("number") for a in get("assets")}
    boards = {b.get("slug") for b in get("boards")}

    problems += duplicates(loaded, get("organisations"), "slug", ("organisations",), "organisation")
    problems += duplicates(loaded, get("sections"), "key", ("sections",), "section key")
    problems += duplicates(loaded, get("priorities"), "number", ("priorities",), "priority number")
    problems += duplicates(loaded, get("strands"), "slug", ("strands",), "strand")
    problems += duplicates(loaded, get("assets"), "number", ("assets",), "asset number")
    problems += duplicates(loaded, get("boards"), "slug", ("boards",), "board")

    if "owner" in data:
        ref(("owner",), data["owner"], organisations, "organisation (list it under organisations)")
    period = data.get("period")
    if isinstance(period, dict) and isinstance(period.get("start"), int):
        if isinstance(period.get("end"), int) and period["end"] < period["start"]:
            problems.append(loaded.problem(("period", "end"), "ends before it starts"))
    for p_index, priority in enumerate(data.get("priorities") or []):
        if not isinstance(priority, dict):
            continue
        base: PathKey = ("priorities", p_index, "commitments")
        commitments = [c for c in priority.get("commitments") or [] if isinstance(c, dict)]
        problems += duplicates(loaded, commitments, "letter", base, "commitment letter")
        for c_index, commitment in enumerate(priority.get("commitments") or []):
            if not isinstance(commitment, dict):
                continue
            for s_index, slug in enumerate(commitment.get("strands") or []):
                ref((*base, c_index, "strands", s_index), slug, strands, "strand")
    expected = data.get("strands_expected")
    if isinstance(expected, int) and len(strands) > expected:
        message = f"{len(strands)} strands are named but only {expected} are expected"
        problems.append(loaded.problem(("strands_expected",), message))
    for s_index, strand in enumerate(data.get("strands") or []):
        if isinstance(strand, dict):
            for a_index, role in enumerate(strand.get("assets") or []):
                if isinstance(role, dict) and "asset" in role:
                    path = ("strands", s_index, "assets", a_index, "asset")
                    ref(path, role["asset"], assets, "asset")
    for a_index, asset in enumerate(data.get("assets") or []):
        if isinstance(asset, dict) and "lead" in asset:
            ref(("assets", a_index, "lead"), asset["lead"], organisations, "organisation")
    for b_index, board in enumerate(data.get("boards") or []):
        if not isinstance(board, dict):
            continue
        if "organisation" in board:
            ref(
                ("boards", b_index, "organisation"),
                board["organisation"],
                organisations,
                "organisation",
            )
        for n_index, number in enumerate(board.get("assets") or []):
            ref(("boards", b_index, "assets", n_index), number, assets, "asset")
        if "reports_to" in board:
            ref(("boards", b_index, "reports_to"), board["reports_to"], boards, "board")
    return problems


def _import(imp: Importer, data: PlanData) -> None:
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


def _export(plan: Plan, data: PlanData) -> None:
    from django.db.models import Prefetch

    from crimeplan.plans.models import StrandAsset

    data.update(
        {
            "schema": SCHEMA_ID,
            "slug": plan.slug,
            "title": plan.title,
            "kind": plan.kind,
            "owner": plan.owner.slug,
        }
    )
    put(data, "author", plan.author)
    put(data, "force", plan.force)
    data["period"] = {"start": plan.period_start, "end": plan.period_end}
    data["status"] = plan.status
    put(data, "vision", plan.vision)
    put(data, "summary", list(plan.summary or []))

    organisations = []
    for org in plan.partners.order_by("slug"):
        entry = {"slug": org.slug, "name": org.name, "kind": org.kind}
        put(entry, "description", org.description)
        organisations.append(entry)
    put(data, "organisations", organisations)

    sections = []
    for section in plan.sections.order_by("order"):
        entry: dict[str, Any] = {"key": section.key, "title": section.title}
        put(entry, "intro", section.intro)
        groups = []
        for group in section.groups:
            g: dict[str, Any] = {}
            put(g, "heading", group.get("heading", ""))
            g["items"] = list(group["items"])
            groups.append(g)
        entry["groups"] = groups
        sections.append(entry)
    put(data, "sections", sections)
    put(
        data,
        "engagement",
        [{"stage": s.stage, "timing": s.timing} for s in plan.engagement.order_by("order")],
    )

    priorities = []
    for priority in plan.priorities.order_by("number").prefetch_related("commitments__strands"):
        entry = {"number": priority.number, "title": priority.title}
        put(entry, "strapline", priority.strapline)
        commitments = []
        for commitment in sorted(priority.commitments.all(), key=lambda c: c.letter):
            c: dict[str, Any] = {"letter": commitment.letter, "text": commitment.text}
            put(c, "strands", sorted(s.slug for s in commitment.strands.all()))
            commitments.append(c)
        entry["commitments"] = commitments
        priorities.append(entry)
    put(data, "priorities", priorities)

    put(data, "strands_expected", plan.strands_expected)
    strands = []
    roles = StrandAsset.objects.select_related("asset").order_by("asset__number")
    for strand in plan.strands.order_by("order", "name").prefetch_related(
        Prefetch("asset_roles", queryset=roles)
    ):
        entry = {"slug": strand.slug, "name": strand.name}
        put(entry, "description", strand.description)
        put(
            entry,
            "assets",
            [{"asset": r.asset.number, "role": r.role} for r in strand.asset_roles.all()],
        )
        strands.append(entry)
    put(data, "strands", strands)

    assets = []
    for asset in plan.assets.order_by("number").select_related("lead"):
        entry = {"number": asset.number, "name": asset.name, "sector": asset.sector}
        put(entry, "lead", asset.lead.slug if asset.lead else "")
        assets.append(entry)
    put(data, "assets", assets)

    boards = []
    for board in (
        plan.boards.order_by("order")
        .select_related("organisation", "reports_to")
        .prefetch_related("assets")
    ):
        entry = {"slug": board.slug, "name": board.name}
        put(entry, "cadence", board.cadence)
        put(entry, "scrutinises", board.scrutinises)
        put(entry, "organisation", board.organisation.slug if board.organisation else "")
        put(entry, "assets", sorted(a.number for a in board.assets.all()))
        put(entry, "reports_to", board.reports_to.slug if board.reports_to else "")
        boards.append(entry)
    put(data, "boards", boards)


class PlansSection:
    name = "plans"
    includable: tuple[str, ...] = ()

    def schema(self) -> SchemaPart:
        return _schema()

    def problems(self, loaded: LoadedFile) -> list[Problem]:
        return _problems(loaded)

    def import_data(self, importer: Importer, data: PlanData) -> None:
        _import(importer, data)

    def export_data(self, plan: Any, out: PlanData) -> None:
        _export(plan, out)


SECTION = PlansSection()
