"""Quarters as delivery records them: ``"2025-Q2"``, calendar quarters (Q2 = April to June).

Strings rather than dates so that a spreadsheet column, a URL and a database value are the same
text, and so that sorting the strings sorts the quarters.
"""

from __future__ import annotations

import datetime as dt
import re

QUARTER_RE = re.compile(r"^(?P<year>\d{4})-Q(?P<q>[1-4])$")


def is_quarter(value: str) -> bool:
    return bool(QUARTER_RE.match(value or ""))


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def current_quarter(today: dt.date | None = None) -> str:
    return quarter_of(today or dt.date.today())


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter."""
    match = QUARTER_RE.match(quarter)
    if not match:
        raise ValueError(f"{quarter!r} is not a quarter like 2025-Q2")
    year, q = int(match["year"]), int(match["q"])
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return start, end


def previous_quarter(quarter: str) -> str:
    start, _ = quarter_bounds(quarter)
    return quarter_of(start - dt.timedelta(days=1))


def quarter_label(quarter: str) -> str:
    start, end = quarter_bounds(quarter)
    return f"{quarter} ({start:%B} to {end:%B %Y})"
