"""Build a quarterly report's snapshot: every figure, grade and word the report shows.

The snapshot is plain JSON, stored with the report. Templates render only from it (never from
live models), so the HTML and PDF of a version can be made again at any time and say the same;
comparing two versions is comparing two snapshots (:mod:`crimeplan.governance.diff`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch

from crimeplan.delivery.outcome_flags import Flag, delivery_outcome_flags
from crimeplan.governance import delivery_section
from crimeplan.governance.grading import (
    RULE_TEXT,
    ActionEvidence,
    MeasureEvidence,
    grade_priority,
)
from crimeplan.governance.measure_section import judge_measures
from crimeplan.governance.models import Decision
from crimeplan.governance.quarters import Quarter
from crimeplan.governance.sources_section import data_sources
from crimeplan.measures.models import ComputeRun, Measure
from crimeplan.plans.matrix import asset_strand_matrix
from crimeplan.plans.models import Board, Commitment, Plan

SCHEMA = 1
Progress = Callable[[int, str], None]


def build_snapshot(
    board: Board,
    quarter: Quarter,
    *,
    version: int,
    generated_at: datetime,
    generated_by: str,
    today: date | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Everything the report for ``board`` and ``quarter`` shows, as of ``today`` (the day it is
    generated; decisions are overdue against the earlier of it and the quarter's end)."""
    say = progress or (lambda percent, text: None)
    plan: Plan = board.plan
    today = today or generated_at.date()
    as_of = min(today, quarter.end)
    say(5, "Reading the plan")
    priorities = list(
        plan.priorities.prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.order_by("letter"))
        )
    )
    measures = list(
        Measure.objects.filter(plan=plan)
        .prefetch_related(
            "rebases",
            Prefetch("commitments", queryset=Commitment.objects.select_related("priority")),
        )
        .order_by("order", "key")
    )

    def measure_progress(i: int, n: int, text: str) -> None:
        say(10 + int(60 * i / max(n, 1)), text)

    judged, assessments = judge_measures(measures, quarter.last_month, measure_progress)
    say(70, "Gathering delivery")
    delivery = delivery_section.gather(plan, quarter)
    say(80, "Grading priorities")
    priority_rows = []
    for priority in priorities:
        keys = [
            m.key
            for m in measures
            if any(c.priority_id == priority.pk for c in m.commitments.all())
        ]
        commitments = []
        evidence: list[ActionEvidence] = []
        for commitment in priority.commitments.all():
            actions = delivery["by_commitment"].get(f"{priority.number}{commitment.letter}", [])
            evidence.extend(delivery_section.evidence(a) for a in actions)
            commitments.append(
                {
                    "code": f"{priority.number}{commitment.letter}",
                    "text": commitment.text,
                    "measures": [m.key for m in measures if commitment in m.commitments.all()],
                    "actions": actions,
                }
            )
        result = grade_priority(
            [
                MeasureEvidence(
                    judged[k]["title"], judged[k].get("variation"), judged[k].get("assurance")
                )
                for k in keys
            ],
            _unique(evidence),
        )
        priority_rows.append(
            {
                "number": priority.number,
                "title": priority.title,
                "grade": result.grade.value,
                "grade_label": result.grade.label,
                "outcome_grade": result.outcome.value,
                "delivery_grade": result.delivery.value,
                "reasons": list(result.reasons),
                "measures": keys,
                "commitments": commitments,
            }
        )
    say(85, "Listing exceptions")
    decisions = _decisions(board, as_of, quarter.start)
    run = ComputeRun.objects.order_by("-pk").first()
    snapshot: dict[str, Any] = {
        "schema": SCHEMA,
        "title": f"{board.name}: quarterly report, {quarter}",
        "plan": {
            "slug": plan.slug,
            "title": plan.title,
            "author": plan.author or plan.owner.name,
            "owner": plan.owner.name,
            "period": plan.period,
        },
        "board": {
            "slug": board.slug,
            "name": board.name,
            "organisation": board.organisation.name if board.organisation else "",
            "scrutinises": board.scrutinises,
            "cadence": board.cadence,
        },
        "quarter": str(quarter),
        "first_month": quarter.first_month,
        "last_month": quarter.last_month,
        "as_of": as_of.isoformat(),
        "version": version,
        "generated_at": generated_at.isoformat(),
        "generated_by": generated_by,
        "synthetic": bool(run and run.synthetic),
        "grade_rule": list(RULE_TEXT),
        "actions": delivery["actions"],
        "priorities": priority_rows,
        "measures": judged,
        "matrix": _matrix(plan, delivery),
        "decisions": decisions,
        "funding": delivery["funding"],
        "volunteering": delivery["volunteering"],
        "sources": data_sources(measures),
    }
    flags = delivery_outcome_flags(plan, quarter=str(quarter), assessments=assessments)
    snapshot["exceptions"] = exceptions(snapshot, delivery, flags)
    snapshot["figures"] = figures(snapshot)
    say(90, "Snapshot complete")
    return snapshot


def _unique(evidence: list[ActionEvidence]) -> list[ActionEvidence]:
    """An action serving two commitments of one priority counts once in its grade."""
    seen: dict[str, ActionEvidence] = {}
    for item in evidence:
        seen.setdefault(item.reference, item)
    return list(seen.values())


def _decisions(board: Board, as_of: date, since: date) -> list[dict[str, Any]]:
    """Items open on ``as_of`` (carried forward) and items closed since ``since``."""
    rows = []
    for d in Decision.objects.filter(board=board).select_related(
        "meeting", "owner_organisation", "priority", "commitment__priority", "measure"
    ):
        if not d.open_at(as_of) and not (d.closed_on and d.closed_on >= since):
            continue
        rows.append(
            {
                "reference": d.reference,
                "kind": d.get_kind_display(),
                "text": d.text,
                "meeting": d.meeting.date.isoformat(),
                "owner": d.owner,
                "due_date": d.due_date.isoformat() if d.due_date else "",
                "status": d.get_status_display(),
                "open": d.is_open,
                "overdue": d.is_overdue(as_of),
                "concerns": [str(x) for x in d.concerns],
                "note": d.note,
            }
        )
    return rows


