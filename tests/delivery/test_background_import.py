"""A large web import runs on the worker: queued, processed by ``crimeplan worker --batch``
(django-tasks' database backend), with the preview and then the result on the job's page."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crimeplan.cli import cli
from crimeplan.delivery import import_jobs
from crimeplan.delivery.models import Action, ImportJob

# Committed data: the worker closes and reopens its database connection between tasks, as
# the separate process it normally is, so the test cannot sit inside one open transaction.
pytestmark = pytest.mark.django_db(transaction=True)
CPS = "essex-crime-prevention-strategy-2021-2025"


def test_large_import_is_queued_then_run_by_the_worker(
    client, example_plans, member, monkeypatch, settings, tmp_path
):
    from crimeplan.accounts.models import Organisation

    Organisation.objects.create(
        slug="chelmsford-cvs", name="Chelmsford CVS", kind="voluntary_sector"
    )
    settings.CRIMEPLAN_HOME = tmp_path
    monkeypatch.setattr(import_jobs, "INLINE_ROWS", 2)  # three rows count as "large" here
    client.force_login(member("contributor", "chelmsford-cvs", username="carol"))
    rows = "".join(f"CPS-5-{i:02d},{CPS},Action {i},chelmsford-cvs,5\n" for i in range(3))
    upload = SimpleUploadedFile(
        "big.csv", ("reference,plan,title,lead_organisation,asset\n" + rows).encode()
    )
    response = client.post(reverse("delivery:import", args=[CPS]), {"file": upload})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("delivery:import_job", args=[job.pk])
    assert (job.state, job.rows_total) == ("queued", 3)
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "0 of 3 rows" in page
    runner = CliRunner()
    assert runner.invoke(cli, ["worker", "--batch"]).exit_code == 0
    job.refresh_from_db()
    assert (
        job.state == "previewed" and job.preview["summary"] == "3 created, 0 changed, 0 unchanged"
    )
    assert not Action.objects.filter(reference__startswith="CPS-5-").exists()  # preview only
    client.post(reverse("delivery:import_apply", args=[job.pk]))
    assert runner.invoke(cli, ["worker", "--batch"]).exit_code == 0
    job.refresh_from_db()
    assert job.state == "done" and job.result == {"created": 3, "changed": 0, "unchanged": 0}
    assert Action.objects.filter(reference__startswith="CPS-5-").count() == 3
    done = client.get(reverse("delivery:import_job", args=[job.pk])).content.decode()
    assert "3 created, 0 changed, 0 unchanged" in done and "http-equiv" not in done
