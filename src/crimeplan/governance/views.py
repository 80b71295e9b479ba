"""Board pages: meetings, the decisions and actions log, and the quarterly reports.

Generating a report runs as a background task (:mod:`crimeplan.governance.tasks`); the web
request only queues it and the board page shows its progress, so no request waits on a PDF.

A board secretary keeps the record here too (meetings, attendance, agenda items, decisions and
their status): every write is checked with :func:`can_run_board` on the server, audited by the
models' own audit trail (the middleware names the signed-in user), and confirmed by a success
banner on the page it leads to. Decisions are closed, never deleted; a meeting is deleted only
while no decision cites it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from crimeplan.governance.diff import compare, summary
from crimeplan.governance.forms import (
    CONCERNS,
    AgendaItemForm,
    CompareForm,
    DecisionForm,
    DecisionStatusForm,
    GenerateForm,
    MeetingForm,
)
from crimeplan.governance.models import AgendaItem, Decision, Meeting, Report, board_url
from crimeplan.governance.permissions import can_read_report, can_run_board
from crimeplan.governance.quarters import Quarter
from crimeplan.governance.recording import next_reference
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


def _meeting(board: Board, day: str) -> Meeting:
    """The board's meeting on ``day`` (YYYY-MM-DD); anything else is a 404, not an error."""
    try:
        when = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404("No meeting on that day.") from None
    meeting = get_object_or_404(board.meetings, date=when)
    meeting.board = board
    return meeting


