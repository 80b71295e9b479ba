"""What a measure counts, where, and what it is judged against: the plan file's ``measures``.

Kept free of Django so the CLI, the benchmark and the tests build the same definition the
database holds (``Measure.definition()`` returns one of these).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crimeplan.crimedata.categories import CRIME_TYPES
from crimeplan.measures.spc import Polarity, Rebase

ASB = "Anti-social behaviour"
ALL_CRIME = "all_crime"
"""Shorthand for every police.uk crime type except anti-social behaviour (not a crime)."""

SOURCES = ("policeuk", "stats19_ksi", "manual")
GEOGRAPHIES = ("force", "each_district")
UNITS = ("count", "rate_per_1000", "percentage")
HARM = ("none", "cchi", "ons_css")
FORCE_AREA = "force"
"""The area code of the whole force area in stored series."""


@dataclass(frozen=True)
class Target:
    """An absolute target, or a percentage change against the baseline mean."""

    value: float | None = None
    change_percent: float | None = None

    def resolve(self, baseline_mean: float | None) -> float | None:
        if self.value is not None:
            return self.value
        if self.change_percent is None or baseline_mean is None:
            return None
        return baseline_mean * (1 + self.change_percent / 100)

    def label(self) -> str:
        if self.value is not None:
            return f"target of {self.value:g}"
        assert self.change_percent is not None
        word = "reduction" if self.change_percent < 0 else "increase"
        return f"{abs(self.change_percent):g}% {word} target"


@dataclass(frozen=True)
class MeasureDefinition:
    key: str
    title: str
    source: str
    polarity: Polarity
    geography: str = "force"
    unit: str = "count"
    harm: str = "none"
    crime_types: tuple[str, ...] = ()
    baseline_start: str | None = None
    baseline_end: str | None = None
    target: Target | None = None
    rebases: tuple[Rebase, ...] = field(default=())
    description: str = ""
    manual_source: str = ""

    @property
    def counts(self) -> bool:
        return self.unit == "count" and self.harm == "none"

    @property
    def value_places(self) -> int:
        """Decimal places a value is shown with: counts are whole numbers; harm totals, rates
        and percentages have two places."""
        return 0 if self.counts else 2

    @property
    def value_suffix(self) -> str:
        """What follows a value on the page: "%" for percentages (68.6%, not 68.60)."""
        return "%" if self.unit == "percentage" else ""

    def baseline_label(self) -> str:
        """ "2023" for a calendar-year baseline, else "2023-04 to 2024-03"."""
        start, end = self.baseline_start, self.baseline_end
        if start and end and start[:4] == end[:4] and start[5:] == "01" and end[5:] == "12":
            return start[:4]
        if start and end:
            return f"{start} to {end}"
        return "baseline"

    def areas(self, district_codes: list[str]) -> list[str]:
        """Which series exist: the force area always, each district when asked for, or one."""
        if self.geography == "force":
            return [FORCE_AREA]
        if self.geography == "each_district":
            return [FORCE_AREA, *district_codes]
        return [self.geography]

    @property
    def headline_area(self) -> str:
        return self.geography if self.geography not in GEOGRAPHIES else FORCE_AREA

    def unit_label(self) -> str:
        base = {
            "policeuk": "crimes" if ASB not in self.crime_types else "incidents",
            "stats19_ksi": "people killed or seriously injured",
            "manual": "",
        }[self.source]
        if self.harm != "none":
            base = (
                f"harm ({self.harm.upper().replace('_', ' ')} days)"
                if self.harm == "cchi"
                else "harm (ONS crime severity)"
            )
        if self.unit == "rate_per_1000":
            return f"{base} per 1,000 residents".strip()
        if self.unit == "percentage":
            return "%"
        return base


def expand_crime_types(value: str | list[str]) -> tuple[str, ...]:
    if value == ALL_CRIME:
        return tuple(t for t in CRIME_TYPES if t != ASB)
    return tuple(value)


def from_plan_data(item: dict[str, Any]) -> MeasureDefinition:
    """Build a definition from one validated plan-file ``measures`` entry."""
    target = None
    if "target" in item:
        target = Target(item["target"].get("value"), item["target"].get("change_percent"))
    baseline = item.get("baseline") or {}
    rebases = tuple(
        Rebase(
            period=r["period"],
            reason=r["reason"],
            decided_on=date.fromisoformat(str(r["decided_on"])),
            approved_by=r["approved_by"],
            baseline_end=r.get("baseline_end"),
        )
        for r in item.get("rebases", [])
    )
    return MeasureDefinition(
        key=item["id"],
        title=item["title"],
        source=item["source"],
        polarity=Polarity(item["polarity"]),
        geography=item.get("geography", "force"),
        unit=item.get("unit", "count"),
        harm=item.get("harm", "none"),
        crime_types=expand_crime_types(item.get("crime_types", [])),
        baseline_start=baseline.get("start"),
        baseline_end=baseline.get("end"),
        target=target,
        rebases=rebases,
        description=item.get("description", ""),
        manual_source=item.get("manual_source", ""),
    )
