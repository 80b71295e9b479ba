"""The assessment sets a percentage target against the same baseline mean the SPC computes."""

from __future__ import annotations

from datetime import date

import pytest
from factories import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from crimeplan.measures.assessment import assess, baseline_mean
from crimeplan.measures.definition import from_plan_data
from crimeplan.measures.spc import Observation, Rebase, SpcInput, analyse

MONTHS = [f"{2022 + i // 12}-{i % 12 + 1:02d}" for i in range(36)]


@settings(max_examples=examples(60), deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), st.floats(0, 1000, allow_nan=False)), min_size=3, max_size=36
    ).filter(lambda v: sum(x is not None for x in v) >= 2),
    end=st.integers(0, 35),
    rebase_at=st.one_of(st.none(), st.integers(1, 35)),
)
def test_baseline_mean_equals_first_segment_mean(values, end, rebase_at):
    obs = [Observation(m, v) for m, v in zip(MONTHS, values, strict=False)]
    periods = [o.period for o in obs if o.value is not None]
    baseline_end = MONTHS[min(end, len(obs) - 1)]
    if baseline_end not in periods:
        baseline_end = None
    rebases = ()
    if rebase_at is not None and rebase_at < len(obs) and obs[rebase_at].value is not None:
        if baseline_end is None or obs[rebase_at].period > baseline_end:
            rebases = (
                Rebase(obs[rebase_at].period, "new recording rules", date(2024, 1, 1), "Board"),
            )
    result = analyse(SpcInput(obs, "lower", baseline_end=baseline_end, rebases=rebases))
    expected = result.segments[0].mean
    got = baseline_mean(obs, baseline_end, rebases)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_percentage_target_and_reading():
    definition = from_plan_data(
        {
            "id": "b",
            "title": "Burglary",
            "source": "policeuk",
            "polarity": "lower",
            "crime_types": ["Burglary"],
            "baseline": {"start": "2022-01", "end": "2022-12"},
            "target": {"change_percent": -10},
        }
    )
    values = [100.0] * 6 + [110.0] * 6 + [104.0] * 12
    obs = [Observation(m, v) for m, v in zip(MONTHS, values, strict=False)]
    assessment = assess(definition, obs, "Chelmsford")
    assert assessment.target == pytest.approx(105.0 * 0.9)
    assert assessment.reading.headline.startswith("Burglary in Chelmsford")
    assert "10% reduction target" in assessment.reading.headline


@pytest.mark.parametrize(
    ("fields", "places"),
    [
        ({"source": "policeuk", "crime_types": ["Burglary"]}, 0),
        ({"source": "stats19_ksi"}, 0),
        ({"source": "manual", "manual_source": "HR"}, 0),
        ({"source": "policeuk", "crime_types": ["Burglary"], "harm": "cchi"}, 2),
        ({"source": "policeuk", "crime_types": ["Burglary"], "unit": "rate_per_1000"}, 2),
        ({"source": "manual", "manual_source": "survey", "unit": "percentage"}, 2),
    ],
)
def test_counts_are_shown_as_whole_numbers_and_the_rest_with_two_places(fields, places):
    definition = from_plan_data({"id": "m", "title": "M", "polarity": "lower", **fields})
    assert definition.value_places == places
