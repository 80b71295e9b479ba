"""Hand-worked XmR series for every rule, icon and edge case the design names.

Most series start from the same baseline, twelve points alternating 12, 10, worked by hand:
mean = (6·12 + 6·10) / 12 = 11; eleven moving ranges, all |12 − 10| = 2, so mean MR = 2;
nothing is screened (2 < 3.267 · 2). Limits 11 ± 2.66 · 2 = 11 ± 5.32 → UCL 16.32, LCL 5.68;
near-limit lines 11 ± (2/3) · 5.32 = 11 ± 3.54666… → 14.546666…, 7.453333…
The baseline is fixed at its twelfth point, so later points are judged against these limits.
"""

from __future__ import annotations

from datetime import date

import pytest

from crimeplan.measures.spc import (
    Assurance,
    Observation,
    Polarity,
    Rebase,
    Rule,
    Side,
    SpcInput,
    Variation,
    WarningCode,
    analyse,
    observations,
)

BASELINE = [12, 10] * 6
UCL, LCL = 16.32, 5.68
UPPER_NEAR, LOWER_NEAR = 11 + 3.546666666666667, 11 - 3.546666666666667


def months(n: int, start_year: int = 2020) -> list[str]:
    return [f"{start_year + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def run(values, polarity="higher", target=None, baseline_end=..., **kw):
    periods = months(len(values))
    if baseline_end is ...:
        baseline_end = periods[11] if len(values) >= 12 else None
    return analyse(SpcInput(observations(periods, values), polarity, target, baseline_end, **kw))


def rules(result) -> list[Rule | None]:
    return [p.rule for p in result.points]


# --- limits ------------------------------------------------------------------------------


def test_baseline_limits_by_hand():
    seg = run(BASELINE).current_segment
    assert seg.mean == 11
    assert seg.mean_moving_range == 2
    assert seg.screened_moving_ranges == ()
    assert len(seg.moving_ranges) == 11
    assert seg.upper_limit == pytest.approx(UCL, abs=1e-9)
    assert seg.lower_limit == pytest.approx(LCL, abs=1e-9)
    assert seg.upper_near_limit == pytest.approx(UPPER_NEAR, abs=1e-9)
    assert seg.lower_near_limit == pytest.approx(LOWER_NEAR, abs=1e-9)
    assert rules(run(BASELINE)) == [None] * 12


def test_screened_moving_range_is_left_out_of_the_mean_moving_range():
    # 10,12,…,10 (11 points) then 40. Sum 6·10 + 5·12 + 40 = 160 → mean 13.333…
    # MRs: ten of 2 and one of 30 → mean 50/11 = 4.5454…; screen at 3.267 · 4.5454 = 14.85,
    # so 30 is screened and the mean MR is recomputed as 20/10 = 2.
    values = [10, 12] * 5 + [10, 40]
    seg = run(values, baseline_end=None).current_segment
    assert seg.mean == pytest.approx(160 / 12, abs=1e-9)
    assert seg.mean_moving_range_unscreened == pytest.approx(50 / 11, abs=1e-9)
    assert [(m.period, m.value) for m in seg.screened_moving_ranges] == [("2020-12", 30)]
    assert seg.mean_moving_range == 2
    assert seg.upper_limit == pytest.approx(160 / 12 + 5.32, abs=1e-9)
    assert seg.lower_limit == pytest.approx(160 / 12 - 5.32, abs=1e-9)


def test_without_screening_the_outlier_would_hide_inside_wide_limits():
    # Guard on the screening test: unscreened limits 13.33 + 2.66·4.545 = 25.42 would not flag 40;
    # with screening UCL = 18.65 and the point is special cause.
    values = [10, 12] * 5 + [10, 40]
    result = run(values, baseline_end=None)
    assert result.points[-1].rule is Rule.OUTSIDE_LIMITS


def test_limits_held_over_points_after_a_fixed_baseline():
    later = [16, 16, 15, 16]
    seg = run(BASELINE + later).current_segment
    assert (seg.mean, seg.mean_moving_range, seg.baseline_last) == (11, 2, "2020-12")
    assert seg.last_period == "2021-04"
    unfixed = run(BASELINE + later, baseline_end=None).current_segment
    assert unfixed.mean == pytest.approx((132 + 63) / 16, abs=1e-9)


# --- the four rules ----------------------------------------------------------------------


def test_point_beyond_upper_limit():
    ucl = run(BASELINE).current_segment.upper_limit
    # Spaced apart so that no window of three holds two points beyond the near line.
    result = run(BASELINE + [ucl, 11, 11, ucl + 0.01])
    assert rules(result)[12:] == [None, None, None, Rule.OUTSIDE_LIMITS]  # on it is not beyond
    assert result.points[-1].side is Side.HIGH


def test_point_beyond_lower_limit():
    lcl = run(BASELINE).current_segment.lower_limit
    result = run(BASELINE + [lcl, 11, 11, 5.6])
    assert rules(result)[12:] == [None, None, None, Rule.OUTSIDE_LIMITS]
    assert result.points[-1].side is Side.LOW


def test_seven_above_the_mean_is_a_shift_and_six_is_not():
    six = run(BASELINE + [12] * 6)
    assert rules(six) == [None] * 18
    seven = run(BASELINE + [12] * 7)
    assert rules(seven)[12:] == [Rule.SHIFT] * 7
    assert {p.side for p in seven.points[12:]} == {Side.HIGH}
    # The baseline ends on 10 (below the mean), so the run starts exactly at point 13.
    assert rules(seven)[:12] == [None] * 12


def test_seven_below_the_mean_is_a_low_shift():
    result = run(BASELINE + [12] + [9] * 7)
    assert rules(result)[-7:] == [Rule.SHIFT] * 7
    assert result.points[-1].side is Side.LOW
    assert result.points[-8].rule is None


def test_a_point_on_the_mean_breaks_a_shift():
    result = run(BASELINE + [12, 12, 12, 11, 12, 12, 12])
    assert rules(result) == [None] * 19


def test_seven_rising_is_a_trend():
    # 10 (last baseline point) → 8 falls, then 8..14 rises through seven points.
    # No shift (8, 9, 10 below; 11 on the mean), no point beyond 14.5467, none beyond a limit.
    result = run(BASELINE + [8, 9, 10, 11, 12, 13, 14])
    assert rules(result)[12:] == [Rule.TREND] * 7
    assert result.points[-1].side is Side.HIGH


def test_six_rising_is_not_a_trend():
    assert rules(run(BASELINE + [8, 9, 10, 11, 12, 13])) == [None] * 18


def test_seven_falling_is_a_trend_downwards():
    result = run(BASELINE + [14, 13, 12, 11, 10, 9, 8])
    # 10 → 14 rises, then 14..8 falls: seven points falling.
    assert rules(result)[12:] == [Rule.TREND] * 7
    assert result.points[-1].side is Side.LOW


def test_a_tie_breaks_a_trend():
    assert rules(run(BASELINE + [8, 9, 10, 10, 11, 12, 13, 14])) == [None] * 20


def test_peak_between_two_trends_takes_the_first_run():
    result = run(BASELINE + [8, 9, 10, 11, 12, 13, 14, 13, 12, 11, 10, 9, 8])
    peak = result.points[18]
    assert peak.value == 14
    assert peak.rule is Rule.TREND and peak.side is Side.HIGH
    assert result.points[-1].side is Side.LOW


def test_two_of_three_beyond_the_near_limit_on_the_same_side():
    # 15 > 14.5467 (and < 16.32): two of the three points 15, 11, 15 are beyond it.
    result = run(BASELINE + [15, 11, 15])
    assert rules(result)[12:] == [Rule.TWO_OF_THREE, None, Rule.TWO_OF_THREE]
    assert result.points[-1].side is Side.HIGH


def test_two_of_three_low():
    result = run(BASELINE + [7, 7])
    assert rules(result)[12:] == [Rule.TWO_OF_THREE] * 2
    assert result.points[-1].side is Side.LOW


def test_one_of_three_is_not_enough():
    assert rules(run(BASELINE + [15, 11, 11, 15])) == [None] * 16


def test_two_beyond_the_near_lines_on_opposite_sides_is_not_a_signal():
    # 15 is beyond the upper near line, 7 beyond the lower: not the same side.
    assert rules(run(BASELINE + [15, 7, 11])) == [None] * 15


# --- precedence ----------------------------------------------------------------------------


def test_precedence_outside_over_trend_over_two_of_three_over_shift():
    # After the baseline's final 10: 11.5 … 14.8 all rise (with 10, eight points: trend) and all
    # sit above the mean (seven points: shift); 14.6 and 14.8 are beyond 14.5467 (two of three).
    values = BASELINE + [11.5, 12, 12.5, 13, 13.5, 14.6, 14.8]
    result = run(values)
    last = result.points[-1]
    assert last.rules == {Rule.TREND, Rule.TWO_OF_THREE, Rule.SHIFT}
    assert last.rule is Rule.TREND
    with_outside = run(values + [17])
    assert with_outside.points[-1].rules == set(Rule)
    assert with_outside.points[-1].rule is Rule.OUTSIDE_LIMITS
    assert [s.rule for s in with_outside.points[-1].signals] == [
        Rule.OUTSIDE_LIMITS,
        Rule.TREND,
        Rule.TWO_OF_THREE,
        Rule.SHIFT,
    ]


def test_two_of_three_beats_shift():
    # Seven points above the mean; the last two beyond the near line, not rising throughout.
    result = run(BASELINE + [12, 13, 12, 13, 12, 15, 15])
    assert result.points[-1].rules == {Rule.TWO_OF_THREE, Rule.SHIFT}
    assert result.points[-1].rule is Rule.TWO_OF_THREE
    assert result.points[-3].rule is Rule.SHIFT


def test_rising_trend_below_the_mean_takes_the_trend_direction():
    # Seven points below the mean (low shift) that also rise (high trend): trend wins → high.
    result = run(BASELINE + [12, 5.9, 6.5, 7.5, 8, 9, 10, 10.5])
    last = result.points[-1]
    assert last.rules == {Rule.TREND, Rule.SHIFT}
    assert (last.rule, last.side) == (Rule.TREND, Side.HIGH)
    assert last.variation is Variation.IMPROVEMENT  # higher is better


# --- variation icon --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "tail", "expected"),
    [
        ("higher", [11], Variation.COMMON_CAUSE),
        ("higher", [17], Variation.IMPROVEMENT),
        ("higher", [5], Variation.CONCERN),
        ("lower", [17], Variation.CONCERN),
        ("lower", [5], Variation.IMPROVEMENT),
        ("neutral", [17], Variation.NEITHER),
        ("neutral", [5], Variation.NEITHER),
        ("neutral", [11], Variation.COMMON_CAUSE),
        ("lower", [14, 13, 12, 11, 10, 9, 8], Variation.IMPROVEMENT),
        ("higher", [14, 13, 12, 11, 10, 9, 8], Variation.CONCERN),
    ],
)
def test_variation_icon_reads_the_latest_point(polarity, tail, expected):
    assert run(BASELINE + tail, polarity).variation is expected


