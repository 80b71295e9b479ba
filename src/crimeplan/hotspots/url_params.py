"""Hotspot queries from URL parameters: the map page's GET form, its GeoJSON and the API.

All three read the same names (``type``, ``from``, ``to``, ``cell``, ``harm``, ``correction``),
so a page's links to its own GeoJSON, SVG and API answer carry its query unchanged. Missing
months default to the latest loaded ones; every mistake is reported against the field it
belongs to, for a GOV.UK error summary or a JSON 400.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from crimeplan.hotspots.query import (
    HotspotQuery,
    QueryError,
    parse_cell_size,
    parse_correction,
    parse_crime_types,
    parse_harm,
    parse_month,
)

WEB_CELL_SIZES: tuple[int, ...] = (200, 250, 300, 400, 500, 750, 1000, 1500, 2000)
"""Cell sizes the pages and API offer: a district's map stays a few thousand cells at most."""
FIELD_IDS = {
    "type": "type",
    "from": "month-from",
    "to": "month-to",
    "cell": "cell",
    "harm": "harm",
    "correction": "correction",
}
"""URL parameter → the id of its form control, for error summary links."""


@dataclass
class ParsedQuery:
    query: HotspotQuery | None
    errors: dict[str, str] = field(default_factory=dict)
    """URL parameter name → message."""
    values: dict[str, Any] = field(default_factory=dict)
    """What the form shows selected (the parsed value, or what was typed when it was wrong)."""


def query_from_params(
    params: QueryDict, area: str, months: list[str], default: tuple[str, str]
) -> ParsedQuery:
    """Read a query for ``area``; months must be among ``months`` (those loaded)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    def read(name: str, parse: Callable[[Any], Any], raw: Any) -> Any:
        values[name] = raw
        try:
            parsed = parse(raw)
        except QueryError as exc:
            errors[name] = str(exc)
            return None
        values[name] = parsed
        return parsed

    crime_types = read("type", parse_crime_types, params.getlist("type"))
    month_from = read(
        "from", lambda v: parse_month(v, "first month"), params.get("from") or default[0]
    )
    month_to = read("to", lambda v: parse_month(v, "last month"), params.get("to") or default[1])
    cell = read("cell", _web_cell_size, params.get("cell", ""))
    harm = read("harm", parse_harm, params.get("harm", ""))
    correction = read("correction", parse_correction, params.get("correction", ""))
    for name, month in (("from", month_from), ("to", month_to)):
        if month is not None and months and month not in months:
            errors[name] = (
                f"no crime data loaded for {month}: choose a month from {months[0]} to {months[-1]}"
            )
    if month_from and month_to and "from" not in errors and "to" not in errors:
        if month_from > month_to:
            errors["to"] = (
                f"the last month ({month_to}) must not be before the first ({month_from})"
            )
    if errors:
        return ParsedQuery(None, errors, values)
    query = HotspotQuery(
        area=area,
        month_from=month_from,
        month_to=month_to,
        crime_types=crime_types,
        cell_size=cell,
        harm=harm,
        correction=correction,
    )
    return ParsedQuery(query, {}, values)


def _web_cell_size(value: str) -> int | None:
    cell = parse_cell_size(value)
    if cell is not None and cell not in WEB_CELL_SIZES:
        sizes = ", ".join(str(s) for s in WEB_CELL_SIZES)
        raise QueryError(f"choose a cell size of {sizes} m, or automatic")
    return cell
