"""The one check every entered measure value passes, however it arrives (form, CSV, API).

An entered value is shown on public pages and read with SPC, so a value that cannot be true
(a percentage of 250, a negative headcount, a month not yet over, an area the measure has no
series for, a number that is not finite) is refused where it enters rather than discovered
later on a chart. Each problem names the field, so a form can put it beside the field and a
file loader can report ``file:line: field: message``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from crimeplan.crimedata.districts import districts_for
from crimeplan.measures.definition import FORCE_AREA

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class CheckedValue:
    area: str
    period: str
    value: float


def value_areas(measure: Any) -> list[str]:
    """The areas a measure has series in, so the only ones a value may be entered for."""
    codes = [d.code for d in districts_for(settings.CRIMEPLAN_FORCE)]
    return measure.definition().areas(codes)


def current_month(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{today.year:04d}-{today.month:02d}"


def format_value(value: float) -> str:
    """A value as typed back to the person who entered it: whole numbers without a point,
    others with every digit they gave (``f"{v:g}"`` would round 1234567 to 1.23457e+06)."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    try:
        return float(str(raw).strip())
    except (TypeError, ValueError, OverflowError):
        return None


def check_value(
    measure: Any, area: Any, period: Any, value: Any, today: dt.date | None = None
) -> tuple[CheckedValue | None, list[Problem]]:
    """The value as it would be stored, or every problem with it (and ``None``)."""
    problems: list[Problem] = []
    area = (str(area).strip() if area is not None else "") or FORCE_AREA
    areas = value_areas(measure)
    if area not in areas:
        shown = ", ".join(areas[:4]) + (", ..." if len(areas) > 4 else "")
        problems.append(Problem("area", f"{area!r} is not an area of this measure ({shown})"))

    period = str(period or "").strip()
    if not MONTH.match(period):
        problems.append(Problem("period", "Enter the month as YYYY-MM, for example 2025-03"))
    elif period > current_month(today):
        problems.append(
            Problem("period", f"{period} is after the current month: enter months that are over")
        )

    number = _number(value)
    if number is None:
        problems.append(Problem("value", f"{value!r} is not a number"))
    elif not math.isfinite(number):
        problems.append(Problem("value", f"{value!r} is not a finite number"))
    else:
        problems.extend(_unit_problems(measure.unit, number))
    if problems:
        return None, problems
    return CheckedValue(area, period, number), []


def _unit_problems(unit: str, number: float) -> list[Problem]:
    if unit == "percentage" and not 0 <= number <= 100:
        return [Problem("value", f"{number:g} is not a percentage: enter a number from 0 to 100")]
    if unit == "count":
        if number < 0:
            return [Problem("value", f"{number:g} is negative: a count is 0 or more")]
        if not number.is_integer():
            return [Problem("value", f"{number:g} is not a whole number: a count has no fraction")]
    if unit == "rate_per_1000" and number < 0:
        return [Problem("value", f"{number:g} is negative: a rate is 0 or more")]
    return []
