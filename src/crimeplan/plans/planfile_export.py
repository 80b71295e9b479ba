"""Writing a stored plan back out as a plan file.

The output is canonical (fixed key order, optional fields left out when empty) so that export,
import and export again give the same bytes, and a plan file under version control only shows
real changes in its diffs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from crimeplan.plans.models import Plan, StrandAsset
from crimeplan.plans.planfile_yaml import dump

SCHEMA_ID = "crimeplan/plan/1"


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value not in ("", None, [], {}):
        target[key] = value


def plan_to_data(plan: Plan) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "slug": plan.slug,
        "title": plan.title,
        "kind": plan.kind,
        "owner": plan.owner.slug,
    }
    _put(data, "author", plan.author)
    _put(data, "force", plan.force)
    data["period"] = {"start": plan.period_start, "end": plan.period_end}
    data["status"] = plan.status
    _put(data, "vision", plan.vision)
    _put(data, "summary", list(plan.summary or []))

    organisations = []
    for org in plan.partners.order_by("slug"):
        entry = {"slug": org.slug, "name": org.name, "kind": org.kind}
        _put(entry, "description", org.description)
        organisations.append(entry)
    _put(data, "organisations", organisations)

    sections = []
    for section in plan.sections.order_by("order"):
        entry: dict[str, Any] = {"key": section.key, "title": section.title}
        _put(entry, "intro", section.intro)
        groups = []
        for group in section.groups:
            g: dict[str, Any] = {}
            _put(g, "heading", group.get("heading", ""))
            g["items"] = list(group["items"])
            groups.append(g)
        entry["groups"] = groups
        sections.append(entry)
    _put(data, "sections", sections)
    _put(
        data,
        "engagement",
        [{"stage": s.stage, "timing": s.timing} for s in plan.engagement.order_by("order")],
    )

    priorities = []
    for priority in plan.priorities.order_by("number").prefetch_related("commitments__strands"):
        entry = {"number": priority.number, "title": priority.title}
        _put(entry, "strapline", priority.strapline)
        commitments = []
        for commitment in sorted(priority.commitments.all(), key=lambda c: c.letter):
            c: dict[str, Any] = {"letter": commitment.letter, "text": commitment.text}
            _put(c, "strands", sorted(s.slug for s in commitment.strands.all()))
            commitments.append(c)
        entry["commitments"] = commitments
        priorities.append(entry)
    _put(data, "priorities", priorities)

    _put(data, "strands_expected", plan.strands_expected)
    strands = []
    roles = StrandAsset.objects.select_related("asset").order_by("asset__number")
    for strand in plan.strands.order_by("order", "name").prefetch_related(
        Prefetch("asset_roles", queryset=roles)
    ):
        entry = {"slug": strand.slug, "name": strand.name}
        _put(entry, "description", strand.description)
        _put(
            entry,
            "assets",
            [{"asset": r.asset.number, "role": r.role} for r in strand.asset_roles.all()],
        )
        strands.append(entry)
    _put(data, "strands", strands)

    assets = []
    for asset in plan.assets.order_by("number").select_related("lead"):
        entry = {"number": asset.number, "name": asset.name, "sector": asset.sector}
        _put(entry, "lead", asset.lead.slug if asset.lead else "")
        assets.append(entry)
    _put(data, "assets", assets)

    boards = []
    for board in (
        plan.boards.order_by("order")
        .select_related("organisation", "reports_to")
        .prefetch_related("assets")
    ):
        entry = {"slug": board.slug, "name": board.name}
        _put(entry, "cadence", board.cadence)
        _put(entry, "scrutinises", board.scrutinises)
        _put(entry, "organisation", board.organisation.slug if board.organisation else "")
        _put(entry, "assets", sorted(a.number for a in board.assets.all()))
        _put(entry, "reports_to", board.reports_to.slug if board.reports_to else "")
        boards.append(entry)
    _put(data, "boards", boards)

    from crimeplan.measures.planfile import export_measures

    _put(data, "measures", export_measures(plan))
    return data


def export_plan(plan: Plan) -> str:
    return dump(plan_to_data(plan))
