"""How every figure is rounded and printed: one rule for pages, charts and downloads.

No Django here, so charts and statistics code can use it too.
"""

from __future__ import annotations

import decimal
from typing import Any


def rounded(value: Any, places: int) -> decimal.Decimal | None:
    """``value`` to ``places`` decimals, halves away from zero, as people round by hand.

    Binary floats round 96.25 down (it is stored as 96.2499…); going through the shortest
    decimal text first gives 96.3 on the page, in the chart and in every download alike.
    """
    if value is None:
        return None
    try:
        exact = decimal.Decimal(repr(float(value))) if not isinstance(value, int) else None
    except (TypeError, ValueError):
        return None
    if exact is None:
        exact = decimal.Decimal(value)
    if not exact.is_finite():
        return None
    step = decimal.Decimal(1).scaleb(-places)
    # Enough digits for the whole number: the default 28 refuses 1.7e308, a value stored
    # before entry was checked that the pages must still print.
    with decimal.localcontext() as context:
        context.prec = max(context.prec, exact.adjusted() + places + 2)
        return exact.quantize(step, rounding=decimal.ROUND_HALF_UP)


def format_number(value: Any, places: int = 0, unit: str = "") -> str:
    """A figure as the page prints it: thousands separators, fixed places, then its unit."""
    number = rounded(value, places)
    if number is None:
        return "–" if value is None else str(value)
    return f"{number:,.{places}f}{unit}"
