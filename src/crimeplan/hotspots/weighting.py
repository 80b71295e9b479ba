"""Harm weights per crime from a weight per police.uk crime category.

Hotspots of harm rather than of volume weight each crime by its category (the Cambridge Crime
Harm Index gives days of imprisonment, so one robbery counts as 365 shopliftings). The weights
come in as a plain mapping so this package does not depend on where they are kept; a category
with no weight (anti-social behaviour has no CCHI value) is an error unless the caller says what
it should weigh, because silently dropping or flooring it would change the map unannounced.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def per_crime_weights(
    crime_types: np.ndarray,
    weights: Mapping[str, float],
    default: float | None = None,
) -> np.ndarray:
    """The harm weight of each crime, looked up by its crime type."""
    crime_types = np.asarray(crime_types, dtype=object)
    categories, inverse = np.unique(crime_types.astype(str), return_inverse=True)
    missing = [c for c in categories if c not in weights]
    if missing and default is None:
        raise ValueError(
            "no harm weight for "
            + ", ".join(repr(c) for c in missing)
            + "; give a weight for each or a default"
        )
    table = np.array([float(weights.get(c, default or 0.0)) for c in categories], dtype=np.float64)
    if np.any(~np.isfinite(table)) or np.any(table < 0):
        raise ValueError("harm weights must be finite and not negative")
    return table[inverse.reshape(crime_types.shape)] if categories.size else np.zeros(0)
