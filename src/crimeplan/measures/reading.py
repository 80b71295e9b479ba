"""The plain-English reading of an SPC result, as a board paper or public page prints it.

Icons and limits mean little to most readers; one sentence saying whether anything has changed
and whether the target will be met is what they act on. The wording follows the NHS "Making Data
Count" vocabulary (special cause improvement / concern; consistently pass / fail; hit or miss)
translated into plain words, and every caution the analysis raised is carried into the text so a
reading never sounds surer than the data allow.
"""

from __future__ import annotations

from dataclasses import dataclass

from crimeplan.measures.spc import (
    SHIFT_LENGTH,
    TREND_LENGTH,
    Assurance,
    Polarity,
    Rule,
    Side,
    SpcResult,
    Variation,
    WarningCode,
)

_NUMBER_WORDS = {7: "seven"}


@dataclass(frozen=True)
class Reading:
    """A headline sentence and the cautions that qualify it."""

    headline: str
    cautions: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join((self.headline, *self.cautions))


def read_result(
    result: SpcResult, measure: str, area: str, target_label: str = "target"
) -> Reading:
    """Read ``result`` for a measure in an area, e.g. ``read_result(r, "Burglary", "Chelmsford",
    "10% reduction target")``.
    """
    subject = f"{measure} in {area}"
    if result.variation is None:
        return Reading(f"{subject} has no data to read yet.", ())
    clauses = [f"{subject} {_variation_clause(result)}"]
    assurance = _assurance_clause(result, f"the {target_label}")
    if assurance:
        clauses.append(assurance)
    return Reading("; ".join(clauses) + ".", _cautions(result))


def _variation_clause(result: SpcResult) -> str:
    latest = result.latest
    if result.variation is Variation.COMMON_CAUSE:
        return f"shows no significant change {_since(result)}"
    evidence = _evidence(result, latest.rule, latest.side)
    if result.variation is Variation.IMPROVEMENT:
        return f"shows a significant improvement: {evidence}"
    if result.variation is Variation.CONCERN:
        return f"shows a significant change for the worse: {evidence}"
    direction = "upward" if latest.side is Side.HIGH else "downward"
    return f"shows a significant {direction} change, neither good nor bad in itself: {evidence}"


def _since(result: SpcResult) -> str:
    segment = result.current_segment
    if segment.rebase is not None:
        return f"since the limits were reset in {segment.first_period}"
    if segment.baseline_last != segment.last_period:
        return "since the baseline"
    count = sum(p.value is not None for p in result.points)
    return f"across the {count} period{'s' if count != 1 else ''} shown"


def _evidence(result: SpcResult, rule: Rule, side: Side) -> str:
    period = result.latest.period
    high = side is Side.HIGH
    if rule is Rule.OUTSIDE_LIMITS:
        limit = "above the upper" if high else "below the lower"
        return f"the latest value ({period}) is {limit} process limit"
    if rule is Rule.TREND:
        moved = "risen" if high else "fallen"
        return f"at least {_words(TREND_LENGTH)} values in a row to {period} have {moved}"
    if rule is Rule.TWO_OF_THREE:
        limit = "upper" if high else "lower"
        return (
            f"two of the latest three values to {period} are close to or beyond the {limit} limit"
        )
    side_word = "above" if high else "below"
    run = _words(SHIFT_LENGTH)
    return f"at least {run} values in a row to {period} are {side_word} the average"


def _assurance_clause(result: SpcResult, target: str) -> str | None:
    if result.target is None or result.polarity is Polarity.NEUTRAL:
        return None
    if result.assurance is Assurance.PASS:
        return f"{target} will be met consistently unless something changes"
    if result.assurance is Assurance.FAIL:
        return f"{target} will not be met unless something changes"
    if result.assurance is Assurance.HIT_OR_MISS:
        return f"{target} will be met only by chance"
    return f"there are too few values to say whether {target} will be met"


def _cautions(result: SpcResult) -> tuple[str, ...]:
    current = result.current_segment.index
    cautions = []
    for warning in result.warnings:
        if warning.code is WarningCode.FEW_POINTS and warning.segment == current:
            size = result.current_segment.baseline_size
            cautions.append(
                f"The limits rest on only {size} value{'s' if size != 1 else ''} (12 or more "
                "are needed for a firm reading), so treat this reading as provisional."
            )
        elif warning.code in (WarningCode.MISSING_PERIODS, WarningCode.LATEST_MISSING):
            cautions.append(warning.message)
    return tuple(cautions)


def _words(n: int) -> str:
    return _NUMBER_WORDS.get(n, str(n))
