"""Reporting quarters ("2025-Q2"): the months and dates a quarterly board report covers.

Calendar quarters, as the seeds' quarterly reports to the Performance, Resource and Scrutiny
Board use; a plan that reports by financial year can still name its quarters this way.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a quarter; write it as YYYY-Qn, e.g. 2025-Q2")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def months(self) -> tuple[str, str, str]:
        first = 3 * (self.number - 1) + 1
        return tuple(f"{self.year}-{m:02d}" for m in range(first, first + 3))  # type: ignore[return-value]

    @property
    def first_month(self) -> str:
        return self.months[0]

    @property
    def last_month(self) -> str:
        return self.months[-1]

    @property
    def start(self) -> date:
        return date(self.year, 3 * (self.number - 1) + 1, 1)

    @property
    def end(self) -> date:
        month = 3 * self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )
