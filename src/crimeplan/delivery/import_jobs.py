"""Web imports as jobs: the file is kept under ``$CRIMEPLAN_HOME/imports``, previewed, then
applied. Files up to ``INLINE_ROWS`` rows run inside the request; larger ones are queued as a
django-tasks task for ``crimeplan worker``, and the job row carries progress and the result."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django_tasks import task

from crimeplan.core.audit import acting_as
from crimeplan.delivery.models import ImportJob
from crimeplan.delivery.permissions import can_create_action
from crimeplan.delivery.spreadsheet import ImportPlan, apply_import, plan_import, read_rows

INLINE_ROWS = 500
PREVIEW_SHOWN = 200


def imports_dir() -> Path:
    folder = Path(settings.CRIMEPLAN_HOME) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start_job(plan, user, filename: str, data: bytes) -> ImportJob:
    suffix = Path(filename).suffix.lower()
    stored = imports_dir() / f"{uuid.uuid4().hex}{suffix}"
    stored.write_bytes(data)
    try:
        total = sum(1 for _ in read_rows(data, filename))
    except ValueError:
        total = 0  # the preview reports why the file cannot be read
    job = ImportJob.objects.create(
        plan=plan,
        filename=filename[:255],
        stored_as=stored.name,
        created_by=user,
        rows_total=total,
    )
    run(job, apply=False)
    return job


def run(job: ImportJob, apply: bool) -> None:
    """Inline for small files, queued for large ones."""
    job.state = ImportJob.State.APPLYING if apply else ImportJob.State.PREVIEWING
    if job.rows_total > INLINE_ROWS:
        job.state = ImportJob.State.QUEUED
        job.save(update_fields=["state"])
        # Enqueued only once the job row is committed, so the worker never misses it.
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk, apply))
        return
    job.save(update_fields=["state"])
    process(job.pk, apply)


def _plan_for(job: ImportJob) -> ImportPlan:
    data = (imports_dir() / job.stored_as).read_bytes()

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done)

    return plan_import(
        data,
        job.filename,
        default_plan=job.plan,
        may_write=lambda org: can_create_action(job.created_by, org),
        progress=progress,
    )


def process(job_id: int, apply: bool) -> None:
    job = ImportJob.objects.select_related("plan", "created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportJob.State.APPLYING if apply else ImportJob.State.PREVIEWING
    )
    found = _plan_for(job)
    job.preview = {
        "summary": found.summary(),
        "created": len(found.created),
        "changed": len(found.changed),
        "unchanged": found.unchanged,
        "problems": found.problems[:PREVIEW_SHOWN],
        "problem_count": len(found.problems),
        "changes": [
            {"row": c.row, "reference": c.reference, "changed": c.changed, "new": c.before is None}
            for c in (found.created + found.changed)[:PREVIEW_SHOWN]
        ],
    }
    job.rows_done = job.rows_total
    if found.problems:
        job.state = ImportJob.State.FAILED
    elif apply:
        try:
            with acting_as(job.created_by):
                job.result = apply_import(found)
            job.state = ImportJob.State.DONE
        except ValueError as problem:
            job.result = {"error": str(problem)}
            job.state = ImportJob.State.FAILED
    else:
        job.state = ImportJob.State.PREVIEWED
    job.save()


@task()
def run_import_job(job_id: int, apply: bool) -> None:
    process(job_id, apply)