def _matrix(plan: Plan, delivery: dict[str, Any]) -> dict[str, Any] | None:
    matrix = asset_strand_matrix(plan)
    if matrix is None:
        return None
    counts = delivery["matrix_counts"]
    return {
        "assets": [
            {"number": a.number, "name": a.name, "lead": a.lead.name if a.lead else ""}
            for a in matrix.assets
        ],
        "strands": [s.name for s in matrix.strands],
        "unnamed": matrix.unnamed,
        "cells": [
            [
                {
                    "role": matrix.role(a, s),
                    "actions": counts.get(f"{a.number}/{s.slug}", 0),
                }
                for s in matrix.strands
            ]
            for a in matrix.assets
        ],
    }


def exceptions(
    snapshot: dict[str, Any], delivery: dict[str, Any], flags: list[Flag]
) -> list[dict[str, str]]:
    """What a board should look at first, each with the kind it is and what it is about."""
    found: list[dict[str, str]] = []
    for key, m in snapshot["measures"].items():
        where = f"{m['title']} ({m['area_name']})"
        if m.get("variation") == "concern":
            found.append(
                {
                    "kind": "Special-cause concern",
                    "subject": where,
                    "text": m["reading"],
                    "key": key,
                }
            )
        if m.get("assurance") == "fail":
            found.append(
                {
                    "kind": "Target will not be met",
                    "subject": where,
                    "text": f"{m['target_label'].capitalize()}: {m['assurance_label'].lower()}.",
                    "key": key,
                }
            )
    found.extend(delivery["exceptions"])
    found.extend(disagreements(flags))
    for d in snapshot["decisions"]:
        if d["overdue"]:
            found.append(
                {
                    "kind": "Decision overdue",
                    "subject": d["reference"],
                    "text": f"{d['text']} (owner {d['owner']}; due {d['due_date']}; "
                    f"{d['status'].lower()}).",
                    "key": d["reference"],
                }
            )
    return found


def disagreements(flags: list[Flag]) -> list[dict[str, str]]:
    """Commitments where delivery and outcomes point different ways: the delivery app's own
    rule (:func:`crimeplan.delivery.outcome_flags.delivery_outcome_flags`, the same one the
    delivery pages show), read as at the report's quarter and on the report's own measure
    assessments. One exception per commitment and action, naming each measure that
    disagrees, in the flags' order (on track but concern first)."""
    grouped: dict[tuple[str, str], list[Flag]] = {}
    for flag in flags:
        grouped.setdefault((flag.commitment.code, flag.action.reference), []).append(flag)
    return [
        {
            "kind": "Delivery and outcomes disagree",
            "subject": f"{code}: {reference}",
            "text": " ".join(f.explanation for f in group),
            "key": f"{code}/{reference}",
        }
        for (code, reference), group in grouped.items()
    ]


def figures(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Every figure the report shows, one row each (the appendix, and what versions compare).

    ``id`` is stable between versions; ``value`` is the number; ``label`` says what it is."""
    rows: list[dict[str, Any]] = []
    for p in snapshot["priorities"]:
        rows.append(
            {
                "id": f"grade/{p['number']}",
                "section": "Grades",
                "label": f"Priority {p['number']}: grade",
                "value": p["grade_label"],
                "places": None,
            }
        )
    for key, m in snapshot["measures"].items():
        if not m["has_data"]:
            continue
        name = f"{m['title']} ({m['area_name']})"
        for field, label in (
            ("latest_value", f"latest value, {m['last_period']}"),
            ("mean", "mean"),
            ("lower_limit", "lower process limit"),
            ("upper_limit", "upper process limit"),
            ("target", "target"),
        ):
            if m.get(field) is not None:
                rows.append(
                    {
                        "id": f"measure/{key}/{field}",
                        "section": "Measures",
                        "label": f"{name}: {label}",
                        "value": m[field],
                        "places": m["places"] if field == "latest_value" else 2,
                    }
                )
        for r in m["rows"]:
            if r["value"] is not None:
                rows.append(
                    {
                        "id": f"series/{key}/{r['period']}",
                        "section": f"Series: {name}",
                        "label": f"{m['title']}, {r['period']}",
                        "value": r["value"],
                        "places": m["places"],
                    }
                )
    matrix = snapshot["matrix"]
    if matrix:
        for asset, cells in zip(matrix["assets"], matrix["cells"], strict=True):
            for strand, cell in zip(matrix["strands"], cells, strict=True):
                rows.append(
                    {
                        "id": f"matrix/{asset['number']}/{strand}",
                        "section": "Assets and strands",
                        "label": f"Actions of asset {asset['number']} for {strand}",
                        "value": cell["actions"],
                        "places": 0,
                    }
                )
    for source in snapshot["sources"]:
        if source["rows"] is not None:
            rows.append(
                {
                    "id": f"source/{source['source']}",
                    "section": "Data sources",
                    "label": f"Rows of {source['source']}",
                    "value": source["rows"],
                    "places": 0,
                }
            )
    for section in ("funding", "volunteering"):
        for row in snapshot[section]["totals"]:
            rows.append(
                {
                    "id": f"{section}/{row['id']}",
                    "section": section.capitalize(),
                    "label": row["label"],
                    "value": row["value"],
                    "places": row.get("places", 0),
                }
            )
    return rows
