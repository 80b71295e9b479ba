"""The district page's comparison: which squares are emerging, persistent or diminishing
hotspots against the same number of months just before the period asked for.

The earlier period is analysed on the same cells (the same area and cell size) and compared
with :func:`crimeplan.hotspots.emerging.compare_periods`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from crimeplan.crimedata.store import CrimeStore
from crimeplan.hotspots.cached import cached_analysis
from crimeplan.hotspots.emerging import PeriodComparison, compare_periods
from crimeplan.hotspots.query import HotspotQuery
from crimeplan.hotspots.store_query import AreaHotspots

SHOWN_CELLS = 10


def _month_number(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def _month(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def earlier_period(query: HotspotQuery, loaded: Sequence[str]) -> tuple[str, str] | None:
    """The months just before the query's, as many as it has, if every one is loaded."""
    first, last = _month_number(query.month_from), _month_number(query.month_to)
    length = last - first + 1
    months = [_month(n) for n in range(first - length, first)]
    return (months[0], months[-1]) if set(months) <= set(loaded) else None


@dataclass(frozen=True)
class Trend:
    """The comparison and the squares to list, hottest (latest z) first, by trend."""

    period: tuple[str, str]
    comparison: PeriodComparison
    cells: dict[str, list[str]]


def compare_with_earlier(
    store: CrimeStore, hotspots: AreaHotspots, query: HotspotQuery, force: str, loaded: list[str]
) -> Trend | None:
    """``None`` when the earlier months are not all loaded or the later period has no classes."""
    earlier = earlier_period(query, loaded)
    if earlier is None or hotspots.result.message:
        return None
    before_query = replace(
        query, month_from=earlier[0], month_to=earlier[1], cell_size=hotspots.result.cell_size
    )
    before = cached_analysis(store, before_query, force, loaded)
    comparison = compare_periods(before.result, hotspots.result)
    grid = hotspots.result.grid
    ids = grid.cell_ids()
    cells = {}
    for trend in ("emerging", "persistent", "diminishing"):
        # Diminishing squares are ranked by how hot they were; the others by how hot they are.
        z = np.nan_to_num(before.result.z if trend == "diminishing" else hotspots.result.z)
        chosen = sorted(np.flatnonzero(comparison.trend == trend), key=lambda i: -z[i])
        cells[trend] = [ids[i] for i in chosen[:SHOWN_CELLS]]
    return Trend(earlier, comparison, cells)
