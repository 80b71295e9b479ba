"""The demo consultation: the example survey open with generated responses, and a demo survey
with published results and themes; every generated response is labelled, and a second run
changes nothing."""

from __future__ import annotations

from pathlib import Path

from crimeplan.consultation.demo import DEMO_SLUG, load_demo_consultation
from crimeplan.consultation.models import Response, Survey, Theme
from crimeplan.core.audit import acting_as

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plans"


def test_demo_consultation_is_labelled_and_idempotent(example_plans, client):
    with acting_as(label="test"):
        load_demo_consultation(EXAMPLES)
    example = Survey.objects.get(slug="essex-police-and-crime-plan-2016-survey")
    demo = Survey.objects.get(slug=DEMO_SLUG)
    assert example.phase == "open" and demo.phase == "results_published"
    assert example.responses.count() == 40 and demo.responses.count() == 120
    assert not Response.objects.filter(synthetic=False).exists()
    assert Theme.objects.filter(survey=demo).count() == 4
    assert all(t.commitments.exists() for t in Theme.objects.filter(survey=demo))
    assert Theme.objects.filter(survey=demo, answers__isnull=False).distinct().count() == 4
    html = client.get(f"/have-your-say/{DEMO_SLUG}/results/").content.decode()
    assert "All of these responses are generated demo data" in html
    counts = (Response.objects.count(), Theme.objects.count())
    with acting_as(label="test"):
        load_demo_consultation(EXAMPLES)
    assert (Response.objects.count(), Theme.objects.count()) == counts