def test_variation_icon_ignores_earlier_signals():
    result = run(BASELINE + [17, 11])
    assert result.points[-2].variation is Variation.IMPROVEMENT
    assert result.variation is Variation.COMMON_CAUSE


# --- assurance icon --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "target", "expected"),
    [
        ("higher", 5, Assurance.PASS),  # LCL 5.68 ≥ 5: every value meets ≥ 5
        ("higher", 17, Assurance.FAIL),  # UCL 16.32 < 17: no value reaches it
        ("higher", 11, Assurance.HIT_OR_MISS),
        ("lower", 17, Assurance.PASS),  # UCL 16.32 ≤ 17
        ("lower", 5, Assurance.FAIL),  # LCL 5.68 > 5
        ("lower", 11, Assurance.HIT_OR_MISS),
        ("higher", 16, Assurance.HIT_OR_MISS),
        ("lower", 6, Assurance.HIT_OR_MISS),
        ("neutral", 11, None),
        ("higher", None, None),
    ],
)
def test_assurance_icon_from_target_against_limits(polarity, target, expected):
    assert run(BASELINE, polarity, target).assurance is expected


def test_assurance_target_exactly_on_a_limit_counts_as_met():
    seg = run(BASELINE).current_segment
    assert run(BASELINE, "higher", seg.lower_limit).assurance is Assurance.PASS
    assert run(BASELINE, "lower", seg.upper_limit).assurance is Assurance.PASS
    assert run(BASELINE, "higher", seg.upper_limit).assurance is Assurance.HIT_OR_MISS


