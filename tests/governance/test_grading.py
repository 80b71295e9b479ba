"""The grade rule at each of its boundaries (pure: no database)."""

from __future__ import annotations

import pytest

from crimeplan.governance.grading import (
    ActionEvidence,
    Grade,
    MeasureEvidence,
    grade_delivery,
    grade_outcomes,
    grade_priority,
)


def measures(concern: int, fine: int, no_data: int = 0) -> list[MeasureEvidence]:
    return (
        [MeasureEvidence(f"c{i}", "concern", None) for i in range(concern)]
        + [MeasureEvidence(f"f{i}", "common_cause", "hit_or_miss") for i in range(fine)]
        + [MeasureEvidence(f"n{i}", None, None) for i in range(no_data)]
    )


def actions(red: int = 0, amber: int = 0, stale: int = 0, fine: int = 0, cancelled: int = 0):
    rows = [ActionEvidence(f"r{i}", "off_track", None, False) for i in range(red)]
    rows += [ActionEvidence(f"a{i}", "on_track", "amber", False) for i in range(amber)]
    rows += [ActionEvidence(f"s{i}", "on_track", "green", True) for i in range(stale)]
    rows += [ActionEvidence(f"g{i}", "on_track", "green", False) for i in range(fine)]
    rows += [ActionEvidence(f"x{i}", "cancelled", "red", True) for i in range(cancelled)]
    return rows


@pytest.mark.parametrize(
    ("concern", "fine", "expected"),
    [
        (0, 4, Grade.GOOD),
        (1, 3, Grade.REQUIRES_IMPROVEMENT),  # a quarter: below half
        (1, 2, Grade.REQUIRES_IMPROVEMENT),  # a third
        (2, 2, Grade.INADEQUATE),  # exactly half
        (1, 1, Grade.INADEQUATE),
        (1, 0, Grade.INADEQUATE),
        (0, 0, Grade.NOT_GRADED),
    ],
)
def test_outcome_boundaries(concern, fine, expected):
    assert grade_outcomes(measures(concern, fine, no_data=3))[0] is expected


def test_a_target_that_will_fail_raises_concern_and_measures_without_data_do_not_count():
    failing = [MeasureEvidence("KSI", "common_cause", "fail"), MeasureEvidence("x", None, None)]
    grade, reason = grade_outcomes(failing)
    assert grade is Grade.INADEQUATE
    assert (
        reason
        == "Outcomes inadequate: 1 of 1 measure with data raises concern (KSI), at least half."
    )
    improving = [MeasureEvidence("a", "improvement", "pass"), MeasureEvidence("b", "neither", None)]
    assert grade_outcomes(improving)[0] is Grade.GOOD


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"fine": 4}, Grade.GOOD),
        ({"red": 1, "fine": 3}, Grade.INADEQUATE),  # exactly a quarter red
        ({"red": 1, "fine": 4}, Grade.REQUIRES_IMPROVEMENT),  # a fifth red: any red
        ({"amber": 1, "fine": 3}, Grade.REQUIRES_IMPROVEMENT),  # a quarter amber
        ({"amber": 1, "fine": 4}, Grade.GOOD),  # a fifth amber
        ({"stale": 1, "fine": 3}, Grade.REQUIRES_IMPROVEMENT),  # a quarter stale
        ({"stale": 1, "fine": 4}, Grade.GOOD),
        ({"cancelled": 3, "fine": 1}, Grade.GOOD),  # cancelled actions are left out
        ({"cancelled": 2}, Grade.NOT_GRADED),
        ({}, Grade.NOT_GRADED),
    ],
)
def test_delivery_boundaries(kwargs, expected):
    assert grade_delivery(actions(**kwargs))[0] is expected


def test_red_from_the_latest_update_counts_even_when_the_status_is_on_track():
    rows = [ActionEvidence("a", "on_track", "red", False)] + actions(fine=3)
    grade, reason = grade_delivery(rows)
    assert grade is Grade.INADEQUATE
    assert reason == (
        "Delivery inadequate: of 4 live actions, 1 red, 0 amber, 0 stale; at least a quarter "
        "are red."
    )


@pytest.mark.parametrize(
    ("outcome", "delivery", "expected"),
    [
        ((0, 2), {"fine": 2}, Grade.GOOD),
        ((1, 3), {"fine": 2}, Grade.REQUIRES_IMPROVEMENT),
        ((0, 2), {"red": 1, "fine": 1}, Grade.INADEQUATE),
        ((1, 1), {"amber": 1, "fine": 1}, Grade.INADEQUATE),
        ((0, 0), {"amber": 1, "fine": 1}, Grade.REQUIRES_IMPROVEMENT),  # outcomes not graded
        ((1, 3), {}, Grade.REQUIRES_IMPROVEMENT),  # delivery not graded
        ((0, 0), {}, Grade.NOT_GRADED),
    ],
)
def test_the_priority_takes_the_worse_side(outcome, delivery, expected):
    result = grade_priority(measures(*outcome), actions(**delivery))
    assert result.grade is expected
    assert len(result.reasons) == 2


def test_an_action_on_two_commitments_is_one_action():
    from crimeplan.governance.snapshot import _unique

    same = ActionEvidence("A-1", "off_track", None, False)
    assert grade_delivery(_unique([same, same, *actions(fine=3)]))[0] is Grade.INADEQUATE
    assert grade_delivery([same, same, *actions(fine=3)])[1].startswith(
        "Delivery inadequate: of 5 live actions, 2 red"
    )
