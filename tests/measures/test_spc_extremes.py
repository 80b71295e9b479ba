"""The SPC code never raises on a finite series, however large or small its values.

A partner once entered 1.7e308 then -1.7e308: the moving range overflowed to infinity, every
range was screened out, and dividing by the empty remainder took down the measure page, the
measure list and the priority page for everyone.
"""

from __future__ import annotations

import math
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from crimeplan.measures.spc import Polarity, SpcInput, analyse, observations
from crimeplan.measures.spc_chart import chart_table

BIGGEST = sys.float_info.max


def months(n: int) -> list[str]:
    return [f"{2015 + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def run(values, polarity=Polarity.HIGHER, target=None):
    return analyse(SpcInput(observations(months(len(values)), values), polarity, target))


def test_largest_opposite_values_give_limits_not_an_error():
    result = run([1.7e308, -1.7e308])
    seg = result.current_segment
    assert seg.mean == 0.0
    # The moving range (3.4e308) is beyond what a float holds: it is reported as infinite,
    # not screened away, and the limits are infinite rather than missing.
    assert seg.mean_moving_range == math.inf
    assert (seg.lower_limit, seg.upper_limit) == (-math.inf, math.inf)
    assert [p.rules for p in result.points] == [frozenset(), frozenset()]


def test_large_values_keep_their_limits_exact():
    # Their sum overflows a float, yet the mean and limits are finite and as worked by hand.
    values = [1e308, 9e307, 1e308]
    seg = run(values).current_segment
    mean = 1e308 - 1e307 / 3  # (1e308 + 9e307 + 1e308) / 3
    assert math.isclose(seg.mean, mean, rel_tol=1e-12)
    assert math.isclose(seg.mean_moving_range, 1e307, rel_tol=1e-12)
    assert math.isclose(seg.upper_limit, mean + 2.66e307, rel_tol=1e-12)
    assert math.isclose(seg.lower_limit, mean - 2.66e307, rel_tol=1e-12)


finite = st.floats(allow_nan=False, allow_infinity=False)
extreme = st.one_of(
    finite,
    st.sampled_from([BIGGEST, -BIGGEST, 1.7e308, -1.7e308, 5e-324, -5e-324, 0.0, -0.0]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(extreme, st.none()), min_size=0, max_size=30),
    st.sampled_from(list(Polarity)),
    st.one_of(st.none(), finite),
)
def test_any_finite_series_is_analysed(values, polarity, target):
    result = run(values, polarity, target)
    rows = chart_table(result)
    assert len(rows) == len(values)
    for seg in result.segments:
        if seg.has_limits:
            assert seg.lower_limit <= seg.mean <= seg.upper_limit
            assert math.isfinite(seg.mean)
