"""One measure in one area judged: SPC result, target, icons and the plain-English reading.

Pages, the CLI and (later) board packs all call :func:`assess`, so every place that shows a
measure says the same thing about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crimeplan.measures.definition import MeasureDefinition
from crimeplan.measures.icons import Icon, assurance_icon, icons_html, variation_icon
from crimeplan.measures.reading import Reading, read_result
from crimeplan.measures.spc import Observation, Rebase, SpcInput, SpcResult, analyse


@dataclass(frozen=True)
class Assessment:
    definition: MeasureDefinition
    area_name: str
    result: SpcResult
    target: float | None
    reading: Reading
    variation_icon: Icon | None
    assurance_icon: Icon | None
    notes: tuple[str, ...]
    target_basis: float | None = None
    """The baseline mean a percentage target is set against (None for an absolute target)."""

    def target_text(self) -> str:
        """The target as the unit is counted, with where it comes from: "617 crimes: 10% below
        the 2023 average of 686"."""
        from crimeplan.core.numbers import format_number

        d = self.definition
        if self.target is None or d.target is None:
            return "No target"
        places, suffix = d.value_places, d.value_suffix
        unit = "" if suffix else f" {d.unit_label()}".rstrip()
        text = f"{format_number(self.target, places, suffix)}{unit}"
        pct = d.target.change_percent
        if pct is not None and self.target_basis is not None:
            word = "below" if pct < 0 else "above"
            basis = format_number(self.target_basis, places, suffix)
            text += f": {abs(pct):g}% {word} the {d.baseline_label()} average of {basis}"
        return text

    def icons_html(self) -> str:
        return icons_html(self.variation_icon, self.assurance_icon)

    @property
    def last_period(self) -> str | None:
        latest = self.result.latest
        return latest.period if latest else None


def _baseline_end(periods: Sequence[str], wanted: str | None) -> tuple[str | None, str | None]:
    """The baseline's last period as present in the data, and a note when it had to move."""
    if wanted is None or not periods:
        return None, None
    if wanted in periods:
        return wanted, None
    earlier = [p for p in periods if p <= wanted]
    if earlier:
        return earlier[
            -1
        ], f"The baseline runs to {earlier[-1]}, the last month with data before {wanted}."
    return None, (
        f"No data falls in the baseline period (to {wanted}); limits use every point shown."
    )


def baseline_mean(
    observations: Sequence[Observation], baseline_end: str | None, rebases: Sequence[Rebase]
) -> float | None:
    """The first segment's mean, as :func:`analyse` computes it, without a second analysis: a
    percentage target is set against it before the analysis that judges the target runs."""
    stop = min((r.period for r in rebases), default=None)
    values = [
        o.value
        for o in observations
        if o.value is not None
        and (baseline_end is None or o.period <= baseline_end)
        and (stop is None or o.period < stop)
    ]
    return sum(values) / len(values) if values else None


def assess(
    definition: MeasureDefinition, observations: Sequence[Observation], area_name: str
) -> Assessment:
    periods = [o.period for o in observations if o.value is not None]
    baseline_end, note = _baseline_end(periods, definition.baseline_end)
    rebases = tuple(r for r in definition.rebases if r.period in periods)
    notes = [note] if note else []
    dropped = len(definition.rebases) - len(rebases)
    if dropped:
        notes.append(f"{dropped} recorded rebase(s) fall outside the data shown and are not drawn.")
    target = basis = None
    if definition.target is not None:
        basis = baseline_mean(observations, baseline_end, rebases)
        target = definition.target.resolve(basis)
        if definition.target.change_percent is None:
            basis = None
    # One SpcInput, built once the target is known (not built and then copied with replace).
    spec = SpcInput(
        observations=observations,
        polarity=definition.polarity,
        target=target,
        baseline_end=baseline_end,
        rebases=rebases,
        counts=definition.counts,
    )
    result = analyse(spec)
    label = definition.target.label() if definition.target else "target"
    reading = read_result(result, definition.title, area_name, label)
    return Assessment(
        definition=definition,
        area_name=area_name,
        result=result,
        target=target,
        reading=reading,
        variation_icon=variation_icon(result, size=32),
        assurance_icon=assurance_icon(result, size=32),
        notes=tuple(notes),
        target_basis=basis,
    )
