"""Corrections of per-cell p-values for testing thousands of cells at once.

A grid of a few thousand cells tested at 5 % would show about one in twenty cells "significant"
by chance alone, so the adjusted p-value is what classifies a cell. Benjamini–Hochberg controls
the false discovery rate (the share of flagged cells that are flukes) and is the default, as the
design asks; Holm controls the chance of any fluke at all and suits a small number of cells;
"none" gives the raw p-values for comparison with tools that do not correct.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

Correction = Literal["fdr_bh", "holm", "none"]
CORRECTIONS: dict[str, str] = {
    "fdr_bh": "Benjamini–Hochberg false discovery rate",
    "holm": "Holm family-wise error rate",
    "none": "none (unadjusted p-values)",
}


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """BH adjusted p-values: ``min over k ≥ i of (m / k) · p_(k)``, capped at 1."""
    p = np.asarray(p, dtype=float)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(ranked, 1.0)
    return adjusted


def holm(p: np.ndarray) -> np.ndarray:
    """Holm adjusted p-values: ``max over k ≤ i of (m − k + 1) · p_(k)``, capped at 1."""
    p = np.asarray(p, dtype=float)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    ranked = np.maximum.accumulate(p[order] * (m - np.arange(m)))
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(ranked, 1.0)
    return adjusted


def adjust(p: np.ndarray, correction: str = "fdr_bh") -> np.ndarray:
    """Adjusted p-values by the named correction (see :data:`CORRECTIONS`)."""
    if correction == "fdr_bh":
        return benjamini_hochberg(p)
    if correction == "holm":
        return holm(p)
    if correction == "none":
        return np.asarray(p, dtype=float).copy()
    raise ValueError(f"unknown correction {correction!r}; choose one of {', '.join(CORRECTIONS)}")
