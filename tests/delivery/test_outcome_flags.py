"""The delivery-against-outcome flag on fixed data: where it must fire and where it must not.

Burglary evidences commitments 1d and 1g and is "lower is better". Its force-area series below is
steady around 100 a month for 20 months; the last month is either a spike to 200 (a point far
above the upper limit: special cause of concern) or a drop to 20 (far below the lower limit:
special cause of improvement). Limits from the first 20 points are about 100 ± 2.66 × 2 ≈ 95–105,
so either last point is a special cause by the outside-the-limits rule alone."""

from __future__ import annotations

import pytest

from crimeplan.delivery.outcome_flags import FlagKind, delivery_outcome_flags
from crimeplan.measures.models import Measure, SeriesValue

pytestmark = pytest.mark.django_db
PCP = "essex-police-and-crime-plan-2016-2020"
STEADY = [
    100,
    102,
    98,
    101,
    99,
    100,
    103,
    97,
    100,
    101,
    99,
    100,
    102,
    98,
    100,
    101,
    99,
    100,
    98,
    102,
]


def burglary_series(plans, last: float) -> Measure:
    measure = Measure.objects.get(plan=plans[PCP], key="burglary")
    months = [f"{2023 + i // 12}-{i % 12 + 1:02d}" for i in range(21)]
    SeriesValue.objects.bulk_create(
        SeriesValue(measure=measure, area="force", period=m, value=v)
        for m, v in zip(months, [*STEADY, last], strict=True)
    )
    # Its target (if any) would add an assurance reading; leave only the variation to judge.
    Measure.objects.filter(pk=measure.pk).update(target_value=None, target_change_percent=None)
    return measure


def test_on_track_action_while_burglary_rises_is_flagged(plans, make_action, approve):
    burglary_series(plans, last=200)
    on_track = make_action(("1d",), status="on_track", reference="PCP-1D-01")
    green_only = make_action(("1g",), status="not_started", reference="PCP-1G-01")
    approve(green_only, "2026-Q4", "green")
    # Must not fire: off track agrees with concern; no measure evidences 3a; complete is closed.
    make_action(("1d",), status="off_track", reference="PCP-1D-02")
    make_action(("3a",), status="on_track", reference="PCP-3A-01")
    make_action(("1d",), status="complete", reference="PCP-1D-03")
    flags = delivery_outcome_flags(plans[PCP])
    assert [(f.kind, f.action.reference, f.commitment.code) for f in flags] == [
        (FlagKind.ON_TRACK_BUT_CONCERN, "PCP-1D-01", "1d"),
        (FlagKind.ON_TRACK_BUT_CONCERN, "PCP-1G-01", "1g"),
    ]
    assert flags[0].explanation.startswith("PCP-1D-01 is reported on track, but Burglary")
    assert "special-cause variation of concern" in flags[0].explanation
    assert "green in its 2026-Q4 update" in flags[1].explanation
    assert on_track.pk == flags[0].action.pk


def test_off_track_action_while_burglary_falls_is_flagged_the_other_way(
    plans, make_action, approve
):
    burglary_series(plans, last=20)
    make_action(("1d",), status="on_track", reference="PCP-1D-01")  # agrees: no flag
    red = make_action(("1d",), status="not_started", reference="PCP-1D-02")
    approve(red, "2026-Q4", "red")
    make_action(("1g",), status="at_risk", reference="PCP-1G-01")
    flags = delivery_outcome_flags(plans[PCP])
    assert [(f.kind, f.action.reference) for f in flags] == [
        (FlagKind.OFF_TRACK_BUT_IMPROVING, "PCP-1D-02"),
        (FlagKind.OFF_TRACK_BUT_IMPROVING, "PCP-1G-01"),
    ]
    assert "special-cause improvement" in flags[0].outcome_says


def test_common_cause_or_no_series_never_fires(plans, make_action):
    make_action(("1d",), status="on_track")
    assert delivery_outcome_flags(plans[PCP]) == []  # no series stored yet
    burglary_series(plans, last=101)  # within the limits: common cause
    make_action(("1g",), status="off_track")
    assert delivery_outcome_flags(plans[PCP]) == []


def test_returned_or_submitted_green_updates_do_not_count(plans, make_action, approve):
    burglary_series(plans, last=200)
    action = make_action(("1d",), status="not_started")
    approve(action, "2026-Q4", "green", state="returned")
    approve(action, "2026-Q4", "green", state="submitted")
    assert delivery_outcome_flags(plans[PCP]) == []
