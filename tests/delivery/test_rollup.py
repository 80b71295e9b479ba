"""Roll-ups checked against hand-worked figures on a handful of actions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crimeplan.delivery.quarters import previous_quarter, quarter_bounds, quarter_of
from crimeplan.delivery.rollup import (
    ActionFacts,
    commitment_delivery,
    latest_approved_update,
    latest_approved_updates,
    matrix_delivery,
    priority_delivery,
    rag_for_score,
    summarise,
)

pytestmark = pytest.mark.django_db
Q = "2026-Q4"


def test_quarters():
    import datetime as dt

    assert quarter_of(dt.date(2026, 4, 1)) == "2026-Q2"
    assert quarter_of(dt.date(2026, 12, 31)) == "2026-Q4"
    assert quarter_bounds("2026-Q4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert quarter_bounds("2025-Q1") == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert previous_quarter("2026-Q1") == "2025-Q4"
    with pytest.raises(ValueError):
        quarter_bounds("2026-Q5")


def test_summarise_hand_worked():
    facts = {
        1: ActionFacts("on_track", 2, Q, "green"),  # 2 x 1.0
        2: ActionFacts("at_risk", 1, "2026-Q3", "amber"),  # 1 x 0.5, stale
        3: ActionFacts("off_track", 1, None, None),  # no update: stale, never updated
        4: ActionFacts("cancelled", 5, Q, "red"),  # counted, but not in RAG or stale
        5: ActionFacts("complete", 1, "2025-Q1", "red"),  # 1 x 0, not stale (complete)
        6: ActionFacts("on_track", 0, Q, "red"),  # weight 0: in by_rag, not in the score
    }
    result = summarise([("a", i) for i in facts] + [("a", 1), ("b", 3)], facts, Q)
    a = result["a"]
    assert a.actions == 6
    assert a.by_status == {
        "not_started": 0,
        "on_track": 2,
        "at_risk": 1,
        "off_track": 1,
        "complete": 1,
        "cancelled": 1,
    }
    assert a.by_rag == {"red": 2, "amber": 1, "green": 1}
    assert a.weighted_rag == pytest.approx((2 * 1.0 + 1 * 0.5 + 1 * 0.0) / 4)
    assert a.rag == "amber"  # 0.625
    assert a.stale == 2 and a.never_updated == 1
    assert a.open_actions == 5
    b = result["b"]
    assert (b.actions, b.stale, b.weighted_rag, b.rag) == (1, 1, None, None)


def test_rag_thresholds():
    assert [rag_for_score(s) for s in (None, 0.0, 0.39, 0.4, 0.74, 0.75, 1.0)] == [
        None,
        "red",
        "red",
        "amber",
        "amber",
        "green",
        "green",
    ]


def test_latest_approved_ignores_submitted_and_returned(make_action, approve):
    action = make_action(("1d",))
    assert latest_approved_update(action) is None
    old = approve(action, "2026-Q3", "red")
    approve(action, Q, "green", state="submitted")
    approve(action, Q, "amber", state="returned")
    assert latest_approved_update(action) == old
    newer = approve(action, Q, "amber")
    assert latest_approved_update(action) == newer
    other = make_action(("1d",))
    assert latest_approved_updates([action, other.pk]) == {action.pk: newer}
    # As at an earlier quarter (a report for it), the later quarter's update does not count.
    assert latest_approved_updates([action, other.pk], up_to="2026-Q3") == {action.pk: old}
    assert latest_approved_updates([action], up_to="2026-Q2") == {}


def test_commitment_and_priority_delivery(make_action, approve, plans):
    from crimeplan.plans.models import Commitment

    a1 = make_action(("1d", "1e"), weight=3)
    a2 = make_action(("1d",), status="at_risk")
    make_action(("2a",), status="complete")
    approve(a1, Q, "green")
    approve(a2, Q, "red", state="submitted")  # not approved: does not count
    approve(a2, "2026-Q3", "amber")
    pcp = plans["essex-police-and-crime-plan-2016-2020"]
    c1d, c1e, c2a, c1a = (
        Commitment.objects.get(plan=pcp, priority__number=int(c[0]), letter=c[1])
        for c in ("1d", "1e", "2a", "1a")
    )
    by_commitment = commitment_delivery([c1d.pk, c1e.pk, c2a.pk, c1a.pk], quarter=Q)
    assert set(by_commitment) == {c1d.pk, c1e.pk, c2a.pk}  # 1a has no actions
    d = by_commitment[c1d.pk]
    assert (d.actions, d.by_status["on_track"], d.by_status["at_risk"]) == (2, 1, 1)
    assert d.by_rag == {"green": 1, "amber": 1, "red": 0}
    assert d.weighted_rag == pytest.approx((3 * 1.0 + 1 * 0.5) / 4)
    assert d.stale == 1  # a2's latest approved is last quarter
    assert by_commitment[c1e.pk].actions == 1
    assert by_commitment[c2a.pk].stale == 0  # complete
    by_priority = priority_delivery(pcp, quarter=Q)
    p1 = pcp.priorities.get(number=1)
    p2 = pcp.priorities.get(number=2)
    assert by_priority[p1.pk].actions == 2  # a1 delivers 1d and 1e but counts once
    assert by_priority[p2.pk].actions == 1
    assert set(by_priority) == {p1.pk, p2.pk}


def test_matrix_cells_and_totals(make_action, approve, plans):
    from crimeplan.plans.models import Asset, Strand

    cps = plans["essex-crime-prevention-strategy-2021-2025"]
    places = Strand.objects.get(plan=cps, slug="places")
    asset5 = Asset.objects.get(plan=cps, number=5)
    asset4 = Asset.objects.get(plan=cps, number=4)
    x = make_action(asset=5, strand="places")
    y = make_action(asset=5)
    make_action(asset=4)
    approve(x, Q, "green")
    approve(y, Q, "red")
    matrix = matrix_delivery(cps, quarter=Q)
    assert matrix[(asset5.pk, places.pk)].actions == 1
    assert matrix[(asset5.pk, places.pk)].weighted_rag == 1.0
    assert matrix[(asset5.pk, None)].actions == 2
    assert matrix[(asset5.pk, None)].weighted_rag == 0.5
    assert matrix[(asset4.pk, None)].stale == 1
    assert matrix[(None, places.pk)].actions == 1
    assert matrix[(None, None)].actions == 3


def test_priority_delivery_query_count_does_not_grow(make_action, approve, plans):
    pcp = plans["essex-police-and-crime-plan-2016-2020"]
    make_action(("1d",))
    with CaptureQueriesContext(connection) as few:
        priority_delivery(pcp, quarter=Q)
    for i in range(30):
        approve(make_action(("1d", "3a") if i % 2 else ("7g",)), Q, "green")
    with CaptureQueriesContext(connection) as many:
        result = priority_delivery(pcp, quarter=Q)
    assert sum(s.actions for s in result.values()) == 1 + 30 + 15
    assert len(many.captured_queries) == len(few.captured_queries)
