"""Spreadsheet export and import on the web: download, upload, preview what will change, apply.
Large files run on the background worker; their page refreshes itself until the job is done."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from crimeplan.core.downloads import FORMATS
from crimeplan.delivery import permissions as perms
from crimeplan.delivery.import_jobs import run, start_job
from crimeplan.delivery.models import ImportJob
from crimeplan.delivery.spreadsheet import export_actions
from crimeplan.delivery.views_overview import _plan_for_partner

MAX_UPLOAD = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label="Spreadsheet (.xlsx or .csv)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Choose a .xlsx or .csv file.")
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file is larger than 20 MB.")
        return upload


@login_required
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    plan = _plan_for_partner(request, slug)
    data = export_actions(plan, fmt)
    response = HttpResponse(data, content_type=FORMATS[fmt][0])
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-actions.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_for_partner(request, slug)
    if not perms.writer_organisations(request.user):
        raise PermissionDenied("Only contributors, leads and administrators import actions.")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = start_job(plan, request.user, upload.name, upload.read())
        return redirect("delivery:import_job", job.pk)
    return render(request, "delivery/import_upload.html", {"plan": plan, "form": form})


def _job_for(request: HttpRequest, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("plan"), pk=pk)
    if job.created_by_id != request.user.pk and not perms.is_superuser(request.user):
        raise PermissionDenied("This import belongs to someone else.")
    return job


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    running = job.state in (
        ImportJob.State.QUEUED,
        ImportJob.State.PREVIEWING,
        ImportJob.State.APPLYING,
    )
    return render(
        request, "delivery/import_job.html", {"job": job, "running": running, "plan": job.plan}
    )


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    if job.state != ImportJob.State.PREVIEWED:
        raise PermissionDenied("Only a previewed import without problems can be applied.")
    run(job, apply=True)
    return redirect("delivery:import_job", job.pk)
