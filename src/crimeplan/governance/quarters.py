"""Reporting quarters ("2025-Q2"), as delivery records them, with the months a report covers.

A thin typed wrapper over :mod:`crimeplan.delivery.quarters` (calendar quarters, stored as
strings), adding the first and last months that measure series are cut at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crimeplan.delivery.quarters import previous_quarter, quarter_bounds, quarter_of


@dataclass(frozen=True, order=True)
class Quarter:
    text: str

    @classmethod
    def parse(cls, text: str) -> Quarter:
        text = text.strip()
        try:
            quarter_bounds(text)
        except ValueError:
            raise ValueError(
                f"{text!r} is not a quarter; write it as YYYY-Qn, e.g. 2025-Q2"
            ) from None
        return cls(text)

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(quarter_of(day))

    def __str__(self) -> str:
        return self.text

    @property
    def start(self) -> date:
        return quarter_bounds(self.text)[0]

    @property
    def end(self) -> date:
        return quarter_bounds(self.text)[1]

    @property
    def first_month(self) -> str:
        return self.start.strftime("%Y-%m")

    @property
    def last_month(self) -> str:
        return self.end.strftime("%Y-%m")

    def previous(self) -> Quarter:
        return Quarter(previous_quarter(self.text))
