"""Generating a report in the background: a django-tasks task (database backend, run by the
project's one worker), so the board page's button never renders a PDF inside the request.

The version row is created (queued) by the request and the task fills it; the row's
``state``/``progress`` are what the board page shows, whichever backend runs the task.
"""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from crimeplan.core.audit import acting_as
from crimeplan.governance.models import Report


@task()
def generate_report_task(report_id: int) -> int:
    from crimeplan.governance.reports import generate

    report = Report.objects.select_related("board__plan", "requested_by").get(pk=report_id)
    if report.state == Report.State.READY:
        return report.pk  # run twice (a retried task): the stored version stands
    with acting_as(report.requested_by, label=report.requested_label or None):
        generate(report)
    return report.pk


def enqueue_generation(report: Report) -> None:
    """Queue the work once the request's transaction commits (the worker must see the row)."""
    transaction.on_commit(lambda: generate_report_task.enqueue(report.pk))
