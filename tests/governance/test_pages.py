"""Board, meeting and report pages; the generate button queues a task; who may do what; the
command line."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from django.test import override_settings

from .conftest import PCP, PRSB

pytestmark = pytest.mark.django_db
BOARD = f"/plans/{PCP}/boards/{PRSB}/"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_board_page_shows_the_log_carried_forward_meetings_and_reports(client, report_q2):
    html = client.get(BOARD).content.decode()
    open_table, closed_table = html.split("Open: carried forward until closed")[1].split(
        "Closed", 1
    )
    assert "PRSB-T-1" in open_table and "PRSB-T-2" not in open_table
    assert "PRSB-T-2" in closed_table
    assert "Overdue" in open_table  # due 2025-05-31, still open today
    assert "Essex Police" in open_table
    # A draft is for partners: the public sees no reports until one is published.
    assert "Read 2025-Q2 version 1" not in html
    assert "Generate report" not in html
    meeting = client.get(BOARD + "meetings/2025-04-24/").content.decode()
    assert "Report on burglary in Basildon." in meeting
    assert client.get(BOARD + "meetings/2025-04-25/").status_code == 404


def test_decisions_show_on_what_they_concern(client, board_data):
    page = client.get(f"/plans/{PCP}/measures/burglary/").content.decode()
    assert "Board decisions and actions" in page and "PRSB-T-1" in page
    commitment = client.get(f"/plans/{PCP}/priorities/1/commitments/d/").content.decode()
    assert "PRSB-T-1" not in commitment


def test_a_meeting_carries_forward_what_was_open_on_its_day(client, board_data):
    from crimeplan.core.audit import acting_as
    from crimeplan.governance.models import Meeting

    with acting_as(label="test"):
        Meeting.objects.create(board=board_data, date=dt.date(2025, 7, 24), title="Q2")
    html = client.get(BOARD + "meetings/2025-07-24/").content.decode()
    carried = html.split("Carried forward")[1]
    assert "PRSB-T-1" in carried and "PRSB-T-2" not in carried  # T-2 closed on 24 April


@override_settings(TASKS=DATABASE_TASKS)
def test_generate_button_queues_a_task_and_the_page_shows_progress(
    client, member, board_data, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from crimeplan.governance.models import Report
    from crimeplan.governance.tasks import generate_report_task

    viewer = member("viewer", username="v")
    client.force_login(viewer)
    assert client.post(BOARD + "reports/generate/", {"quarter": "2025-Q2"}).status_code == 403
    officer = member("scrutiny_officer", username="o")
    client.force_login(officer)
    html = client.get(BOARD).content.decode()
    assert "Generate report" in html
    bad = client.post(BOARD + "reports/generate/", {"quarter": "2025Q2"})
    assert bad.status_code == 400 and "is not a quarter" in bad.content.decode()
    assert not Report.objects.exists()
    with pytest.MonkeyPatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        # The request itself must not render anything: generating inside it would fail here.
        patch.setattr("crimeplan.governance.reports.render_pdf", _refuse)
        response = client.post(BOARD + "reports/generate/", {"quarter": "2025-Q2"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.state, report.version, report.requested_label) == ("queued", 1, "o")
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [report.pk]
    page = client.get(BOARD).content.decode()
    assert re.search(r'<progress id="progress-\d+" max="100" value="0">', page)
    # The worker runs it.
    generate_report_task.call(report.pk)
    report.refresh_from_db()
    assert report.state == "ready" and report.snapshot["generated_by"] == "o"
    page = client.get(BOARD).content.decode()
    assert "Read 2025-Q2 version 1" in page and "Publish" in page
    client.post(report.get_absolute_url() + "publish/")
    report.refresh_from_db()
    assert report.published_by == "o"
    client.logout()
    assert "Read 2025-Q2 version 1" in client.get(BOARD).content.decode()
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.get(report.get_absolute_url() + "report.pdf")["Content-Type"] == "application/pdf"


def _refuse(*args, **kwargs):
    raise AssertionError("the web request rendered a PDF")


def test_drafts_need_a_partner_and_decision_updates_need_an_officer(client, member, report_q2):
    url = report_q2.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client.get(url + "report.pdf").status_code == 404
    client.force_login(member("viewer", username="v"))
    assert client.get(url).status_code == 200
    decision = report_q2.board.decisions.get(reference="PRSB-T-1")
    target = BOARD + f"decisions/{decision.pk}/status/"
    assert client.post(target, {"status": "done", "closed_on": "2025-07-01"}).status_code == 403
    assert client.post(url + "publish/").status_code == 403
    client.force_login(member("scrutiny_officer", username="o"))
    missing = client.post(target, {"status": "done", "closed_on": ""})
    assert missing.status_code == 400 and "Say when the item was closed" in missing.content.decode()
    decision.refresh_from_db()
    assert decision.status == "open"
    assert (
        client.post(
            target, {"status": "done", "closed_on": "2025-07-01", "note": "Reported."}
        ).status_code
        == 302
    )
    decision.refresh_from_db()
    assert (decision.status, decision.closed_on, decision.note) == (
        "done",
        dt.date(2025, 7, 1),
        "Reported.",
    )
    from crimeplan.core.models import AuditEvent

    event = AuditEvent.objects.filter(
        model="governance.Decision", object_id=str(decision.pk)
    ).first()
    assert (
        event.actor == "o" and event.before["status"] == "open" and event.after["status"] == "done"
    )


def test_report_command_writes_pdf_and_html_and_refuses_bad_input(board_data, tmp_path):
    from crimeplan.cli import cli
    from crimeplan.governance.models import Report

    runner = CliRunner()
    ambiguous = runner.invoke(cli, ["report", "quarterly", "--board", PRSB, "--quarter", "2025-Q2"])
    assert ambiguous.exit_code == 1 and "say which with --plan" in ambiguous.output
    bad = runner.invoke(
        cli, ["report", "quarterly", "--board", PRSB, "--plan", PCP, "--quarter", "Q2"]
    )
    assert bad.exit_code == 1 and "'Q2' is not a quarter" in bad.output
    assert runner.invoke(cli, ["report", "quarterly", "--board", PRSB]).exit_code == 2
    assert not Report.objects.exists()
    pdf, html = tmp_path / "q2.pdf", tmp_path / "q2.html"
    result = runner.invoke(
        cli,
        [
            "report",
            "quarterly",
            "--board",
            PRSB,
            "--plan",
            PCP,
            "--quarter",
            "2025-Q2",
            "--pdf",
            str(pdf),
            "--html",
            str(html),
        ],
    )
    assert result.exit_code == 0, result.output
    report = Report.objects.get()
    assert pdf.read_bytes() == bytes(report.pdf) and pdf.read_bytes().startswith(b"%PDF-")
    assert html.read_text(encoding="utf-8") == report.html
    assert f"{report.pages} pages" in result.output


def test_admin_records_meetings_and_lists_reports_read_only(admin_client, report_q2):
    assert admin_client.get("/admin/governance/meeting/add/").status_code == 200
    listing = admin_client.get("/admin/governance/decision/").content.decode()
    assert "PRSB-T-1" in listing and "PRSB-T-2" in listing
    assert admin_client.get("/admin/governance/report/").status_code == 200
    assert admin_client.get("/admin/governance/report/add/").status_code == 403
    change = admin_client.post(f"/admin/governance/report/{report_q2.pk}/change/", {"quarter": "x"})
    assert change.status_code == 403
    report_q2.refresh_from_db()
    assert report_q2.quarter == "2025-Q2"
