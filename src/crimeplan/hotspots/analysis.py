"""One hotspot analysis of an area and period: grid, counts, Gi*, correction, classes.

This is the entry point the CLI, the API and the map pages call; they pass plain arrays of the
crimes' coordinates (and harm weights) and get back a :class:`HotspotResult` that holds every
figure they show, so none of them computes statistics of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from shapely.geometry.base import BaseGeometry

from crimeplan.hotspots import classification, corrections
from crimeplan.hotspots.gistar import METHOD, gi_star
from crimeplan.hotspots.grid import Grid, build_grid, to_bng


@dataclass(frozen=True)
class CellSummary:
    """One row of a "hottest cells" table."""

    index: int
    """The cell's position in grid order (in ``HotspotResult``'s per-cell arrays)."""
    cell_id: str
    row: int
    col: int
    longitude: float
    latitude: float
    count: int
    harm: float | None
    z: float
    p_adjusted: float
    cls: str


@dataclass(frozen=True, eq=False)
class HotspotResult:
    """Per-cell arrays follow ``grid`` order; labels describe what was analysed."""

    grid: Grid
    counts: np.ndarray
    """Crimes per cell (always counts, even when the statistic used harm)."""
    harm: np.ndarray | None
    """Harm per cell when weighted, else ``None``; Gi* then ran on harm."""
    z: np.ndarray
    p: np.ndarray
    p_adjusted: np.ndarray
    bins: np.ndarray
    """Signed confidence bin per cell, +3 hot 99 % … −3 cold 99 % (see ``classification``)."""
    correction: str
    n_points_used: int
    n_points_outside: int
    n_points_without_location: int
    message: str | None
    """Why no cell can be classed (no crimes, one cell, all equal), else ``None``."""
    weighting: str | None
    """How harm was weighted (source and method), ``None`` for counts."""
    area: str | None = None
    period: tuple[str, str] | None = None
    crime_types: tuple[str, ...] = ()
    method: str = METHOD

    @property
    def cell_size(self) -> int:
        return self.grid.cell_size

    @property
    def n_cells(self) -> int:
        return self.grid.n_cells

    @cached_property
    def classes(self) -> np.ndarray:
        """Class label per cell (``"hot 95%"`` …), from ``bins``."""
        return classification.labels(self.bins)

    @property
    def crime_types_label(self) -> str:
        """The crime types analysed, for tables and pages: "All crime types" when not chosen."""
        return ", ".join(self.crime_types) or "All crime types"

    @property
    def values(self) -> np.ndarray:
        """What Gi* was computed on: harm when weighted, else counts."""
        return self.counts.astype(float) if self.harm is None else self.harm

    def class_counts(self) -> dict[str, int]:
        """Cells per class, hottest first, every class present (zero when none)."""
        found = dict(zip(*np.unique(self.classes.astype(str), return_counts=True), strict=True))
        return {label: int(found.get(label, 0)) for label in classification.CLASSES}

    def hottest(self, n: int = 10) -> list[CellSummary]:
        """The ``n`` cells with the highest z that are hot, hottest first."""
        hot = np.flatnonzero(self.bins > 0)
        order = hot[np.lexsort((-self.values[hot], -self.z[hot]))][:n]
        # Ids and centres of the chosen cells only: projecting every cell cost more than the rest.
        ids = self.grid.cell_ids(order)
        lon, lat = self.grid.cell_centres_wgs84(order)
        return [
            CellSummary(
                index=int(i),
                cell_id=ids[k],
                row=int(self.grid.rows[i]),
                col=int(self.grid.cols[i]),
                longitude=float(lon[k]),
                latitude=float(lat[k]),
                count=int(self.counts[i]),
                harm=None if self.harm is None else float(self.harm[i]),
                z=float(self.z[i]),
                p_adjusted=float(self.p_adjusted[i]),
                cls=str(self.classes[i]),
            )
            for k, i in enumerate(order)
        ]


def run(
    boundary: BaseGeometry | Grid,
    lon: np.ndarray,
    lat: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    weighting: str | None = None,
    cell_size: int | None = None,
    correction: str = "fdr_bh",
    area: str | None = None,
    period: tuple[str, str] | None = None,
    crime_types: Sequence[str] = (),
) -> HotspotResult:
    """Gi* hotspots of the crimes at ``lon``/``lat`` (WGS84) within ``boundary``.

    ``boundary`` is the area's WGS84 (multi)polygon, or a :class:`Grid` already built for it
    (to compare periods on identical cells). ``weights`` gives each crime's harm (see
    :func:`crimeplan.hotspots.weighting.per_crime_weights`) and ``weighting`` must then say where
    the weights come from, because a harm figure is never shown without its source.
    """
    if correction not in corrections.CORRECTIONS:
        raise ValueError(
            f"unknown correction {correction!r}; choose one of {', '.join(corrections.CORRECTIONS)}"
        )
    if weights is not None and not weighting:
        raise ValueError("harm weights need a description of their source and method (weighting)")
    if isinstance(boundary, Grid):
        if cell_size is not None and cell_size != boundary.cell_size:
            raise ValueError(f"the grid has {boundary.cell_size} m cells, not {cell_size} m")
        grid = boundary
    else:
        grid = build_grid(boundary, cell_size)

    x, y = to_bng(lon, lat)
    assignment = grid.assign_bng(x, y)
    used = assignment.cell >= 0
    counts = np.bincount(assignment.cell[used], minlength=grid.n_cells)
    harm = None
    if weights is not None:
        weights = np.asarray(weights, dtype=float)
        if weights.shape != x.shape:
            raise ValueError(f"{weights.size} weights for {x.size} crimes")
        harm = np.bincount(assignment.cell[used], weights[used], minlength=grid.n_cells)
    values = counts.astype(float) if harm is None else harm

    stat = gi_star(grid.raster(values), grid.mask)
    p_adjusted = corrections.adjust(stat.p, correction)
    bins = classification.bins(stat.z, p_adjusted)
    return HotspotResult(
        grid=grid,
        counts=counts,
        harm=harm,
        z=stat.z,
        p=stat.p,
        p_adjusted=p_adjusted,
        bins=bins,
        correction=correction,
        n_points_used=assignment.n_used,
        n_points_outside=assignment.n_outside,
        n_points_without_location=assignment.n_without_location,
        message=stat.reason,
        weighting=weighting if weights is not None else None,
        area=area,
        period=period,
        crime_types=tuple(crime_types),
    )