def test_assurance_uses_the_latest_segment_after_a_rebase():
    values = BASELINE + [22, 20] * 6
    rebase = Rebase("2021-01", "New recording standard", date(2021, 2, 1), "Chief Executive")
    # Second segment: mean 21, mean MR 2 → limits 15.68 to 26.32; target 12 (lower is better).
    assert run(values, "lower", 12, rebases=[rebase]).assurance is Assurance.FAIL
    assert run(values, "lower", 12).assurance is Assurance.HIT_OR_MISS


# --- edge cases ---------------------------------------------------------------------------------


def test_single_point():
    result = analyse(SpcInput([Observation("2024-01", 7)], "higher", target=5))
    seg = result.current_segment
    assert seg.mean == 7
    assert seg.mean_moving_range is None and not seg.has_limits
    assert result.variation is Variation.COMMON_CAUSE
    assert result.assurance is None
    codes = {w.code for w in result.warnings}
    assert {WarningCode.FEW_POINTS, WarningCode.NO_LIMITS} <= codes


def test_no_points():
    result = analyse(SpcInput([], "higher"))
    assert result.segments == () and result.variation is None and result.assurance is None
    assert result.warning(WarningCode.NO_VALUES) is not None


def test_all_equal_values_give_zero_width_limits_and_no_signal():
    result = run([5] * 14, "higher", 5)
    seg = result.current_segment
    assert seg.mean_moving_range == 0
    assert seg.screened_moving_ranges == ()  # 0 ≥ 3.267 · 0, but there is nothing to screen
    assert (seg.upper_limit, seg.lower_limit) == (5, 5)
    assert (seg.upper_near_limit, seg.lower_near_limit) == (5, 5)
    assert rules(result) == [None] * 14
    assert result.assurance is Assurance.PASS
    assert run([5] * 14, "higher", 6).assurance is Assurance.FAIL


