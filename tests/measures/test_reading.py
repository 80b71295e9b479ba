"""The plain-English reading for every variation and assurance combination.

Series reuse the hand-worked baseline of test_spc.py: twelve points alternating 12, 10 (mean 11,
limits 5.68 to 16.32, near lines 7.45 and 14.55), fixed at its twelfth point.
"""

from __future__ import annotations

from datetime import date

import pytest

from crimeplan.measures.reading import read_result
from crimeplan.measures.spc import Observation, Rebase, SpcInput, analyse, observations

BASELINE = [12, 10] * 6


def months(n: int) -> list[str]:
    return [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def result(values, polarity="lower", target=None, baseline=True, **kw):
    periods = months(len(values))
    end = periods[11] if baseline and len(values) >= 12 else None
    return analyse(SpcInput(observations(periods, values), polarity, target, end, **kw))


def read(values, polarity="lower", target=None, **kw):
    return read_result(
        result(values, polarity, target, **kw), "Burglary", "Chelmsford", "10% reduction target"
    )


def test_the_example_from_the_issue():
    reading = read(BASELINE + [11, 12], "lower", 11)
    assert reading.text == (
        "Burglary in Chelmsford shows no significant change since the baseline; "
        "the 10% reduction target will be met only by chance."
    )


VARIATIONS = {
    # tail after the baseline → expected words for a lower-is-better measure
    "common": ([11], "shows no significant change since the baseline"),
    "improvement": ([5], "shows a significant improvement: the latest value (2021-01) is below"),
    "concern": (
        [17],
        "shows a significant change for the worse: the latest value (2021-01) is above",
    ),
}
ASSURANCES = {
    "pass": (17, "the 10% reduction target will be met consistently unless something changes"),
    "fail": (5, "the 10% reduction target will not be met unless something changes"),
    "hit_or_miss": (11, "the 10% reduction target will be met only by chance"),
    "none": (None, None),
}


@pytest.mark.parametrize("variation", list(VARIATIONS))
@pytest.mark.parametrize("assurance", list(ASSURANCES))
def test_every_variation_with_every_assurance(variation, assurance):
    tail, variation_words = VARIATIONS[variation]
    target, assurance_words = ASSURANCES[assurance]
    reading = read(BASELINE + tail, "lower", target)
    assert reading.headline.startswith(f"Burglary in Chelmsford {variation_words}")
    if assurance_words:
        assert reading.headline.endswith(f"; {assurance_words}.")
    else:
        assert ";" not in reading.headline
    assert reading.cautions == ()


def test_neutral_measure_says_neither_and_gives_no_assurance():
    reading = read(BASELINE + [17], "neutral", 11)
    assert "significant upward change, neither good nor bad" in reading.headline
    assert "target" not in reading.headline
    low = read(BASELINE + [5], "neutral")
    assert "significant downward change" in low.headline


@pytest.mark.parametrize(
    ("tail", "polarity", "words"),
    [
        (
            [8, 9, 10, 11, 12, 13, 14],
            "lower",
            "at least seven values in a row to 2021-07 have risen",
        ),
        (
            [14, 13, 12, 11, 10, 9, 8],
            "lower",
            "at least seven values in a row to 2021-07 have fallen",
        ),
        (
            [15, 11, 15],
            "higher",
            "two of the latest three values to 2021-03 are close to or beyond the upper limit",
        ),
        ([12] * 7, "higher", "at least seven values in a row to 2021-07 are above the average"),
        ([9] * 7, "higher", "at least seven values in a row to 2021-07 are below the average"),
    ],
)
def test_the_evidence_names_the_rule(tail, polarity, words):
    assert words in read(BASELINE + tail, polarity).headline


def test_trend_rising_on_a_lower_is_better_measure_is_a_concern():
    assert "change for the worse" in read(BASELINE + [8, 9, 10, 11, 12, 13, 14], "lower").headline


def test_fewer_than_twelve_points_is_said():
    reading = read([12, 10, 12, 10, 11], "lower", 11)
    assert "across the 5 periods shown" in reading.headline
    assert reading.cautions == (
        "The limits rest on only 5 values (12 or more are needed for a firm reading), so treat "
        "this reading as provisional.",
    )
    assert reading.text.endswith("provisional.")


def test_a_single_point_says_too_few_to_judge_the_target():
    single = analyse(SpcInput([Observation("2024-01", 7)], "lower", 5))
    reading = read_result(single, "Robbery", "Basildon")
    assert reading.headline == (
        "Robbery in Basildon shows no significant change across the 1 period shown; "
        "there are too few values to say whether the target will be met."
    )
    assert "only 1 value (" in reading.cautions[0]


def test_no_data():
    reading = read_result(analyse(SpcInput([])), "Robbery", "Basildon")
    assert reading.text == "Robbery in Basildon has no data to read yet."


def test_missing_months_are_mentioned():
    reading = read(BASELINE + [11, None, 12])
    assert any("2021-02" in c and "nothing was filled in" in c for c in reading.cautions)
    latest_missing = read(BASELINE + [11, None])
    assert any("reading is for 2021-01" in c for c in latest_missing.cautions)


def test_after_a_rebase_the_reading_says_since_when():
    rebase = Rebase("2021-01", "Recording change", date(2021, 1, 10), "PFCC")
    reading = read(BASELINE + [22, 20] * 6, rebases=[rebase])
    assert "no significant change since the limits were reset in 2021-01" in reading.headline
