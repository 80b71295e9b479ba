"""What a hotspot request asks for, checked once for the CLI, the pages and the API.

Each shell turns its own input (command-line options, a GET form, API query parameters) into a
:class:`HotspotQuery` through the functions here, so the three accept the same words and refuse
the same mistakes with the same one-line message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from crimeplan.crimedata.categories import CRIME_TYPE_BY_SLUG, CRIME_TYPES
from crimeplan.crimedata.harm import HarmIndex
from crimeplan.hotspots.corrections import CORRECTIONS

FORCE_AREA = "force"
"""The area word for the whole force area (the union of its districts' boundaries)."""
HARM_INDEXES: dict[str, str] = {index.value: index.label for index in HarmIndex}
"""Harm weightings a hotspot map can use, by the name the CLI and URLs give them."""
MIN_CELL_M = 50
MAX_CELL_M = 5000
_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")
_BY_LOWER = {name.lower(): name for name in CRIME_TYPES}


class QueryError(ValueError):
    """A request that cannot be answered; the message is one line a user can act on."""


@dataclass(frozen=True)
class HotspotQuery:
    """One hotspot analysis: area, crime types (empty = all), months, cell, harm, correction."""

    area: str
    month_from: str
    month_to: str
    crime_types: tuple[str, ...] = ()
    cell_size: int | None = None
    harm: str | None = None
    correction: str = "fdr_bh"

    @property
    def period(self) -> tuple[str, str]:
        return (self.month_from, self.month_to)

    def parameters(self) -> dict[str, str | list[str]]:
        """The query as URL parameters (the pages' form and the GeoJSON endpoints share them)."""
        params: dict[str, str | list[str]] = {"from": self.month_from, "to": self.month_to}
        if self.crime_types:
            params["type"] = list(self.crime_types)
        if self.cell_size is not None:
            params["cell"] = str(self.cell_size)
        if self.harm:
            params["harm"] = self.harm
        if self.correction != "fdr_bh":
            params["correction"] = self.correction
        return params


def parse_month(text: str, label: str = "month") -> str:
    """``YYYY-MM`` checked and returned as given; a one-line error otherwise."""
    match = _MONTH.match((text or "").strip())
    if not match or not 1 <= int(match["month"]) <= 12:
        raise QueryError(f"bad {label} {text!r}: give a month as YYYY-MM, e.g. 2025-01")
    return f"{match['year']}-{match['month']}"


def parse_period(month_from: str, month_to: str) -> tuple[str, str]:
    first, last = parse_month(month_from, "--from month"), parse_month(month_to, "--to month")
    if first > last:
        raise QueryError(f"the period runs backwards: {first} is after {last}")
    return first, last


def parse_crime_types(values: Iterable[str]) -> tuple[str, ...]:
    """police.uk crime type names (any case) or API slugs, comma lists allowed; () means all.

    Returned in police.uk's own order without repeats, so equal requests share a cache entry.
    """
    wanted: set[str] = set()
    for value in values:
        for part in (value or "").split(","):
            word = part.strip()
            if not word or word.lower() in {"all", "all crime"}:
                continue
            name = _BY_LOWER.get(word.lower()) or CRIME_TYPE_BY_SLUG.get(word.lower())
            if name is None:
                raise QueryError(
                    f"unknown crime type {word!r}: choose from {', '.join(CRIME_TYPES)}"
                )
            wanted.add(name)
    if len(wanted) == len(CRIME_TYPES):
        return ()
    return tuple(name for name in CRIME_TYPES if name in wanted)


def parse_cell_size(value: str | int | None) -> int | None:
    if value is None or value == "" or value == "auto":
        return None
    try:
        cell = int(str(value).strip())
    except ValueError:
        raise QueryError(f"bad cell size {value!r}: give whole metres, e.g. 250") from None
    if not MIN_CELL_M <= cell <= MAX_CELL_M:
        raise QueryError(f"cell size {cell} m is out of range: use {MIN_CELL_M} to {MAX_CELL_M} m")
    return cell


def parse_harm(value: str | None) -> str | None:
    word = (value or "").strip().lower()
    if word in {"", "none", "count", "counts"}:
        return None
    if word not in HARM_INDEXES:
        raise QueryError(
            f"unknown harm weighting {value!r}: choose none, {', '.join(HARM_INDEXES)}"
        )
    return word


def parse_correction(value: str | None) -> str:
    word = (value or "fdr_bh").strip().lower()
    if word not in CORRECTIONS:
        raise QueryError(f"unknown correction {value!r}: choose {', '.join(CORRECTIONS)}")
    return word
