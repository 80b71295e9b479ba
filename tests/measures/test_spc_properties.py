"""Properties any XmR analysis must keep, whatever the data."""

from __future__ import annotations

import pytest
from factories import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from crimeplan.measures.spc import SpcInput, Variation, analyse, observations

SWAP = {
    Variation.IMPROVEMENT: Variation.CONCERN,
    Variation.CONCERN: Variation.IMPROVEMENT,
    Variation.COMMON_CAUSE: Variation.COMMON_CAUSE,
    None: None,
}

# Integer counts keep every sum exact, so the properties test the method and not rounding.
series = st.lists(st.integers(min_value=0, max_value=5000), min_size=2, max_size=40)
series_with_gaps = st.lists(
    st.one_of(st.integers(min_value=0, max_value=500), st.none()), min_size=2, max_size=40
).filter(lambda v: sum(x is not None for x in v) >= 2)


def months(n: int) -> list[str]:
    return [f"{2015 + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def analysed(values, polarity="higher", target=None):
    return analyse(SpcInput(observations(months(len(values)), values), polarity, target))


def limits(result):
    seg = result.current_segment
    return (
        seg.mean,
        seg.upper_limit,
        seg.lower_limit,
        seg.upper_near_limit,
        seg.lower_near_limit,
    )


@settings(max_examples=examples(200), deadline=None)
@given(series_with_gaps)
def test_limits_contain_the_mean(values):
    seg = analysed(values).current_segment
    if seg.has_limits:
        assert seg.lower_limit <= seg.lower_near_limit <= seg.mean
        assert seg.mean <= seg.upper_near_limit <= seg.upper_limit


@settings(max_examples=examples(200), deadline=None)
@given(series, st.floats(min_value=0.01, max_value=1000))
def test_scaling_data_scales_mean_and_limits(values, k):
    base = limits(analysed(values))
    scaled = limits(analysed([v * k for v in values]))
    for a, b in zip(base, scaled, strict=True):
        assert b == pytest.approx(a * k, rel=1e-9, abs=1e-9)


@settings(max_examples=examples(200), deadline=None)
@given(series, st.sampled_from([0.25, 0.5, 2.0, 8.0]))
def test_scaling_by_a_power_of_two_keeps_every_signal(values, k):
    # Multiplying by a power of two is exact in binary floating point, so every comparison
    # (screening, limits, near lines, the mean) comes out the same.
    base, scaled = analysed(values), analysed([v * k for v in values])
    assert [p.signals for p in base.points] == [p.signals for p in scaled.points]
    assert base.variation == scaled.variation


@settings(max_examples=examples(200), deadline=None)
@given(series, st.integers(min_value=-10_000, max_value=10_000))
def test_shifting_data_shifts_mean_and_limits(values, c):
    base_result, shifted_result = analysed(values), analysed([v + c for v in values])
    for a, b in zip(limits(base_result), limits(shifted_result), strict=True):
        assert b == pytest.approx(a + c, abs=1e-6)
    assert shifted_result.current_segment.mean_moving_range == pytest.approx(
        base_result.current_segment.mean_moving_range, abs=1e-9
    )


@settings(max_examples=examples(200), deadline=None)
@given(series_with_gaps)
def test_reversing_polarity_swaps_improvement_and_concern(values):
    higher, lower = analysed(values, "higher"), analysed(values, "lower")
    assert [SWAP[p.variation] for p in higher.points] == [p.variation for p in lower.points]
    assert SWAP[higher.variation] == lower.variation
    neutral = analysed(values, "neutral")
    special = {Variation.IMPROVEMENT, Variation.CONCERN}
    assert [p.variation in special for p in higher.points] == [
        p.variation is Variation.NEITHER for p in neutral.points
    ]


@settings(max_examples=examples(100), deadline=None)
@given(series.filter(lambda v: len(v) >= 12), st.lists(st.integers(0, 5000), max_size=12))
def test_points_after_a_fixed_baseline_do_not_move_the_limits(values, later):
    periods = months(len(values) + len(later))
    fixed = SpcInput(observations(periods[: len(values)], values), baseline_end=periods[11])
    extended = SpcInput(observations(periods, values + later), baseline_end=periods[11])
    assert limits(analyse(fixed)) == limits(analyse(extended))