def test_all_equal_baseline_then_any_change_is_beyond_the_limits():
    assert run([5] * 12 + [6], "lower").variation is Variation.CONCERN


def test_missing_value_breaks_moving_ranges():
    # Moving ranges 12→10 = 2 and 20→22 = 2; the gap hides 10→20, so the mean MR is 2, not 4.
    result = analyse(SpcInput(observations(months(5), [12, 10, None, 20, 22])))
    seg = result.current_segment
    assert [m.value for m in seg.moving_ranges] == [2, 2]
    assert seg.mean == 16
    assert result.points[2].variation is None
    assert result.points[3].moving_range is None
    assert "2020-03" in result.warning(WarningCode.MISSING_PERIODS).message


def test_missing_value_breaks_a_shift_run():
    assert rules(run(BASELINE + [12, 12, 12, None, 12, 12, 12, 12])) == [None] * 20
    # Guard: without the gap the same eight values are a shift.
    assert rules(run(BASELINE + [12] * 8))[-1] is Rule.SHIFT


def test_missing_month_label_is_a_gap_too():
    periods = months(19)
    del periods[15]  # 2021-04 absent from the labels altogether
    values = BASELINE + [12] * 6
    result = analyse(SpcInput(observations(periods, values), "higher", None, "2020-12"))
    assert rules(result) == [None] * 18
    warning = result.warning(WarningCode.MISSING_PERIODS)
    assert "2021-04" in warning.message
    assert result.points[15].moving_range is None  # 2021-05 does not join 2021-03


def test_missing_value_breaks_a_trend():
    assert rules(run(BASELINE + [8, 9, 10, None, 11, 12, 13, 14])) == [None] * 20


def test_latest_month_missing_reads_the_last_value():
    result = run(BASELINE + [17, None])
    assert result.latest.period == "2021-01"
    assert result.variation is Variation.IMPROVEMENT
    assert result.warning(WarningCode.LATEST_MISSING) is not None


def test_fewer_than_twelve_points_warns_and_twelve_does_not():
    assert run(BASELINE[:11]).warning(WarningCode.FEW_POINTS) is not None
    assert "11 points" in run(BASELINE[:11]).warning(WarningCode.FEW_POINTS).message
    assert run(BASELINE).warnings == ()


def test_missing_baseline_points_do_not_count_towards_twelve():
    values = list(BASELINE)
    values[4] = None
    assert run(values).warning(WarningCode.FEW_POINTS) is not None


def test_negative_lower_limit_of_counts_is_shown_at_zero_but_kept_for_the_rules():
    # Mean 2, MRs all 2 → LCL 2 − 5.32 = −3.32.
    values = [3, 1] * 6
    counts = run(values, counts=True).current_segment
    assert counts.lower_limit == pytest.approx(-3.32, abs=1e-9)
    assert counts.lower_limit_shown == 0
    assert run(values).current_segment.lower_limit_shown == pytest.approx(-3.32, abs=1e-9)


