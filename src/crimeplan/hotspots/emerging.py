"""Emerging, persistent and diminishing hotspots: Gi* classes of two periods compared.

Both periods must be analysed on the same cells (same boundary and cell size; cells are aligned
to the national grid, so that holds whenever the area and size are the same). A cell is "hot"
when its class is hot at the chosen confidence or above, on adjusted p-values, in each period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crimeplan.hotspots.analysis import HotspotResult
from crimeplan.hotspots.classification import is_hot

TRENDS: tuple[str, ...] = ("emerging", "persistent", "diminishing", "not hot")
"""Emerging: hot now, not before. Persistent: hot in both. Diminishing: hot before, not now."""


@dataclass(frozen=True, eq=False)
class PeriodComparison:
    trend: np.ndarray
    """One of :data:`TRENDS` per cell, in grid order."""
    counts: dict[str, int]
    """Cells per trend, in :data:`TRENDS` order."""
    confidence: int
    before: HotspotResult
    after: HotspotResult


def compare_periods(
    before: HotspotResult, after: HotspotResult, confidence: int = 95
) -> PeriodComparison:
    """Classify each cell's change between an earlier and a later analysis of the same cells."""
    g1, g2 = before.grid, after.grid
    same_cells = (
        g1.cell_size == g2.cell_size
        and (g1.x0, g1.y0, g1.shape) == (g2.x0, g2.y0, g2.shape)
        and np.array_equal(g1.mask, g2.mask)
    )
    if not same_cells:
        raise ValueError(
            "the two periods were analysed on different cells; "
            "use the same boundary and cell size (or pass one Grid to both runs)"
        )
    hot_before = is_hot(before.classes, confidence)
    hot_after = is_hot(after.classes, confidence)
    trend = np.full(g1.n_cells, "not hot", dtype=object)
    trend[hot_after & ~hot_before] = "emerging"
    trend[hot_after & hot_before] = "persistent"
    trend[~hot_after & hot_before] = "diminishing"
    counts = {name: int(np.count_nonzero(trend == name)) for name in TRENDS}
    return PeriodComparison(trend, counts, confidence, before, after)
