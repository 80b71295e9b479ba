"""The optimised :func:`analyse` must equal, field for field, the straightforward version it
replaced (kept below as ``reference_analyse``, unchanged apart from its name), on any series:
values with ties and gaps, month labels with missing months, other labels, rebases, baselines,
targets and invalid input (the same error, the same message).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date

import pytest
from factories import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from crimeplan.measures.spc import (
    MOVING_RANGE_SCREEN_FACTOR,
    NEAR_LIMIT_FRACTION,
    PROCESS_LIMIT_FACTOR,
    RECOMMENDED_BASELINE_POINTS,
    RULE_PRECEDENCE,
    SHIFT_LENGTH,
    TREND_LENGTH,
    Assurance,
    MovingRange,
    Observation,
    PointResult,
    Polarity,
    Rebase,
    Rule,
    Segment,
    Side,
    Signal,
    SpcInput,
    SpcResult,
    SpcWarning,
    Variation,
    WarningCode,
    analyse,
)

_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


def reference_analyse(spec: SpcInput) -> SpcResult:
    """The analysis as first written: straightforward, slower, the model the fast one must equal."""
    obs = spec.observations
    periods = [o.period for o in obs]
    values = [_checked_value(o) for o in obs]
    _check_unique(periods)
    label_gaps = _label_gaps(periods)
    segment_starts, rebases, baseline_ends = _segment_plan(spec, periods)

    n = len(obs)
    segment_of = [0] * n
    for k, start in enumerate(segment_starts):
        for i in range(start, n):
            segment_of[i] = k

    def connected(i: int) -> bool:
        """Whether point i joins point i−1 for moving ranges and runs."""
        return (
            i > 0
            and values[i] is not None
            and values[i - 1] is not None
            and segment_of[i] == segment_of[i - 1]
            and i not in label_gaps
        )

    moving = [abs(values[i] - values[i - 1]) if connected(i) else None for i in range(n)]

    segments: list[Segment] = []
    in_baseline = [False] * n
    for k, start in enumerate(segment_starts):
        end = segment_starts[k + 1] - 1 if k + 1 < len(segment_starts) else n - 1
        base_end = baseline_ends[k]
        for i in range(start, base_end + 1):
            in_baseline[i] = True
        segments.append(
            _segment(k, start, end, base_end, rebases[k], periods, values, moving, spec.counts)
        )

    signals: list[dict[Rule, Side]] = [{} for _ in range(n)]
    blocks = _connected_blocks(n, values, connected)
    for block in blocks:
        seg = segments[segment_of[block[0]]]
        block_values = [values[i] for i in block]
        for offset, side in _outside_limits(block_values, seg).items():
            signals[block[offset]][Rule.OUTSIDE_LIMITS] = side
        for offset, side in _trends(block_values).items():
            signals[block[offset]][Rule.TREND] = side
        for offset, side in _two_of_three(block_values, seg).items():
            signals[block[offset]][Rule.TWO_OF_THREE] = side
        for offset, side in _shifts(block_values, seg).items():
            signals[block[offset]][Rule.SHIFT] = side

    polarity = Polarity(spec.polarity)
    points = []
    for i in range(n):
        ordered = tuple(Signal(r, signals[i][r]) for r in RULE_PRECEDENCE if r in signals[i])
        variation = None
        if values[i] is not None:
            variation = _variation(ordered[0].side, polarity) if ordered else Variation.COMMON_CAUSE
        points.append(
            PointResult(
                period=periods[i],
                value=values[i],
                segment=segment_of[i],
                in_baseline=in_baseline[i],
                moving_range=moving[i],
                signals=ordered,
                variation=variation,
            )
        )

    latest = next((p for p in reversed(points) if p.value is not None), None)
    current = segments[-1] if segments else None
    return SpcResult(
        points=tuple(points),
        segments=tuple(segments),
        polarity=polarity,
        target=spec.target,
        variation=latest.variation if latest else None,
        assurance=_assurance(spec.target, polarity, current),
        warnings=tuple(_warnings(segments, points, periods, values, label_gaps)),
        counts=spec.counts,
    )


def _checked_value(obs: Observation) -> float | None:
    if obs.value is None:
        return None
    value = float(obs.value)
    if not math.isfinite(value):
        raise ValueError(f"{obs.period}: value {obs.value!r} is not a finite number")
    return value


def _check_unique(periods: Sequence[str]) -> None:
    seen: set[str] = set()
    for p in periods:
        if p in seen:
            raise ValueError(f"period {p} appears twice")
        seen.add(p)


def _month_number(label: str) -> int | None:
    match = _MONTH_LABEL.match(label)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return year * 12 + month - 1


def _month_label(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def _label_gaps(periods: Sequence[str]) -> dict[int, list[str]]:
    """For ``YYYY-MM`` labels, the months absent before each index (never interpolated)."""
    numbers = [_month_number(p) for p in periods]
    if not periods or any(m is None for m in numbers):
        return {}
    gaps: dict[int, list[str]] = {}
    for i in range(1, len(numbers)):
        step = numbers[i] - numbers[i - 1]
        if step <= 0:
            raise ValueError(f"periods out of order: {periods[i - 1]} then {periods[i]}")
        if step > 1:
            gaps[i] = [_month_label(m) for m in range(numbers[i - 1] + 1, numbers[i])]
    return gaps


def _segment_plan(
    spec: SpcInput, periods: Sequence[str]
) -> tuple[list[int], list[Rebase | None], list[int]]:
    index = {p: i for i, p in enumerate(periods)}

    def position(label: str, what: str) -> int:
        if label not in index:
            raise ValueError(f"{what} {label} is not a period of the series")
        return index[label]

    starts: list[int] = [0] if periods else []
    rebases: list[Rebase | None] = [None] if periods else []
    requested_ends: list[str | None] = [spec.baseline_end] if periods else []
    for rebase in spec.rebases:
        at = position(rebase.period, "rebase period")
        if at <= starts[-1]:
            raise ValueError(
                f"rebase at {rebase.period} must come after the previous segment start"
            )
        starts.append(at)
        rebases.append(rebase)
        requested_ends.append(rebase.baseline_end)

    ends: list[int] = []
    for k, start in enumerate(starts):
        segment_end = starts[k + 1] - 1 if k + 1 < len(starts) else len(periods) - 1
        wanted = requested_ends[k]
        end = segment_end if wanted is None else position(wanted, "baseline end")
        if not start <= end <= segment_end:
            raise ValueError(
                f"baseline end {wanted} lies outside the segment {periods[start]}"
                f" to {periods[segment_end]}"
            )
        ends.append(end)
    return starts, rebases, ends


def _segment(
    k: int,
    start: int,
    end: int,
    base_end: int,
    rebase: Rebase | None,
    periods: Sequence[str],
    values: Sequence[float | None],
    moving: Sequence[float | None],
    counts: bool,
) -> Segment:
    base_values = [v for v in values[start : base_end + 1] if v is not None]
    mean = sum(base_values) / len(base_values) if base_values else None
    # A moving range belongs to the baseline when both its points do: skip the segment's first.
    raw = [(periods[i], moving[i]) for i in range(start + 1, base_end + 1) if moving[i] is not None]
    mean_mr_unscreened = sum(v for _, v in raw) / len(raw) if raw else None
    ranges: list[MovingRange] = []
    mean_mr = mean_mr_unscreened
    if mean_mr_unscreened is not None:
        threshold = MOVING_RANGE_SCREEN_FACTOR * mean_mr_unscreened
        screen = mean_mr_unscreened > 0
        ranges = [MovingRange(p, v, screen and v >= threshold) for p, v in raw]
        kept = [mr.value for mr in ranges if not mr.screened_out]
        mean_mr = sum(kept) / len(kept)
    upper = lower = upper_near = lower_near = None
    if mean is not None and mean_mr is not None:
        half_width = PROCESS_LIMIT_FACTOR * mean_mr
        upper, lower = mean + half_width, mean - half_width
        upper_near = mean + NEAR_LIMIT_FRACTION * half_width
        lower_near = mean - NEAR_LIMIT_FRACTION * half_width
    return Segment(
        index=k,
        first_period=periods[start],
        last_period=periods[end],
        baseline_first=periods[start],
        baseline_last=periods[base_end],
        rebase=rebase,
        baseline_size=len(base_values),
        mean=mean,
        moving_ranges=tuple(ranges),
        mean_moving_range_unscreened=mean_mr_unscreened,
        mean_moving_range=mean_mr,
        upper_limit=upper,
        lower_limit=lower,
        upper_near_limit=upper_near,
        lower_near_limit=lower_near,
        counts=counts,
    )


def _connected_blocks(
    n: int, values: Sequence[float | None], connected: Callable[[int], bool]
) -> list[list[int]]:
    blocks: list[list[int]] = []
    for i in range(n):
        if values[i] is None:
            continue
        if connected(i) and blocks:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    return blocks


def _outside_limits(values: Sequence[float], seg: Segment) -> dict[int, Side]:
    if not seg.has_limits:
        return {}
    flags = {}
    for j, v in enumerate(values):
        if v > seg.upper_limit:
            flags[j] = Side.HIGH
        elif v < seg.lower_limit:
            flags[j] = Side.LOW
    return flags


def _runs(labels: Sequence[Side | None], length: int) -> dict[int, Side]:
    """Indices in runs of at least ``length`` equal, non-``None`` labels; first run wins."""
    flags: dict[int, Side] = {}
    j = 0
    while j < len(labels):
        k = j
        while k + 1 < len(labels) and labels[k + 1] == labels[j]:
            k += 1
        if labels[j] is not None and k - j + 1 >= length:
            for m in range(j, k + 1):
                flags.setdefault(m, labels[j])
        j = k + 1
    return flags


def _trends(values: Sequence[float]) -> dict[int, Side]:
    # Label each step between neighbours; a run of TREND_LENGTH − 1 equal steps spans
    # TREND_LENGTH points. A tie is a None step and breaks the run.
    steps: list[Side | None] = [
        Side.HIGH if b > a else Side.LOW if b < a else None
        for a, b in zip(values, values[1:], strict=False)
    ]
    flags: dict[int, Side] = {}
    for step_index, side in sorted(_runs(steps, TREND_LENGTH - 1).items()):
        flags.setdefault(step_index, side)
        flags.setdefault(step_index + 1, side)
    return flags


def _shifts(values: Sequence[float], seg: Segment) -> dict[int, Side]:
    if seg.mean is None:
        return {}
    sides = [Side.HIGH if v > seg.mean else Side.LOW if v < seg.mean else None for v in values]
    return _runs(sides, SHIFT_LENGTH)


def _two_of_three(values: Sequence[float], seg: Segment) -> dict[int, Side]:
    if not seg.has_limits:
        return {}
    beyond = [
        Side.HIGH if v > seg.upper_near_limit else Side.LOW if v < seg.lower_near_limit else None
        for v in values
    ]
    flags: dict[int, Side] = {}
    for j in range(len(values) - 2):
        window = range(j, j + 3)
        for side in (Side.HIGH, Side.LOW):
            hits = [m for m in window if beyond[m] == side]
            if len(hits) >= 2:
                for m in hits:
                    flags[m] = side
    return flags


def _variation(side: Side, polarity: Polarity) -> Variation:
    if polarity is Polarity.NEUTRAL:
        return Variation.NEITHER
    good = Side.HIGH if polarity is Polarity.HIGHER else Side.LOW
    return Variation.IMPROVEMENT if side is good else Variation.CONCERN


def _assurance(target: float | None, polarity: Polarity, seg: Segment | None) -> Assurance | None:
    if target is None or polarity is Polarity.NEUTRAL or seg is None or not seg.has_limits:
        return None
    if polarity is Polarity.HIGHER:
        always, never = seg.lower_limit >= target, seg.upper_limit < target
    else:
        always, never = seg.upper_limit <= target, seg.lower_limit > target
    if always:
        return Assurance.PASS
    if never:
        return Assurance.FAIL
    return Assurance.HIT_OR_MISS


def _warnings(
    segments: Sequence[Segment],
    points: Sequence[PointResult],
    periods: Sequence[str],
    values: Sequence[float | None],
    label_gaps: Mapping[int, list[str]],
) -> list[SpcWarning]:
    warnings: list[SpcWarning] = []
    if all(v is None for v in values):
        warnings.append(SpcWarning(WarningCode.NO_VALUES, "The series has no values."))
        return warnings
    for seg in segments:
        if seg.baseline_size < RECOMMENDED_BASELINE_POINTS:
            warnings.append(
                SpcWarning(
                    WarningCode.FEW_POINTS,
                    f"The limits from {seg.first_period} rest on {seg.baseline_size} "
                    f"point{'s' if seg.baseline_size != 1 else ''}; at least "
                    f"{RECOMMENDED_BASELINE_POINTS} are recommended, so treat them as provisional.",
                    seg.index,
                )
            )
        if not seg.has_limits:
            warnings.append(
                SpcWarning(
                    WarningCode.NO_LIMITS,
                    f"No limits from {seg.first_period}: the baseline has no two consecutive "
                    "values to give a moving range.",
                    seg.index,
                )
            )
    missing: list[str] = []
    for i, period in enumerate(periods):
        missing.extend(label_gaps.get(i, []))
        if values[i] is None:
            missing.append(period)
    if missing:
        warnings.append(
            SpcWarning(
                WarningCode.MISSING_PERIODS,
                f"{len(missing)} period{'s are' if len(missing) != 1 else ' is'} missing "
                f"({', '.join(missing)}); nothing was filled in, and moving ranges and runs "
                "stop at each gap.",
            )
        )
    if values[-1] is None:
        latest = next(p for p in reversed(points) if p.value is not None)
        warnings.append(
            SpcWarning(
                WarningCode.LATEST_MISSING,
                f"The latest period ({periods[-1]}) has no value; the reading is for "
                f"{latest.period}.",
            )
        )
    return warnings


# --- the comparison ---------------------------------------------------------------------------


@st.composite
def _values(draw: st.DrawFn) -> list[float | None]:
    """Series shaped to fire every rule: noise, random walks (trends, shifts) and spikes."""
    n = draw(st.integers(min_value=0, max_value=45))
    shape = draw(st.sampled_from(["noise", "walk", "walk", "floats", "flat"]))
    values: list[float | None]
    if shape == "noise":
        top = draw(st.integers(min_value=1, max_value=20))
        values = draw(st.lists(st.integers(0, top), min_size=n, max_size=n))
    elif shape == "walk":
        steps = draw(
            st.lists(st.sampled_from([-2, -1, -1, 0, 1, 1, 1, 2, 3]), min_size=n, max_size=n)
        )
        values = list(itertools.accumulate(steps, initial=draw(st.integers(-5, 50))))[1:]
    elif shape == "floats":
        values = draw(st.lists(st.floats(-50, 50), min_size=n, max_size=n))
    else:
        values = [draw(st.integers(0, 3))] * n
    for _ in range(draw(st.integers(0, 3)) if n else 0):
        i = draw(st.integers(0, n - 1))
        values[i] = draw(st.sampled_from([None, None, 0, 100, -100, 1e6]))
    return values


@st.composite
def _labels(draw: st.DrawFn, n: int) -> list[str]:
    """Month labels with occasional missing months, or other labels (no gaps are read)."""
    kind = draw(st.sampled_from(["months", "months", "months", "other", "mixed"]))
    if kind == "other":
        return [f"w{i}" for i in range(n)]
    month = draw(st.integers(min_value=2000 * 12, max_value=2030 * 12))
    labels = []
    for _ in range(n):
        labels.append(f"{month // 12:04d}-{month % 12 + 1:02d}")
        month += draw(st.sampled_from([1, 1, 1, 1, 1, 2, 3, 14]))
    if kind == "mixed" and labels:
        labels[draw(st.integers(0, n - 1))] = "2020-13"  # not a month: no gaps at all
    return labels


@st.composite
def _specs(draw: st.DrawFn) -> SpcInput:
    values = draw(_values())
    periods = draw(_labels(len(values)))
    n = len(values)
    starts = sorted(set(draw(st.lists(st.integers(1, max(n - 1, 1)), max_size=3)))) if n > 1 else []
    bounds = [0, *starts, n]
    rebases = []
    for k, start in enumerate(starts):
        end = draw(st.one_of(st.none(), st.integers(start, bounds[k + 2] - 1)))
        rebases.append(
            Rebase(
                periods[start],
                "new process",
                date(2024, 1, 1),
                "chief",
                None if end is None else periods[end],
            )
        )
    first_end = None
    if n and draw(st.booleans()):
        first_end = periods[draw(st.integers(0, bounds[1] - 1))]
    return SpcInput(
        observations=[Observation(p, v) for p, v in zip(periods, values, strict=True)],
        polarity=draw(st.sampled_from(list(Polarity))),
        target=draw(st.one_of(st.none(), st.integers(0, 12), st.floats(-100, 100))),
        baseline_end=first_end,
        rebases=rebases,
        counts=draw(st.booleans()),
    )


def _outcome(analysis: Callable[[SpcInput], SpcResult], spec: SpcInput) -> object:
    try:
        return analysis(spec)
    except ValueError as error:
        return ("ValueError", str(error))


@settings(max_examples=examples(1500), deadline=None)
@given(_specs())
def test_analyse_equals_the_reference(spec: SpcInput) -> None:
    assert _outcome(analyse, spec) == _outcome(reference_analyse, spec)


@settings(max_examples=examples(300), deadline=None)
@given(_specs(), st.data())
def test_invalid_input_fails_the_same_way(spec: SpcInput, data: st.DataObject) -> None:
    obs = list(spec.observations)
    if not obs:
        return
    i = data.draw(st.integers(0, len(obs) - 1))
    j = data.draw(st.integers(0, len(obs) - 1))
    broken = data.draw(st.sampled_from(["duplicate", "swap", "infinite", "nan"]))
    if broken == "duplicate":
        obs[i] = Observation(obs[j].period, obs[i].value)
    elif broken == "swap":
        obs[i], obs[j] = obs[j], obs[i]
    else:
        obs[i] = Observation(obs[i].period, math.inf if broken == "infinite" else math.nan)
    try:
        changed = SpcInput(obs, spec.polarity, spec.target, spec.baseline_end, spec.rebases)
    except ValueError:
        return
    assert _outcome(analyse, changed) == _outcome(reference_analyse, changed)


@pytest.mark.parametrize(
    "values",
    [
        [],
        [None, None],
        [5],
        [1, 2, 3, 4, 5, 6, 7, 8, 7, 6, 5, 4, 3, 2, 1],  # a peak: the earlier run wins
        [5, 5, 5, 5, 5, 5, 5, 5],
        [1, 9, 1, 9, 1, 9, 1, 9, 1, 9, 30, 1, 9],
        [3, 3, 3, 9, 9, 3, 3, 3, 3, 9, 9, 9, 9, 9, 9, 9, 9, None, 9, 9],
        [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 9, 5, 9, 5, 1, 5, 1, 9, 5, 5, 9],  # two of three, spread
    ],
)
def test_hand_picked_series_equal_the_reference(values: list[float | None]) -> None:
    periods = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(len(values))]
    spec = SpcInput([Observation(p, v) for p, v in zip(periods, values, strict=True)], "lower", 4)
    assert _outcome(analyse, spec) == _outcome(reference_analyse, spec)
