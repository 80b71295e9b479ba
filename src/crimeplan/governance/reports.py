"""Making, storing and publishing report versions: what the CLI command and the task call.

A version is created first (queued), then generated: snapshot, HTML and PDF are made and stored
in one save. Progress is written as it goes (with an update that bypasses the audit trail:
progress is not a change anyone makes), so the board page can show it while a task runs.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from crimeplan.core.audit import current_actor
from crimeplan.governance.models import Report
from crimeplan.governance.quarters import Quarter
from crimeplan.governance.render import render_html, render_pdf
from crimeplan.governance.snapshot import build_snapshot
from crimeplan.plans.models import Board, Plan


def create_version(board: Board, quarter: Quarter, user: Any = None) -> Report:
    """A new queued version, numbered after the board's last for the quarter."""
    label = user.get_username() if user is not None else current_actor()[1]
    for _attempt in range(5):
        latest = Report.objects.filter(board=board, quarter=str(quarter)).aggregate(
            v=Max("version")
        )["v"]
        try:
            with transaction.atomic():
                return Report.objects.create(
                    board=board,
                    quarter=str(quarter),
                    version=(latest or 0) + 1,
                    requested_by=user,
                    requested_label=label,
                )
        except IntegrityError:
            continue  # another version was created at the same moment: take the next number
    raise RuntimeError(f"could not number a new version of {board} {quarter}")


def status_line(snapshot: dict[str, Any]) -> str:
    return f"Version {snapshot['version']}, generated {snapshot['generated_at'][:10]}"


def generate(report: Report, today: date | None = None) -> Report:
    """Fill a queued version: snapshot, HTML and PDF, stored together."""

    def progress(percent: int, text: str) -> None:
        Report.objects.filter(pk=report.pk).update(
            state=Report.State.RUNNING, progress=percent, progress_text=text[:200]
        )

    progress(1, "Starting")
    try:
        generated_at = timezone.now().replace(microsecond=0)
        snapshot = build_snapshot(
            report.board,
            Quarter.parse(report.quarter),
            version=report.version,
            generated_at=generated_at,
            generated_by=report.requested_label,
            today=today,
            progress=progress,
        )
        html = render_html(snapshot, status_line(snapshot))
        progress(92, "Rendering the PDF")
        pdf = render_pdf(html)
    except Exception as exc:
        Report.objects.filter(pk=report.pk).update(
            state=Report.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    report.refresh_from_db()
    report.snapshot = snapshot
    report.html = html
    report.pdf = pdf.data
    report.pdf_sha256 = hashlib.sha256(pdf.data).hexdigest()
    report.pages = pdf.pages
    report.generated_at = generated_at
    report.state = Report.State.READY
    report.progress = 100
    report.progress_text = "Ready"
    report.save()
    return report


def generate_report(
    board: Board, quarter: Quarter, user: Any = None, today: date | None = None
) -> Report:
    return generate(create_version(board, quarter, user), today=today)


def publish(report: Report, user: Any = None) -> Report:
    if report.state != Report.State.READY:
        raise ValueError(f"{report} is not ready to publish ({report.get_state_display()})")
    if report.published:
        return report
    report.published_at = timezone.now()
    report.published_by = user.get_username() if user is not None else current_actor()[1]
    # The save guard lets a draft become published once (audited, like any change); after
    # that nothing about the version may change.
    report.save()
    return report


def find_board(slug: str, plan_slug: str | None = None) -> Board:
    """The board a command names; a slug two plans share needs the plan too."""
    boards = list(Board.objects.filter(slug=slug).select_related("plan"))
    if plan_slug:
        boards = [b for b in boards if b.plan.slug == plan_slug]
    if not boards:
        where = f" in plan {plan_slug!r}" if plan_slug else ""
        raise ValueError(f"no board {slug!r}{where}; the plan files declare boards under 'boards'")
    if len(boards) > 1:
        plans = ", ".join(sorted(b.plan.slug for b in boards))
        raise ValueError(
            f"board {slug!r} is in more than one plan ({plans}); say which with --plan"
        )
    return boards[0]


def latest_published_report(plan: Plan) -> Report | None:
    """The newest published report of any of the plan's boards: what the public site shows,
    so a draft or a version still being generated never reaches it."""
    return (
        Report.objects.filter(board__plan=plan, published_at__isnull=False)
        .select_related("board")
        .order_by("-quarter", "-published_at")
        .first()
    )
