"""Board pages: meetings, the decisions and actions log, and the quarterly reports.

Generating a report runs as a background task (:mod:`crimeplan.governance.tasks`); the web
request only queues it and the board page shows its progress, so no request waits on a PDF.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_POST

from crimeplan.governance.diff import compare, summary
from crimeplan.governance.forms import CompareForm, DecisionStatusForm, GenerateForm
from crimeplan.governance.models import Report, board_url
from crimeplan.governance.permissions import can_read_report, can_run_board
from crimeplan.governance.quarters import Quarter
from crimeplan.governance.render import render_html
from crimeplan.governance.reports import create_version, publish, status_line
from crimeplan.governance.tasks import enqueue_generation
from crimeplan.plans.models import Board
from crimeplan.plans.permissions import plan_or_404


def _board(request: HttpRequest, slug: str, board_slug: str) -> Board:
    plan = plan_or_404(request, slug)
    board = get_object_or_404(
        Board.objects.select_related("organisation", "reports_to"), plan=plan, slug=board_slug
    )
    board.plan = plan
    return board


def board_detail(request: HttpRequest, slug: str, board_slug: str) -> HttpResponse:
    board = _board(request, slug, board_slug)
    today = timezone.localdate()
    decisions = list(
        board.decisions.select_related(
            "meeting", "owner_organisation", "priority", "commitment__priority", "measure"
        )
    )
    reports = list(board.reports.defer("snapshot", "html", "pdf"))
    readable = [r for r in reports if can_read_report(request.user, r)]
    comparison = None
    form = CompareForm(request.GET or None)
    if request.GET and form.is_valid():
        by_pk = {r.pk: r for r in readable if r.state == Report.State.READY}
        before, after = (
            by_pk.get(form.cleaned_data["before"]),
            by_pk.get(form.cleaned_data["after"]),
        )
        if before is None or after is None:
            form.add_error(None, "Choose two ready versions of this board's reports.")
        else:
            snapshots = dict(
                Report.objects.filter(pk__in=[before.pk, after.pk]).values_list("pk", "snapshot")
            )
            changes = compare(snapshots[before.pk], snapshots[after.pk])
            comparison = {
                "before": before,
                "after": after,
                "changes": changes,
                "summary": summary(changes),
            }
    context = {
        "plan": board.plan,
        "board": board,
        "meetings": list(
            board.meetings.order_by("-date").prefetch_related("attendance__organisation")
        ),
        "open_decisions": [d for d in decisions if d.is_open],
        "closed_decisions": [d for d in decisions if not d.is_open],
        "today": today,
        "reports": readable,
        "ready": [r for r in readable if r.state == Report.State.READY],
        "comparison": comparison,
        "compare_form": form,
        "generate_form": GenerateForm(
            initial={"quarter": str(Quarter.containing(today).previous())}
        ),
        "can_run": can_run_board(request.user, board),
    }
    return render(request, "governance/board_detail.html", context)


def meeting_detail(request: HttpRequest, slug: str, board_slug: str, day: str) -> HttpResponse:
    board = _board(request, slug, board_slug)
    meeting = get_object_or_404(board.meetings, date=day)
    meeting.board = board
    earlier = board.decisions.filter(meeting__date__lt=meeting.date).select_related(
        "meeting", "owner_organisation"
    )
    carried = [d for d in earlier if d.open_at(meeting.date)]
    context = {
        "plan": board.plan,
        "board": board,
        "meeting": meeting,
        "attendance": meeting.attendance.select_related("organisation"),
        "agenda": meeting.agenda_items.select_related(
            "priority", "commitment__priority", "measure"
        ),
        "decisions": meeting.decisions.select_related("owner_organisation"),
        "carried": carried,
    }
    return render(request, "governance/meeting_detail.html", context)


def _report(request: HttpRequest, slug: str, board_slug: str, quarter: str, version: int) -> Report:
    board = _board(request, slug, board_slug)
    report = get_object_or_404(board.reports, quarter=quarter, version=version)
    report.board = board
    if not can_read_report(request.user, report):
        if not request.user.is_authenticated:
            raise Http404("No report here, or you need to sign in to see it.")
        raise PermissionDenied("This report is not published yet.")
    if report.state != Report.State.READY:
        raise Http404("This version is not ready yet.")
    return report


def report_view(
    request: HttpRequest, slug: str, board_slug: str, quarter: str, version: int
) -> HttpResponse:
    """The report as a web page: rendered from its snapshot by the PDF's own template."""
    report = _report(request, slug, board_slug, quarter, version)
    html = render_html(
        report.snapshot,
        status_line(report.snapshot),
        css_href=static("governance/report.css"),
        web={
            "board_url": board_url(report.board),
            "pdf_url": report.get_absolute_url() + "report.pdf",
        },
    )
    return HttpResponse(html)


def report_pdf(
    request: HttpRequest, slug: str, board_slug: str, quarter: str, version: int
) -> HttpResponse:
    """The PDF exactly as stored when the version was generated."""
    report = _report(request, slug, board_slug, quarter, version)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    name = f"{report.board.slug}-{report.quarter}-v{report.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _require_runner(request: HttpRequest, board: Board) -> None:
    if not can_run_board(request.user, board):
        raise PermissionDenied(
            "Only scrutiny officers and administrators of the plan's owner or the board's "
            "organisation can do this."
        )


@login_required
@require_POST
def report_generate(request: HttpRequest, slug: str, board_slug: str) -> HttpResponse:
    board = _board(request, slug, board_slug)
    _require_runner(request, board)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "governance/generate_error.html",
            {"plan": board.plan, "board": board, "form": form},
            status=400,
        )
    report = create_version(board, Quarter.parse(form.cleaned_data["quarter"]), request.user)
    enqueue_generation(report)
    return redirect(board_url(board) + f"?started={report.pk}#reports")


@login_required
@require_POST
def report_publish(
    request: HttpRequest, slug: str, board_slug: str, quarter: str, version: int
) -> HttpResponse:
    report = _report(request, slug, board_slug, quarter, version)
    _require_runner(request, report.board)
    publish(report, request.user)
    return redirect(board_url(report.board) + "#reports")


@login_required
@require_POST
def decision_status(request: HttpRequest, slug: str, board_slug: str, pk: int) -> HttpResponse:
    board = _board(request, slug, board_slug)
    _require_runner(request, board)
    decision = get_object_or_404(board.decisions, pk=pk)
    form = DecisionStatusForm(request.POST, instance=decision)
    if form.is_valid():
        form.save()
        return redirect(board_url(board) + f"#decision-{decision.reference}")
    return render(
        request,
        "governance/decision_edit.html",
        {"plan": board.plan, "board": board, "decision": decision, "form": form},
        status=400,
    )