def meeting_detail(request: HttpRequest, slug: str, board_slug: str, day: str) -> HttpResponse:
    board = _board(request, slug, board_slug)
    meeting = _meeting(board, day)
    earlier = board.decisions.filter(meeting__date__lt=meeting.date).select_related(
        "meeting", "owner_organisation"
    )
    carried = [d for d in earlier if d.open_at(meeting.date)]
    decisions = list(meeting.decisions.select_related("owner_organisation"))
    context = {
        "plan": board.plan,
        "board": board,
        "meeting": meeting,
        "attendance": meeting.attendance.select_related("organisation"),
        "agenda": meeting.agenda_items.select_related(
            "priority", "commitment__priority", "measure", "action"
        ),
        "decisions": decisions,
        "carried": carried,
        "can_run": can_run_board(request.user, board),
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


def _runner_board(request: HttpRequest, slug: str, board_slug: str) -> Board:
    board = _board(request, slug, board_slug)
    _require_runner(request, board)
    return board


def _day(value: dt.date) -> str:
    return f"{value:%-d %B %Y}"


def _record_form(
    request: HttpRequest,
    board: Board,
    form: object,
    heading: str,
    submit: str,
    cancel: str,
    meeting: Meeting | None = None,
) -> HttpResponse:
    """A record form page; after a rejected POST it answers 400 with the error summary. The
    meeting's breadcrumb is its stored date (a rejected form may have changed the instance's)."""
    crumb = None
    if meeting is not None:
        stored = Meeting.objects.get(pk=meeting.pk)
        stored.board = board
        crumb = {"text": _day(stored.date), "href": stored.get_absolute_url()}
    context = {
        "plan": board.plan,
        "board": board,
        "crumb": crumb,
        "form": form,
        "heading": heading,
        "submit": submit,
        "cancel": cancel,
        "concerns": CONCERNS,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/record_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest, slug: str, board_slug: str) -> HttpResponse:
    board = _runner_board(request, slug, board_slug)
    form = MeetingForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, f"The meeting of {_day(meeting.date)} was added.")
        return redirect(meeting.get_absolute_url())
    return _record_form(request, board, form, "Add a meeting", "Add the meeting", board_url(board))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, slug: str, board_slug: str, day: str) -> HttpResponse:
    board = _runner_board(request, slug, board_slug)
    meeting = _meeting(board, day)
    heading, back = f"Change the meeting of {_day(meeting.date)}", meeting.get_absolute_url()
    form = MeetingForm(request.POST or None, instance=meeting, board=board)
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, f"The meeting of {_day(meeting.date)} was saved.")
        return redirect(meeting.get_absolute_url())
    return _record_form(request, board, form, heading, "Save the meeting", back, meeting)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, slug: str, board_slug: str, day: str) -> HttpResponse:
    """Delete a meeting (its attendance and agenda go with it) after asking; refused while a
    decision cites it, since the log must keep the meeting that set each item."""
    board = _runner_board(request, slug, board_slug)
    meeting = _meeting(board, day)
    decisions = meeting.decisions.count()
    if request.method == "POST" and not decisions:
        when = _day(meeting.date)
        meeting.delete()
        messages.success(request, f"The meeting of {when} was deleted.")
        return redirect(board_url(board))
    context = {
        "plan": board.plan,
        "board": board,
        "meeting": meeting,
        "decisions": decisions,
        "agenda": meeting.agenda_items.count(),
    }
    status = 409 if request.method == "POST" else 200
    return render(request, "governance/meeting_delete.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_add(request: HttpRequest, slug: str, board_slug: str, day: str) -> HttpResponse:
    board = _runner_board(request, slug, board_slug)
    meeting = _meeting(board, day)
    form = AgendaItemForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        item = form.save()
        messages.success(request, f"Agenda item {item.order}, {item.title}, was added.")
        return redirect(meeting.get_absolute_url())
    heading = f"Add an agenda item to the meeting of {_day(meeting.date)}"
    return _record_form(
        request, board, form, heading, "Add the item", meeting.get_absolute_url(), meeting
    )


def _agenda_item(meeting: Meeting, pk: int) -> AgendaItem:
    item = get_object_or_404(meeting.agenda_items, pk=pk)
    item.meeting = meeting
    return item


@login_required
@require_http_methods(["GET", "POST"])
def agenda_edit(
    request: HttpRequest, slug: str, board_slug: str, day: str, pk: int
) -> HttpResponse:
    board = _runner_board(request, slug, board_slug)
    meeting = _meeting(board, day)
    item = _agenda_item(meeting, pk)
    form = AgendaItemForm(request.POST or None, instance=item, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        item = form.save()
        messages.success(request, f"Agenda item {item.order}, {item.title}, was saved.")
        return redirect(meeting.get_absolute_url())
    heading = f"Change agenda item {item.order}"
    return _record_form(
        request, board, form, heading, "Save the item", meeting.get_absolute_url(), meeting
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_delete(
    request: HttpRequest, slug: str, board_slug: str, day: str, pk: int
) -> HttpResponse:
    board = _runner_board(request, slug, board_slug)
    meeting = _meeting(board, day)
    item = _agenda_item(meeting, pk)
    if request.method == "POST":
        label = f"Agenda item {item.order}, {item.title},"
        item.delete()
        messages.success(request, f"{label} was removed.")
        return redirect(meeting.get_absolute_url())
    context = {"plan": board.plan, "board": board, "meeting": meeting, "item": item}
    return render(request, "governance/agenda_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, slug: str, board_slug: str, day: str) -> HttpResponse:
    board = _runner_board(request, slug, board_slug)
    meeting = _meeting(board, day)
    initial = {"reference": next_reference(meeting), "status": Decision.Status.OPEN}
    form = DecisionForm(request.POST or None, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        decision = form.save()
        kind = decision.get_kind_display()
        messages.success(request, f"{kind} {decision.reference} was recorded.")
        return redirect(meeting.get_absolute_url())
    heading = f"Record a decision or action of the meeting of {_day(meeting.date)}"
    return _record_form(
        request, board, form, heading, "Record it", meeting.get_absolute_url(), meeting
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, slug: str, board_slug: str, pk: int) -> HttpResponse:
    """Change what a recorded decision says, who owns it, when it is due and what it is about
    (and its status); the meeting that set it stays."""
    board = _runner_board(request, slug, board_slug)
    decision = get_object_or_404(board.decisions.select_related("meeting"), pk=pk)
    meeting = decision.meeting
    meeting.board = board
    heading = f"Change {decision.reference}"
    form = DecisionForm(request.POST or None, instance=decision, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        decision = form.save()
        messages.success(request, f"{decision.reference} was saved.")
        return redirect(meeting.get_absolute_url())
    return _record_form(request, board, form, heading, "Save", meeting.get_absolute_url(), meeting)


@login_required
@require_http_methods(["GET", "POST"])
def decision_status(request: HttpRequest, slug: str, board_slug: str, pk: int) -> HttpResponse:
    """Update a decision's status and progress note; closing it (done or withdrawn) needs the
    day it closed. It stays in the log, under Closed."""
    board = _runner_board(request, slug, board_slug)
    decision = get_object_or_404(board.decisions.select_related("meeting"), pk=pk)
    decision.board = board
    form = DecisionStatusForm(request.POST or None, instance=decision)
    if request.method == "POST" and form.is_valid():
        decision = form.save()
        closed = f", closed on {_day(decision.closed_on)}" if decision.closed_on else ""
        messages.success(
            request, f"{decision.reference} is now {decision.get_status_display()}{closed}."
        )
        return redirect(board_url(board))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "governance/decision_edit.html",
        {"plan": board.plan, "board": board, "decision": decision, "form": form},
        status=status,
    )
