"""Emerging, persistent and diminishing hotspots between two periods."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from crimeplan.hotspots.analysis import run
from crimeplan.hotspots.emerging import compare_periods


@pytest.fixture(scope="module")
def periods(wgs84_from_bng, lonlat_from_bng):
    area = wgs84_from_bng(shapely.box(0, 0, 5000, 5000))  # 20 × 20 cells of 250 m
    rng = np.random.default_rng(9)

    def crimes(*clusters):
        xs = [rng.uniform(0, 5000, 150)]
        ys = [rng.uniform(0, 5000, 150)]
        for cx, cy in clusters:
            xs.append(rng.uniform(cx, cx + 250, 80))
            ys.append(rng.uniform(cy, cy + 250, 80))
        return lonlat_from_bng(np.concatenate(xs), np.concatenate(ys))

    before = run(area, *crimes((1000, 1000), (4000, 4000)), cell_size=250)
    after = run(before.grid, *crimes((1000, 1000), (1000, 4000)), cell_size=250)
    return before, after


def cell_at(result, x, y):
    ids = result.grid.cell_ids()
    return ids.index(f"E{570000 + x}N{205000 + y}")


def test_trends_per_cell_and_counts(periods):
    before, after = periods
    comparison = compare_periods(before, after)
    assert comparison.trend[cell_at(after, 1000, 1000)] == "persistent"
    assert comparison.trend[cell_at(after, 1000, 4000)] == "emerging"
    assert comparison.trend[cell_at(after, 4000, 4000)] == "diminishing"
    assert comparison.trend[cell_at(after, 2500, 2500)] == "not hot"
    # Counted again here from each period's classes: hot at 95 % means "hot 95%" or "hot 99%".
    hot_before = [c in ("hot 95%", "hot 99%") for c in before.classes]
    hot_after = [c in ("hot 95%", "hot 99%") for c in after.classes]
    pairs = list(zip(hot_before, hot_after, strict=True))
    assert comparison.counts == {
        "emerging": pairs.count((False, True)),
        "persistent": pairs.count((True, True)),
        "diminishing": pairs.count((True, False)),
        "not hot": pairs.count((False, False)),
    }
    assert all(comparison.counts[k] >= 1 for k in ("emerging", "persistent", "diminishing"))


def test_periods_on_different_cells_are_refused(periods, wgs84_from_bng):
    before, _ = periods
    other = run(
        wgs84_from_bng(shapely.box(0, 0, 3000, 3000)), np.array([]), np.array([]), cell_size=250
    )
    with pytest.raises(ValueError, match="different cells"):
        compare_periods(before, other)
