"""Every page asks whether the figures are synthetic; the question costs one indexed query and
answers from the latest computation, not any other."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crimeplan.measures.models import ComputeRun
from crimeplan.measures.synthetic import figures_are_synthetic


def _run(synthetic: bool) -> ComputeRun:
    return ComputeRun.objects.create(
        actor="test", measures=1, series=1, points=1, seconds=0.1, synthetic=synthetic
    )


@pytest.mark.django_db
def test_the_latest_run_decides():
    assert figures_are_synthetic() is False
    _run(synthetic=True)
    assert figures_are_synthetic() is True
    latest = _run(synthetic=False)
    assert figures_are_synthetic() is False
    ComputeRun.objects.filter(pk=latest.pk).update(synthetic=True)  # no signal is sent
    assert figures_are_synthetic() is True


@pytest.mark.django_db
def test_one_query_by_primary_key_not_by_time():
    _run(synthetic=False)
    with CaptureQueriesContext(connection) as ctx:
        figures_are_synthetic()
    (query,) = ctx.captured_queries
    assert 'ORDER BY "measures_computerun"."id" DESC' in query["sql"]
    assert '"at"' not in query["sql"]


@pytest.mark.django_db
def test_a_clock_set_back_does_not_hide_the_latest_run():
    _run(synthetic=True)
    later = _run(synthetic=False)
    # The later run's time is earlier (a clock corrected between runs): it is still the latest.
    ComputeRun.objects.filter(pk=later.pk).update(at=timezone.now() - dt.timedelta(days=1))
    assert figures_are_synthetic() is False
