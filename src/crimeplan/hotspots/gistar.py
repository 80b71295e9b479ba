"""Getis-Ord Gi* on a raster of square cells, with binary weights over the 3×3 block.

With binary weights that include the cell itself, Gi* reduces to

    z_i = (Σ_{j∈N(i)} x_j − x̄·W_i) / (S·sqrt((n·W_i − W_i²)/(n − 1))),   S² = mean(x²) − x̄²,

where N(i) is the cell and its (up to) 8 neighbours that are in the area and ``W_i`` is how many
there are. This is the analytic z-score of ``esda.G_Local(star=True, transform="B")``; computing
the block sums by shifting the raster nine times replaces building and multiplying a sparse
weights matrix, which is where the time goes for tens of thousands of cells.

The statistic is undefined when the area has fewer than two cells or every cell holds the same
value (S = 0, including "no crimes at all"). Then every z is 0 and every p is 1 and ``reason``
says why, so nothing downstream divides by zero or meets a NaN. A cell whose 3×3 block holds the
whole area (W_i = n, only in areas of nine cells or fewer) has no variance either; its z is 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

METHOD = "Getis-Ord Gi* (binary weights, queen contiguity incl. self, analytic z)"


@dataclass(frozen=True)
class GiStar:
    """z-scores and two-sided normal p-values per cell (row-major order of the mask)."""

    z: np.ndarray
    p: np.ndarray
    neighbours: np.ndarray
    """W_i: cells of the area in each cell's 3×3 block, itself included."""
    n: int
    mean: float
    std: float
    """S, the population standard deviation of the cell values."""
    reason: str | None
    """Why the statistic is undefined, or ``None`` when it is defined."""

    @property
    def defined(self) -> bool:
        return self.reason is None


def block_sum(raster: np.ndarray) -> np.ndarray:
    """Sum over each cell's 3×3 block (cells beyond the raster count as zero)."""
    nrows, ncols = raster.shape
    padded = np.pad(raster, 1)
    total = np.zeros(raster.shape, dtype=np.result_type(raster, np.float64))
    for dr in range(3):
        for dc in range(3):
            total += padded[dr : dr + nrows, dc : dc + ncols]
    return total


def two_sided_p(z: np.ndarray) -> np.ndarray:
    """P(|Z| ≥ |z|) for a standard normal Z, accurate far into the tails."""
    p: np.ndarray = 2.0 * ndtr(-np.abs(z))
    return p


def gi_star(values: np.ndarray, mask: np.ndarray) -> GiStar:
    """Gi* for the cells marked in ``mask``; ``values`` is a raster of the same shape.

    Values outside the mask are ignored. The result's arrays follow ``np.nonzero(mask)`` order.
    """
    mask = np.asarray(mask, dtype=bool)
    values = np.asarray(values, dtype=np.float64)
    if values.shape != mask.shape:
        raise ValueError(f"values {values.shape} and mask {mask.shape} differ in shape")
    x = np.where(mask, values, 0.0)
    cells = x[mask]
    n = int(cells.size)
    w = block_sum(mask.astype(np.float64))[mask]
    if n == 0:
        raise ValueError("the area has no cells")
    if not np.all(np.isfinite(cells)):
        raise ValueError("cell values must be finite")
    mean = float(cells.mean())
    reason = None
    if n < 2:
        reason = "the area has a single cell, so no cell can stand out from the others"
    elif cells.min() == cells.max():
        reason = (
            "no crimes in the area for this period"
            if cells.max() == 0
            else "every cell holds the same value"
        ) + ", so Gi* is undefined (zero variance); no cell is a hotspot or a coldspot"
    if reason is not None:
        zeros = np.zeros(n)
        return GiStar(zeros, np.ones(n), w, n, mean, 0.0, reason)

    variance = float((cells * cells).mean()) - mean * mean
    std = float(np.sqrt(max(variance, 0.0)))
    local = block_sum(x)[mask]
    spread = w * (n - w)
    z = np.zeros(n)
    has_spread = spread > 0
    z[has_spread] = (local[has_spread] - mean * w[has_spread]) / (
        std * np.sqrt(spread[has_spread] / (n - 1))
    )
    return GiStar(z, two_sided_p(z), w, n, mean, std, None)
