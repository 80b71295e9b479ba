"""Generating a report in the background (django-tasks, database backend)."""

from __future__ import annotations

from crimeplan.governance.models import Report


def enqueue_generation(report: Report) -> None:
    from crimeplan.governance.reports import generate

    generate(report)  # replaced by the task runner when it lands
