"""Pages that show many measures cost a fixed number of queries, however many measures,
commitments and districts they show: no query per measure (N+1) can creep back in."""

from __future__ import annotations

import pytest
from factories import example_plan

from crimeplan.measures.models import Measure

PCP = "essex-police-and-crime-plan-2016-2020"


@pytest.fixture
def computed(crime_store, example_plans, client, cli):
    cli("measures", "compute")
    # Every measure has a computed or an empty series, so each page below shows several.
    assert Measure.objects.filter(plan__slug=PCP).count() == len(example_plan(PCP)["measures"]) > 1
    return client


# Each count: the plan, then the page's own reads, then the layout's check of the last run.
PAGES = [
    # plan, measures, their commitments and priorities, rebases, every series (one query),
    # the last run, the months the figures cover, the layout's synthetic check.
    (f"/plans/{PCP}/measures/", 9),
    # plan, priority, commitments, strands, measures with their plan, rebases, every series,
    # the months the figures cover, previous and next priority, the boards' decisions about it,
    # the layout's synthetic check.
    (f"/plans/{PCP}/priorities/1/", 12),
    # plan, commitment, strands, measures with their plan, rebases, every area's series,
    # the months the figures cover, the published actions delivering it (delivery), the
    # boards' decisions about it, the layout's synthetic check.
    (f"/plans/{PCP}/priorities/1/commitments/d/", 10),
    # plan, measure, commitments, rebases, its areas, one area's series, the months the
    # figures cover, the boards' decisions about it, the layout's check.
    (f"/plans/{PCP}/measures/burglary/", 9),
    (f"/plans/{PCP}/measures/burglary/?area=E07000070", 9),
]


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_page_query_count_is_fixed(computed, django_assert_num_queries, url, queries):
    computed.get(url)  # the chart cache and compiled templates warm
    with django_assert_num_queries(queries):
        assert computed.get(url).status_code == 200


def test_priority_page_queries_do_not_grow_with_its_measures(computed, django_assert_num_queries):
    """Every measure of the plan evidencing a commitment of priority 1: still the page's count."""
    url = f"/plans/{PCP}/priorities/1/"
    commitment = Measure.objects.get(plan__slug=PCP, key="burglary").commitments.first()
    measures = list(Measure.objects.filter(plan__slug=PCP))
    for measure in measures:
        measure.commitments.add(commitment)
    computed.get(url)
    with django_assert_num_queries(dict(PAGES)[url]):
        html = computed.get(url).content.decode()
    assert all(f'data-measure="{m.key}"' in html for m in measures)
