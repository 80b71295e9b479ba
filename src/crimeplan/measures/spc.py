"""XmR statistical process control as NHS England's "Making Data Count" sets it out.

A board asks two questions of a measure: *is anything changing?* (variation) and *will we meet
the target?* (assurance). Both are answered here from the series alone, with no Django, so the
web page, the command line, the API and the tests all share one set of numbers.

Decisions this module makes, so that nobody has to guess them later:

* **Limits** are ``mean ± 2.66 × mean moving range``; the near-limit ("2σ") lines sit at two
  thirds of that distance. Moving ranges ``≥ 3.267 × mean moving range`` are screened out once
  and the mean moving range is recomputed from the rest. When the mean moving range is zero
  (all values equal) nothing is screened: there is nothing unusual to screen.
* **Baselines**: each segment's mean and limits come from its baseline (its first point through
  ``baseline_end``, or the whole segment when none is given) and are held unchanged over the
  later points. A :class:`Rebase` starts a new segment with its own baseline; it carries the
  reason, the date it was decided and who approved it, because a rebase changes what the chart
  says and has to be answerable. Storing rebases is the measures app's job, not this module's.
* **Comparisons are strict**: a point *on* a limit is not beyond it; a point *on* the mean is on
  neither side and breaks a shift run; two equal neighbours break a trend.
* **Missing months are never filled in.** A missing value (``None``, or a gap between ``YYYY-MM``
  labels) breaks moving ranges and every run (shift, trend, two-of-three); the points either side
  are treated as unconnected. The result warns which periods are missing.
* **Rules run within a segment**: a rebase starts a new process, so runs do not cross it.
* **Precedence** when several rules fire on one point: outside the limits > trend >
  two-of-three > shift. The point's colour and the variation icon follow the winning rule.
* **Two of three** flags the points of the window that are beyond the near-limit line (the two,
  or all three), not the third point that sits inside it.
* **Trend direction**: a point that ends a rising run and starts a falling one (a peak) takes the
  direction of the run that began first.
* **Negative lower limits** of counts are kept as computed for every rule and for assurance (NHS
  practice; a count can never fall below a negative limit, so no rule outcome changes). Only the
  chart shows them at zero, via :attr:`Segment.lower_limit_shown`, when the series is declared as
  counts.
* **Assurance**: a target is *met* by a value ``≥ target`` when higher is better and ``≤ target``
  when lower is better. If every value between the limits meets it: consistently pass; if none
  does: consistently fail; otherwise hit or miss. A neutral measure has no assurance.
* **Fewer than 12 baseline points**: the result carries a warning; the limits are provisional.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple, cast

PROCESS_LIMIT_FACTOR = 2.66
MOVING_RANGE_SCREEN_FACTOR = 3.267
NEAR_LIMIT_FRACTION = 2 / 3
SHIFT_LENGTH = 7
TREND_LENGTH = 7
RECOMMENDED_BASELINE_POINTS = 12

_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


class Polarity(StrEnum):
    """Which direction is improvement."""

    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"


class Rule(StrEnum):
    OUTSIDE_LIMITS = "outside_limits"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"
    SHIFT = "shift"


RULE_PRECEDENCE: tuple[Rule, ...] = (
    Rule.OUTSIDE_LIMITS,
    Rule.TREND,
    Rule.TWO_OF_THREE,
    Rule.SHIFT,
)


class Side(StrEnum):
    HIGH = "high"
    LOW = "low"


class Variation(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEITHER = "neither"


class Assurance(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    HIT_OR_MISS = "hit_or_miss"


class WarningCode(StrEnum):
    FEW_POINTS = "few_points"
    NO_LIMITS = "no_limits"
    MISSING_PERIODS = "missing_periods"
    LATEST_MISSING = "latest_missing"
    NO_VALUES = "no_values"


class Observation(NamedTuple):
    """One period's value; ``None`` means the period is known to be missing.

    A named tuple rather than a frozen dataclass, like :class:`PointResult`: a plan's series
    hold thousands of points, and a tuple is built several times faster while staying immutable.
    """

    period: str
    value: float | None


@dataclass(frozen=True)
class Rebase:
    """A recorded decision to start new limits from ``period`` onwards."""

    period: str
    reason: str
    decided_on: date
    approved_by: str
    baseline_end: str | None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError(f"rebase at {self.period} needs a reason")
        if not self.approved_by.strip():
            raise ValueError(f"rebase at {self.period} needs an approver")


@dataclass(frozen=True)
class SpcInput:
    """A series and what it is judged against.

    ``baseline_end`` fixes the first segment's baseline (its first period through this one);
    ``None`` uses every point of the segment. ``counts`` declares values that cannot be negative,
    which only changes how a negative lower limit is shown.
    """

    observations: Sequence[Observation]
    polarity: Polarity | str = Polarity.NEUTRAL
    target: float | None = None
    baseline_end: str | None = None
    rebases: Sequence[Rebase] = ()
    counts: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "observations", tuple(self.observations))
        object.__setattr__(self, "rebases", tuple(self.rebases))
        object.__setattr__(self, "polarity", Polarity(self.polarity))


@dataclass(frozen=True)
class MovingRange:
    """|x_i − x_(i−1)| for two connected baseline points; ``period`` is the later one."""

    period: str
    value: float
    screened_out: bool


@dataclass(frozen=True)
class Segment:
    """One stretch of the series with one mean and one set of limits."""

    index: int
    first_period: str
    last_period: str
    baseline_first: str
    baseline_last: str
    rebase: Rebase | None
    baseline_size: int
    mean: float | None
    moving_ranges: tuple[MovingRange, ...]
    mean_moving_range_unscreened: float | None
    mean_moving_range: float | None
    upper_limit: float | None
    lower_limit: float | None
    upper_near_limit: float | None
    lower_near_limit: float | None
    counts: bool = False

    @property
    def has_limits(self) -> bool:
        return self.upper_limit is not None

    @property
    def screened_moving_ranges(self) -> tuple[MovingRange, ...]:
        return tuple(mr for mr in self.moving_ranges if mr.screened_out)

    @property
    def lower_limit_shown(self) -> float | None:
        """The lower limit as a chart draws it: at zero for counts when computed below zero."""
        if self.lower_limit is None or not self.counts:
            return self.lower_limit
        return max(self.lower_limit, 0.0)

    @property
    def lower_near_limit_shown(self) -> float | None:
        if self.lower_near_limit is None or not self.counts:
            return self.lower_near_limit
        return max(self.lower_near_limit, 0.0)


@dataclass(frozen=True)
class Signal:
    rule: Rule
    side: Side


class PointResult(NamedTuple):
    """A period with every rule that fired on it and the one that wins by precedence.

    A named tuple: every point of every series analysed is one, and building a frozen dataclass
    (a checked ``object.__setattr__`` per field) took a quarter of :func:`analyse`'s time.
    """

    period: str
    value: float | None
    segment: int
    in_baseline: bool
    moving_range: float | None
    signals: tuple[Signal, ...]
    variation: Variation | None

    @property
    def rules(self) -> frozenset[Rule]:
        return frozenset(s.rule for s in self.signals)

    @property
    def signal(self) -> Signal | None:
        """The winning signal after precedence, or ``None`` for common cause."""
        return self.signals[0] if self.signals else None

    @property
    def rule(self) -> Rule | None:
        return self.signals[0].rule if self.signals else None

    @property
    def side(self) -> Side | None:
        return self.signals[0].side if self.signals else None


@dataclass(frozen=True)
class SpcWarning:
    code: WarningCode
    message: str
    segment: int | None = None


@dataclass(frozen=True)
class SpcResult:
    points: tuple[PointResult, ...]
    segments: tuple[Segment, ...]
    polarity: Polarity
    target: float | None
    variation: Variation | None
    assurance: Assurance | None
    warnings: tuple[SpcWarning, ...] = field(default=())
    counts: bool = False

    @property
    def latest(self) -> PointResult | None:
        """The latest point with a value: the one the variation icon reads."""
        for point in reversed(self.points):
            if point.value is not None:
                return point
        return None

    @property
    def current_segment(self) -> Segment | None:
        return self.segments[-1] if self.segments else None

    def warning(self, code: WarningCode) -> SpcWarning | None:
        return next((w for w in self.warnings if w.code == code), None)


def observations(periods: Iterable[str], values: Iterable[float | None]) -> tuple[Observation, ...]:
    """Pair period labels with values (``None`` for a missing period)."""
    periods, values = list(periods), list(values)
    if len(periods) != len(values):
        raise ValueError(f"{len(periods)} periods but {len(values)} values")
    return tuple(Observation(p, v) for p, v in zip(periods, values, strict=True))


def analyse(spec: SpcInput) -> SpcResult:
    """Run the XmR analysis: segments, limits, signals, the two icons and warnings.

    Written for speed (a plan's measures run hundreds of series per page and per board pack):
    one pass per step over plain lists, with blocks of connected points handled as index ranges.
    ``tests/measures/test_spc_reference.py`` holds the straightforward version and checks that
    this one gives an equal result, field for field, on any series.
    """
    obs = spec.observations
    n = len(obs)
    periods = [o.period for o in obs]
    values: list[float | None] = []
    for o in obs:
        value = o.value
        if value is not None:
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"{o.period}: value {o.value!r} is not a finite number")
        values.append(value)
    _check_unique(periods)
    label_gaps = _label_gaps(periods)
    segment_starts, rebases, baseline_ends = _segment_plan(spec, periods)

    segment_of = [0] * n
    for k in range(1, len(segment_starts)):
        start = segment_starts[k]
        segment_of[start:] = [k] * (n - start)

    # Point i joins point i−1 (for moving ranges and runs) when both have values, they share a
    # segment and no month is missing between them.
    joined = [False] * n
    moving: list[float | None] = [None] * n
    for i in range(1, n):
        value, before = values[i], values[i - 1]
        if (
            value is not None
            and before is not None
            and segment_of[i] == segment_of[i - 1]
            and i not in label_gaps
        ):
            joined[i] = True
            moving[i] = abs(value - before)

    segments: list[Segment] = []
    in_baseline = [False] * n
    for k, start in enumerate(segment_starts):
        end = segment_starts[k + 1] - 1 if k + 1 < len(segment_starts) else n - 1
        base_end = baseline_ends[k]
        in_baseline[start : base_end + 1] = [True] * (base_end + 1 - start)
        segments.append(
            _segment(k, start, end, base_end, rebases[k], periods, values, moving, spec.counts)
        )

    # Each point's signals, appended rule by rule in precedence order within its block.
    signals: list[tuple[Signal, ...]] = [()] * n
    for first, last in _connected_blocks(values, joined):
        seg = segments[segment_of[first]]
        block = cast(list[float], values[first : last + 1])  # a block joins present values
        for rule in RULE_PRECEDENCE:
            for offset, side in _RULE_CHECKS[rule](block, seg).items():
                signals[first + offset] += (_SIGNALS[rule, side],)

    polarity = Polarity(spec.polarity)
    variation_of = {side: _variation(side, polarity) for side in Side}
    common = Variation.COMMON_CAUSE
    variations = [
        None if value is None else variation_of[ordered[0].side] if ordered else common
        for value, ordered in zip(values, signals, strict=True)
    ]
    points = list(
        map(PointResult, periods, values, segment_of, in_baseline, moving, signals, variations)
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


_SIGNALS: dict[tuple[Rule, Side], Signal] = {(r, s): Signal(r, s) for r in Rule for s in Side}
"""Signals are immutable values, so every point shares these instead of building its own."""


def _check_unique(periods: Sequence[str]) -> None:
    if len(set(periods)) == len(periods):
        return
    seen: set[str] = set()
    for p in periods:
        if p in seen:
            raise ValueError(f"period {p} appears twice")
        seen.add(p)


@functools.lru_cache(maxsize=4096)
def _month_number(label: str) -> int | None:
    """Months since year 0 for a ``YYYY-MM`` label, else ``None``.

    Cached: a plan's series share the same few dozen labels, and parsing them is pure.
    """
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
    if not periods:
        return {}
    maybe = [_month_number(p) for p in periods]
    numbers = [n for n in maybe if n is not None]
    if len(numbers) != len(maybe):
        return {}
    first = numbers[0]
    if numbers == list(range(first, first + len(numbers))):
        return {}  # the usual case: every month present, in order
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
    # A moving range belongs to the baseline when both its points do: skip the segment's first.
    wanted = [i for i in range(start + 1, base_end + 1) if moving[i] is not None]
    scale = _scale(base_values)
    if scale != 1.0:
        # Near the largest float, sums and differences overflow to infinity (and once every
        # range is infinite, all are screened out and nothing is left to average). Scaling by a
        # power of two is exact, so the figures are the ones unscaled arithmetic would give.
        base_values = [v / scale for v in base_values]
        raw = [
            (periods[i], abs(here / scale - before / scale))
            for i in wanted
            if (here := values[i]) is not None and (before := values[i - 1]) is not None
        ]
    else:
        raw = [(periods[i], mr) for i in wanted if (mr := moving[i]) is not None]
    mean = sum(base_values) / len(base_values) if base_values else None
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
    if scale != 1.0:
        # Scaled back, a limit or range beyond the largest float is infinite: no point is
        # beyond an infinite limit, which is what such a spread means.
        mean = None if mean is None else mean * scale
        ranges = [MovingRange(mr.period, mr.value * scale, mr.screened_out) for mr in ranges]
        mean_mr_unscreened, mean_mr, upper, lower, upper_near, lower_near = (
            None if x is None else x * scale
            for x in (mean_mr_unscreened, mean_mr, upper, lower, upper_near, lower_near)
        )
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


SAFE_MAGNITUDE = 2.0**1000
"""Below this, a baseline's sums, ranges and limits cannot overflow a float (a series holds far
fewer than 2**23 points), so the usual series is computed unscaled, exactly as before."""


def _scale(base_values: Sequence[float]) -> float:
    """1, or a power of two that brings the largest magnitude below 2 (2**1024 overflows)."""
    largest = max((abs(v) for v in base_values), default=0.0)
    if largest < SAFE_MAGNITUDE:
        return 1.0
    return math.ldexp(1.0, math.frexp(largest)[1] - 1)


def _connected_blocks(values: Sequence[float | None], joined: Sequence[bool]) -> list[list[int]]:
    """Runs of joined points as ``[first, last]`` index pairs (a block is always contiguous)."""
    blocks: list[list[int]] = []
    for i, value in enumerate(values):
        if value is None:
            continue
        if joined[i]:
            blocks[-1][1] = i
        else:
            blocks.append([i, i])
    return blocks


def _outside_limits(values: Sequence[float], seg: Segment) -> dict[int, Side]:
    upper, lower = seg.upper_limit, seg.lower_limit
    if upper is None or lower is None:
        return {}
    flags = {}
    for j, v in enumerate(values):
        if v > upper:
            flags[j] = Side.HIGH
        elif v < lower:
            flags[j] = Side.LOW
    return flags


def _runs(labels: Sequence[Side | None], length: int) -> dict[int, Side]:
    """Indices in runs of at least ``length`` equal, non-``None`` labels; first run wins."""
    flags: dict[int, Side] = {}
    position = 0
    for label, group in itertools.groupby(labels):
        size = len(list(group))
        if label is not None and size >= length:
            for m in range(position, position + size):
                flags.setdefault(m, label)
        position += size
    return flags


def _trends(values: Sequence[float]) -> dict[int, Side]:
    # Label each step between neighbours; a run of TREND_LENGTH − 1 equal steps spans
    # TREND_LENGTH points. A tie is a None step and breaks the run.
    if len(values) < TREND_LENGTH:
        return {}
    steps: list[Side | None] = [
        Side.HIGH if b > a else Side.LOW if b < a else None
        for a, b in zip(values, values[1:], strict=False)
    ]
    flags: dict[int, Side] = {}
    # _runs gives step indices in ascending order, so a peak keeps the earlier run's side.
    for step_index, side in _runs(steps, TREND_LENGTH - 1).items():
        flags.setdefault(step_index, side)
        flags.setdefault(step_index + 1, side)
    return flags


def _shifts(values: Sequence[float], seg: Segment) -> dict[int, Side]:
    mean = seg.mean
    if mean is None or len(values) < SHIFT_LENGTH:
        return {}
    sides = [Side.HIGH if v > mean else Side.LOW if v < mean else None for v in values]
    return _runs(sides, SHIFT_LENGTH)


def _two_of_three(values: Sequence[float], seg: Segment) -> dict[int, Side]:
    """Points beyond a near-limit line with another beyond the same line in a window of three.

    Within a block of at least three points, two points at most two apart always share a
    window, so a point is flagged when a neighbour one or two places away is beyond the same
    line: the same as sliding the window, without building each window.
    """
    upper, lower = seg.upper_near_limit, seg.lower_near_limit
    if upper is None or lower is None or len(values) < 3:
        return {}
    beyond = [Side.HIGH if v > upper else Side.LOW if v < lower else None for v in values]
    last = len(beyond) - 1
    flags: dict[int, Side] = {}
    for m, side in enumerate(beyond):
        if side is not None and (
            (m >= 1 and beyond[m - 1] is side)
            or (m >= 2 and beyond[m - 2] is side)
            or (m < last and beyond[m + 1] is side)
            or (m + 1 < last and beyond[m + 2] is side)
        ):
            flags[m] = side
    return flags


_RULE_CHECKS: dict[Rule, Callable[[Sequence[float], Segment], dict[int, Side]]] = {
    Rule.OUTSIDE_LIMITS: _outside_limits,
    Rule.TREND: lambda values, _segment: _trends(values),
    Rule.TWO_OF_THREE: _two_of_three,
    Rule.SHIFT: _shifts,
}
"""Each rule's check; :func:`analyse` runs them in :data:`RULE_PRECEDENCE` order, so a point's
signals come out ordered by precedence and the first one wins."""


def _variation(side: Side, polarity: Polarity) -> Variation:
    if polarity is Polarity.NEUTRAL:
        return Variation.NEITHER
    good = Side.HIGH if polarity is Polarity.HIGHER else Side.LOW
    return Variation.IMPROVEMENT if side is good else Variation.CONCERN


def _assurance(target: float | None, polarity: Polarity, seg: Segment | None) -> Assurance | None:
    if target is None or polarity is Polarity.NEUTRAL or seg is None or not seg.has_limits:
        return None
    lower, upper = seg.lower_limit, seg.upper_limit
    if lower is None or upper is None:
        return None
    if polarity is Polarity.HIGHER:
        always, never = lower >= target, upper < target
    else:
        always, never = upper <= target, lower > target
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
    if label_gaps or None in values:  # most series have every month: nothing to list
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
