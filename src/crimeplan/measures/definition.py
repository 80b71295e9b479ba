"""What a measure counts, where, and what it is judged against: the plan file's ``measures``.

Kept free of Django so the CLI, the benchmark and the tests build the same definition the
database holds (``Measure.definition()`` returns one of these).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from crimeplan.crimedata.categories import CRIME_TYPES
from crimeplan.crimedata.harm import HarmIndex
from crimeplan.measures.spc import Polarity, Rebase

ASB = "Anti-social behaviour"
ALL_CRIME = "all_crime"
"""Shorthand for every police.uk crime type except anti-social behaviour (not a crime)."""


# -- the vocabulary: the schema's enums and the model's choices are built from these ---------


class Source(StrEnum):
    """Where a measure's values come from."""

    POLICEUK = "policeuk"
    STATS19_KSI = "stats19_ksi"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return _LABELS[self]


class Unit(StrEnum):
    """What one value of the series is."""

    COUNT = "count"
    RATE = "rate_per_1000"
    PERCENTAGE = "percentage"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: dict[StrEnum, str] = {
    Source.POLICEUK: "police.uk street crime",
    Source.STATS19_KSI: "STATS19 killed or seriously injured",
    Source.MANUAL: "Entered values",
    Unit.COUNT: "Count",
    Unit.RATE: "Rate per 1,000 residents",
    Unit.PERCENTAGE: "Percentage",
}

NO_HARM = "none"
SOURCE_CHOICES = [(s.value, s.label) for s in Source]
UNIT_CHOICES = [(u.value, u.label) for u in Unit]
HARM_CHOICES = [(NO_HARM, "None"), *((i.value, i.label) for i in HarmIndex)]
POLARITY_CHOICES = [(p.value, p.value) for p in Polarity]
GEOGRAPHIES = ("force", "each_district")
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


# -- one mapping between a plan file's measure entry, the stored columns and a definition -----
#
# ``stored`` is a mapping of ``Measure`` column names to values; the model, the plan-file import
# and export, and ``from_plan_data`` all go through it, so a field is added in one place.

SIMPLE_FIELDS: tuple[tuple[str, str, Any], ...] = (
    # (plan-file key, Measure column, default: None when the key is required)
    ("id", "key", None),
    ("title", "title", None),
    ("description", "description", ""),
    ("source", "source", None),
    ("crime_types", "crime_types_spec", []),
    ("geography", "geography", "force"),
    ("unit", "unit", Unit.COUNT.value),
    ("harm", "harm", NO_HARM),
    ("polarity", "polarity", None),
    ("manual_source", "manual_source", ""),
)
STORED_COLUMNS = (
    *(column for _key, column, _default in SIMPLE_FIELDS),
    "baseline_start",
    "baseline_end",
    "target_value",
    "target_change_percent",
)
REBASE_FIELDS = ("period", "reason", "decided_on", "approved_by", "baseline_end")


def stored_from_entry(item: Mapping[str, Any]) -> dict[str, Any]:
    """The ``Measure`` column values of one validated plan-file measure entry."""
    stored = {
        column: item[key] if default is None else item.get(key, default)
        for key, column, default in SIMPLE_FIELDS
    }
    baseline, target = item.get("baseline", {}), item.get("target", {})
    stored["baseline_start"] = baseline.get("start", "")
    stored["baseline_end"] = baseline.get("end", "")
    stored["target_value"] = target.get("value")
    stored["target_change_percent"] = target.get("change_percent")
    return stored


def entry_from_stored(
    stored: Mapping[str, Any], evidences: list[str], rebases: list[dict[str, Any]]
) -> dict[str, Any]:
    """The canonical plan-file entry: keys in file order, defaults and empties left out."""
    entry: dict[str, Any] = {}
    for key, column, default in SIMPLE_FIELDS:
        value = stored[column]
        if default is None or (value != default and value not in ("", [], None)):
            entry[key] = value
        if key == "polarity":
            if stored["baseline_start"]:
                entry["baseline"] = {
                    "start": stored["baseline_start"],
                    "end": stored["baseline_end"],
                }
            if stored["target_value"] is not None:
                entry["target"] = {"value": _number(stored["target_value"])}
            elif stored["target_change_percent"] is not None:
                entry["target"] = {"change_percent": _number(stored["target_change_percent"])}
            if evidences:
                entry["evidences"] = evidences
    if rebases:
        entry["rebases"] = rebases
    return entry


def rebase_stored_from_entry(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "period": item["period"],
        "reason": item["reason"],
        "decided_on": date.fromisoformat(str(item["decided_on"])),
        "approved_by": item["approved_by"],
        "baseline_end": item.get("baseline_end", ""),
    }


def rebase_entry_from_stored(stored: Mapping[str, Any]) -> dict[str, Any]:
    entry = {name: stored[name] for name in REBASE_FIELDS if stored[name]}
    entry["decided_on"] = stored["decided_on"].isoformat()
    return entry


def rebase_from_stored(stored: Mapping[str, Any]) -> Rebase:
    return Rebase(**{**stored, "baseline_end": stored["baseline_end"] or None})


def definition_from_stored(
    stored: Mapping[str, Any], rebases: tuple[Rebase, ...]
) -> MeasureDefinition:
    target = None
    if stored["target_value"] is not None or stored["target_change_percent"] is not None:
        target = Target(stored["target_value"], stored["target_change_percent"])
    spec = stored["crime_types_spec"]
    return MeasureDefinition(
        key=stored["key"],
        title=stored["title"],
        source=stored["source"],
        polarity=Polarity(stored["polarity"]),
        geography=stored["geography"],
        unit=stored["unit"],
        harm=stored["harm"],
        crime_types=expand_crime_types(spec) if spec else (),
        baseline_start=stored["baseline_start"] or None,
        baseline_end=stored["baseline_end"] or None,
        target=target,
        rebases=rebases,
        description=stored["description"],
        manual_source=stored["manual_source"],
    )


def from_plan_data(item: Mapping[str, Any]) -> MeasureDefinition:
    """Build a definition from one validated plan-file ``measures`` entry."""
    rebases = tuple(
        rebase_from_stored(rebase_stored_from_entry(r)) for r in item.get("rebases", [])
    )
    return definition_from_stored(stored_from_entry(item), rebases)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