# --- baselines and rebases ------------------------------------------------------------------------


def test_rebase_starts_new_limits_and_keeps_its_record():
    rebase = Rebase("2021-01", "Crime recording audit", date(2021, 3, 4), "PFCC board")
    values = BASELINE + [22, 20] * 6
    without = run(values)
    assert without.points[-1].rule is Rule.OUTSIDE_LIMITS
    result = run(values, rebases=[rebase])
    first, second = result.segments
    assert (first.mean, first.last_period) == (11, "2020-12")
    # Second segment: mean 21; MRs inside it all 2 (the 10→22 step belongs to neither baseline).
    assert (second.mean, second.mean_moving_range) == (21, 2)
    assert len(second.moving_ranges) == 11
    assert second.upper_limit == pytest.approx(26.32, abs=1e-9)
    assert second.rebase == rebase
    assert second.rebase.approved_by == "PFCC board"
    assert rules(result) == [None] * 24
    assert [p.segment for p in result.points] == [0] * 12 + [1] * 12


def test_runs_do_not_cross_a_rebase():
    # Four 12s end the first segment and three 12s start the second. The second segment's
    # baseline 12,12,12,8,14,8,14,8,14,8,14,8 has mean 132/12 = 11 too, so across the rebase
    # 12 stays above the mean; only a run that crossed the rebase could reach seven.
    second = [12, 12, 12] + [8, 14] * 4 + [8]
    values = BASELINE + [12] * 4 + second
    assert rules(run(values))[12:19] == [Rule.SHIFT] * 7
    rebase = Rebase("2021-05", "Boundary change", date(2021, 6, 1), "Scrutiny board")
    rebased = run(values, rebases=[rebase])
    assert rebased.segments[1].mean == 11
    assert rules(rebased) == [None] * 28


def test_rebase_with_its_own_short_baseline():
    rebase = Rebase("2021-01", "New system", date(2021, 1, 2), "Chief Constable", "2021-06")
    values = BASELINE + [22, 20] * 3 + [30]
    result = run(values, rebases=[rebase])
    second = result.segments[1]
    assert (second.baseline_first, second.baseline_last, second.baseline_size) == (
        "2021-01",
        "2021-06",
        6,
    )
    assert second.mean == 21
    assert result.points[-1].rule is Rule.OUTSIDE_LIMITS  # 30 > 26.32
    few = result.warning(WarningCode.FEW_POINTS)
    assert few.segment == 1 and "6 points" in few.message


@pytest.mark.parametrize(
    ("spec_kwargs", "message"),
    [
        ({"rebases": [Rebase("1999-01", "x", date(2020, 1, 1), "y")]}, "not a period"),
        ({"baseline_end": "2030-01"}, "not a period"),
        (
            {
                "rebases": [Rebase("2020-06", "x", date(2020, 1, 1), "y")],
                "baseline_end": "2020-08",
            },
            "outside the segment",
        ),
    ],
)
def test_invalid_specifications_are_refused(spec_kwargs, message):
    with pytest.raises(ValueError, match=message):
        analyse(SpcInput(observations(months(12), BASELINE), **spec_kwargs))


def test_rebase_needs_reason_and_approver():
    with pytest.raises(ValueError, match="reason"):
        Rebase("2020-06", " ", date(2020, 1, 1), "Board")
    with pytest.raises(ValueError, match="approver"):
        Rebase("2020-06", "Audit", date(2020, 1, 1), "")


def test_duplicate_and_unordered_periods_and_bad_values_are_refused():
    with pytest.raises(ValueError, match="twice"):
        analyse(SpcInput([Observation("a", 1), Observation("a", 2)]))
    with pytest.raises(ValueError, match="out of order"):
        analyse(SpcInput([Observation("2020-02", 1), Observation("2020-01", 2)]))
    with pytest.raises(ValueError, match="finite"):
        analyse(SpcInput([Observation("a", float("nan"))]))
    with pytest.raises(ValueError):
        SpcInput([], polarity="up")


def test_non_month_labels_are_taken_in_the_order_given():
    result = analyse(SpcInput(observations(["Q1", "Q2", "Q3"], [1, 3, 2])))
    assert result.current_segment.mean_moving_range == 1.5
    assert result.warning(WarningCode.MISSING_PERIODS) is None


def test_polarity_is_read_from_plan_file_text():
    assert Polarity("lower") is Polarity.LOWER
