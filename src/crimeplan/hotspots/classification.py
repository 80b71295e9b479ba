"""Hot and cold classes from z-scores and adjusted p-values.

A cell is hot (z > 0) or cold (z < 0) at the highest confidence level whose significance level
its adjusted p-value reaches (``p_adjusted ≤ 0.01`` is 99 %, ``≤ 0.05`` 95 %, ``≤ 0.10`` 90 %),
the rule used by Benjamini–Hochberg itself. The signed ``bin`` (+3 … −3) says the same as a number
so tables and maps can sort and label without relying on colour.
"""

from __future__ import annotations

import numpy as np

LEVELS: tuple[tuple[int, float], ...] = ((99, 0.01), (95, 0.05), (90, 0.10))
NOT_SIGNIFICANT = "not significant"
CLASSES: tuple[str, ...] = (
    "hot 99%",
    "hot 95%",
    "hot 90%",
    NOT_SIGNIFICANT,
    "cold 90%",
    "cold 95%",
    "cold 99%",
)
"""Every class, hottest first."""
BINS: dict[str, int] = dict(zip(CLASSES, (3, 2, 1, 0, -1, -2, -3), strict=True))


def bins(z: np.ndarray, p_adjusted: np.ndarray) -> np.ndarray:
    """Signed confidence bin per cell: +3 hot 99 %, … 0 not significant, … −3 cold 99 %."""
    z = np.asarray(z, dtype=float)
    p_adjusted = np.asarray(p_adjusted, dtype=float)
    strength = np.zeros(z.shape, dtype=np.int64)
    for rank, (_, alpha) in zip((3, 2, 1), LEVELS, strict=True):
        strength = np.where((strength == 0) & (p_adjusted <= alpha), rank, strength)
    signed: np.ndarray = np.sign(z).astype(np.int64) * strength
    return signed


def labels(signed_bins: np.ndarray) -> np.ndarray:
    """Class label per cell from its signed bin, e.g. ``2`` → ``"hot 95%"``."""
    named: np.ndarray = np.array(CLASSES, dtype=object)[3 - np.asarray(signed_bins)]
    return named


def is_hot(classes: np.ndarray, confidence: int = 95) -> np.ndarray:
    """Cells hot at ``confidence`` per cent or more (90, 95 or 99)."""
    if confidence not in (99, 95, 90):
        raise ValueError(f"confidence must be 90, 95 or 99, not {confidence}")
    hot = {f"hot {level}%" for level, _ in LEVELS if level >= confidence}
    return np.isin(np.asarray(classes, dtype=object), list(hot))
