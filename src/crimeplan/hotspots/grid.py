"""Square British National Grid cells covering an area, and points assigned to them.

Cells are squares in EPSG:27700 aligned to whole multiples of the cell size, so two grids built
with the same cell size always share cell edges and cell ids (what period comparisons rely on).

**Which cells belong to the area.** A cell belongs when its square *overlaps* the boundary: the
interior of the square meets the interior of the area (by more than 1 cm, so that rounding along
a boundary drawn on a grid line does not add a row of cells). That covers the whole boundary (every
part of the area, however thin, lies in some cell) and keeps the island cells, while a cell that
only touches the boundary along an edge or at a corner, or lies wholly in a hole, is left out.
Cells whose centre falls outside the area are kept when they overlap it, because "covering the
boundary" is what the Gi* statistic needs: an edge crime must land in a cell of the area.

**Which points are counted.** Points are assigned by floor division of their BNG coordinates;
cells are half-open (``west <= x < east``, ``south <= y < north``). A point in a cell of the grid
is counted even when it lies just beyond the boundary inside an edge cell: choosing the area's
crimes (by LSOA, say) is the caller's job. Points outside every cell are dropped and counted, as
are points without coordinates.

**Projection.** pyproj chooses the most accurate WGS84 → BNG transformation it has: OSTN15 when
its grid file is installed, otherwise the seven-parameter Helmert transformation (good to about
2 m), which is far below any cell size used here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

BNG_EPSG = 27700
WGS84_EPSG = 4326
DEFAULT_CELLS_ACROSS = 50
"""The default cell size is the extent's shorter side over this, rounded down to 100 m."""
MIN_DEFAULT_CELL_M = 100
MAX_RASTER_CELLS = 25_000_000
"""A guard against a cell size far too small for the area (memory for the raster)."""


@cache
def _transformer(source: int, target: int) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def to_bng(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitude/latitude to BNG easting/northing in metres (NaN stays NaN).

    police.uk crimes share snap points (six months of Essex: 76,000 crimes at 15,000 points), so
    each distinct coordinate pair is projected once; the result is the same as projecting all.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    transformer = _transformer(WGS84_EPSG, BNG_EPSG)
    if lon.size < 1000:
        x, y = transformer.transform(lon, lat)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    order = np.lexsort((lat.ravel(), lon.ravel()))
    sorted_lon, sorted_lat = lon.ravel()[order], lat.ravel()[order]
    new = np.ones(order.size, dtype=bool)
    new[1:] = (sorted_lon[1:] != sorted_lon[:-1]) | (sorted_lat[1:] != sorted_lat[:-1])
    x_unique, y_unique = transformer.transform(sorted_lon[new], sorted_lat[new])
    group = np.cumsum(new) - 1
    x = np.empty(order.size)
    y = np.empty(order.size)
    x[order] = np.asarray(x_unique, dtype=float)[group]
    y[order] = np.asarray(y_unique, dtype=float)[group]
    return x.reshape(lon.shape), y.reshape(lat.shape)


def to_wgs84(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """BNG easting/northing to WGS84 longitude/latitude."""
    lon, lat = _transformer(BNG_EPSG, WGS84_EPSG).transform(
        np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    )
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def project_to_bng(geometry: BaseGeometry) -> BaseGeometry:
    """A WGS84 (lon/lat) shapely geometry in BNG metres."""
    transformer = _transformer(WGS84_EPSG, BNG_EPSG)

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, project)


def default_cell_size(bounds_bng: tuple[float, float, float, float]) -> int:
    """Shorter side of the area's BNG extent / 50, rounded down to 100 m, at least 100 m.

    Fifty cells across the narrower side keeps a district's map readable and its cells small
    enough to separate streets from estates; rounding to 100 m gives cell sizes people can say.
    """
    minx, miny, maxx, maxy = bounds_bng
    shorter = min(maxx - minx, maxy - miny)
    rounded = int(shorter / DEFAULT_CELLS_ACROSS // 100) * 100
    return max(MIN_DEFAULT_CELL_M, rounded)


@dataclass(frozen=True)
class PointAssignment:
    """Which cell each point fell in (``-1`` when none) and how many were dropped, and why."""

    cell: np.ndarray
    n_used: int
    n_outside: int
    n_without_location: int


@dataclass(frozen=True, eq=False)
class Grid:
    """The cells of one area at one cell size.

    The raster has ``nrows × ncols`` cells, row 0 to the north and column 0 to the west, its
    south-west corner at (``x0``, ``y0``). ``mask`` marks the cells of the area; ``rows`` and
    ``cols`` list them in row-major order, which is the order of every per-cell array in this
    package, and ``index`` maps a raster position to that order (``-1`` for cells not in the area).
    """

    cell_size: int
    x0: float
    y0: float
    nrows: int
    ncols: int
    mask: np.ndarray
    boundary_bng: BaseGeometry
    boundary_wgs84: BaseGeometry
    rows: np.ndarray = field(init=False)
    cols: np.ndarray = field(init=False)
    index: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        rows, cols = np.nonzero(self.mask)
        index = np.full(self.mask.shape, -1, dtype=np.int64)
        index[rows, cols] = np.arange(rows.size)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "cols", cols)
        object.__setattr__(self, "index", index)

    @property
    def n_cells(self) -> int:
        return int(self.rows.size)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.nrows, self.ncols)

    @property
    def y_north(self) -> float:
        return self.y0 + self.nrows * self.cell_size

    def cell_west_south(self, cells: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """BNG easting and northing of each cell's south-west corner (of ``cells`` only, given
        their indices in grid order)."""
        rows, cols = (
            (self.rows, self.cols) if cells is None else (self.rows[cells], self.cols[cells])
        )
        west = self.x0 + cols * self.cell_size
        south = self.y0 + (self.nrows - 1 - rows) * self.cell_size
        return west.astype(float), south.astype(float)

    def cell_centres_bng(self, cells: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        west, south = self.cell_west_south(cells)
        half = self.cell_size / 2
        return west + half, south + half

    def cell_centres_wgs84(self, cells: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        return to_wgs84(*self.cell_centres_bng(cells))

    def cell_ids(self, cells: np.ndarray | None = None) -> list[str]:
        """``E<easting>N<northing>`` of each cell's south-west corner, stable across periods."""
        west, south = self.cell_west_south(cells)
        return [
            f"E{e}N{n}" for e, n in zip(west.astype(np.int64), south.astype(np.int64), strict=True)
        ]

    def cell_rings_wgs84(self) -> np.ndarray:
        """Each cell's closed ring in WGS84, shape ``(n_cells, 5, 2)``, anticlockwise.

        The corners are projected one by one, so a cell is the exact image of its BNG square's
        corners (a slightly skewed quadrilateral in degrees) and neighbouring cells share corners.
        """
        west, south = self.cell_west_south()
        east, north = west + self.cell_size, south + self.cell_size
        xs = np.stack([west, east, east, west, west], axis=1)
        ys = np.stack([south, south, north, north, south], axis=1)
        lon, lat = to_wgs84(xs.ravel(), ys.ravel())
        return np.stack([lon, lat], axis=1).reshape(self.n_cells, 5, 2)

    def raster(self, values: np.ndarray, fill: float = 0.0) -> np.ndarray:
        """Per-cell values laid out on the raster, ``fill`` outside the area."""
        out = np.full(self.shape, fill, dtype=np.result_type(values, type(fill)))
        out[self.rows, self.cols] = values
        return out

    def assign_bng(self, x: np.ndarray, y: np.ndarray) -> PointAssignment:
        """The cell of each BNG point by floor division (see the module notes on edges)."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        located = np.isfinite(x) & np.isfinite(y)
        col = np.floor((x - self.x0) / self.cell_size)
        row_from_south = np.floor((y - self.y0) / self.cell_size)
        on_raster = (located & (col >= 0) & (col < self.ncols) & (row_from_south >= 0)) & (
            row_from_south < self.nrows
        )
        cell = np.full(x.shape, -1, dtype=np.int64)
        row = (self.nrows - 1 - row_from_south[on_raster]).astype(np.int64)
        cell[on_raster] = self.index[row, col[on_raster].astype(np.int64)]
        n_used = int(np.count_nonzero(cell >= 0))
        n_without = int(x.size - np.count_nonzero(located))
        return PointAssignment(cell, n_used, int(x.size) - n_used - n_without, n_without)

    def assign(self, lon: np.ndarray, lat: np.ndarray) -> PointAssignment:
        """The cell of each WGS84 point; blank coordinates are NaN and counted apart."""
        return self.assign_bng(*to_bng(lon, lat))


OVERLAP_TOLERANCE_M = 0.01
"""A cell must overlap the area by more than this (1 cm) to belong: touching edges do not count,
and neither does floating-point noise along a boundary that runs on a grid line."""


def _centres_inside(
    coords: np.ndarray,
    ring_of: np.ndarray,
    x0: float,
    y_north: float,
    nrows: int,
    ncols: int,
    cell: int,
) -> np.ndarray:
    """Mask of cells whose centre is inside closed rings, by even–odd scanlines along row centres.

    ``coords`` are the rings' vertices one after another, ``ring_of`` says which ring each is in.
    Each ring edge crosses the centre lines of the rows it spans (an edge owns the lower end of
    its span, not the upper, so a vertex on a centre line is crossed once); a crossing flips
    inside/outside for every centre east of it. Holes and islands follow from the parity.
    """
    edges = np.flatnonzero(ring_of[1:] == ring_of[:-1])
    xa, ya = coords[edges, 0], coords[edges, 1]
    xb, yb = coords[edges + 1, 0], coords[edges + 1, 1]
    first = np.floor((y_north - np.maximum(ya, yb)) / cell - 0.5).astype(np.int64) + 1
    last = np.floor((y_north - np.minimum(ya, yb)) / cell - 0.5).astype(np.int64)
    first, last = np.maximum(first, 0), np.minimum(last, nrows - 1)
    spans = np.maximum(last - first + 1, 0)
    edge = np.repeat(np.arange(spans.size), spans)
    row = first[edge] + np.arange(edge.size) - np.repeat(np.cumsum(spans) - spans, spans)
    centre_y = y_north - (row + 0.5) * cell
    x = xa[edge] + (centre_y - ya[edge]) * (xb[edge] - xa[edge]) / (yb[edge] - ya[edge])
    col = np.clip(np.floor((x - x0) / cell - 0.5).astype(np.int64) + 1, 0, ncols)
    toggles = np.bincount(row * (ncols + 1) + col, minlength=nrows * (ncols + 1))
    crossings = np.cumsum(toggles.reshape(nrows, ncols + 1), axis=1)[:, :ncols]
    return (crossings % 2).astype(bool)


def _cells_overlapping(
    boundary: BaseGeometry, x0: float, y0: float, nrows: int, ncols: int, cell: int
) -> np.ndarray:
    """Mask of raster cells whose square overlaps the boundary's interior.

    A cell the boundary line does not reach lies wholly inside or wholly outside the area, so its
    centre decides. Only cells on the line need an exact test: after splitting the line into
    pieces no longer than half a cell, each piece runs within the (at most 2×2) block of cells
    spanned by its two ends, so those blocks hold every cell the line passes through.
    """
    y_north = y0 + nrows * cell
    rings = shapely.get_rings(shapely.get_parts(boundary))
    ring_coords, ring_index = shapely.get_coordinates(rings, return_index=True)
    mask = _centres_inside(ring_coords, ring_index, x0, y_north, nrows, ncols, cell)

    pieces = shapely.segmentize(rings, cell / 2)
    coords, ring_of = shapely.get_coordinates(pieces, return_index=True)
    same_ring = ring_of[1:] == ring_of[:-1]
    vcol = np.clip(np.floor((coords[:, 0] - x0) / cell), 0, ncols - 1).astype(np.int64)
    vrow = np.clip(np.floor((y_north - coords[:, 1]) / cell), 0, nrows - 1).astype(np.int64)
    on_line = np.zeros((nrows, ncols), dtype=bool)
    on_line[vrow, vcol] = True
    a, b = np.flatnonzero(same_ring), np.flatnonzero(same_ring) + 1
    on_line[vrow[a], vcol[b]] = True
    on_line[vrow[b], vcol[a]] = True

    rows, cols = np.nonzero(on_line & ~mask)
    west = x0 + cols * cell + OVERLAP_TOLERANCE_M
    north = y_north - rows * cell - OVERLAP_TOLERANCE_M
    inner = cell - 2 * OVERLAP_TOLERANCE_M
    shapely.prepare(boundary)
    overlaps = shapely.intersects(boundary, shapely.box(west, north - inner, west + inner, north))
    mask[rows[overlaps], cols[overlaps]] = True
    return mask


def build_grid(boundary: BaseGeometry, cell_size: int | None = None) -> Grid:
    """The BNG grid of cells overlapping a WGS84 boundary (Polygon or MultiPolygon).

    ``cell_size`` in whole metres; ``None`` applies :func:`default_cell_size`.
    """
    if boundary is None or boundary.is_empty:
        raise ValueError("the area's boundary is empty: there are no cells to analyse")
    if boundary.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"the area's boundary must be a (multi)polygon, not {boundary.geom_type}")
    boundary_bng = project_to_bng(boundary)
    if not boundary_bng.is_valid:
        # A self-crossing outline (a bow tie) would confuse the even-odd scanline; repair it and
        # keep only the areas (repair can leave stray lines where the outline doubled back).
        parts = shapely.get_parts(shapely.make_valid(boundary_bng))
        boundary_bng = shapely.union_all(
            [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
        )
    minx, miny, maxx, maxy = boundary_bng.bounds
    if cell_size is None:
        cell = default_cell_size((minx, miny, maxx, maxy))
    else:
        if isinstance(cell_size, bool) or not float(cell_size).is_integer() or cell_size < 1:
            raise ValueError(f"cell size must be a whole number of metres, at least 1: {cell_size}")
        cell = int(cell_size)
    # Cells overlapping the area by no more than the tolerance do not belong, so the raster
    # need not reach them (a boundary on a grid line, after rounding, adds no empty row).
    tolerance = OVERLAP_TOLERANCE_M
    x0 = math.floor((minx + tolerance) / cell) * cell
    y0 = math.floor((miny + tolerance) / cell) * cell
    ncols = max(1, math.ceil((maxx - tolerance - x0) / cell))
    nrows = max(1, math.ceil((maxy - tolerance - y0) / cell))
    if nrows * ncols > MAX_RASTER_CELLS:
        raise ValueError(
            f"a {cell} m cell needs {nrows * ncols:,} raster cells for this area; "
            "choose a larger cell size"
        )
    mask = _cells_overlapping(boundary_bng, x0, y0, nrows, ncols, cell)
    if not mask.any():
        raise ValueError("no cell overlaps the area's boundary (is it in WGS84 lon/lat?)")
    return Grid(cell, float(x0), float(y0), nrows, ncols, mask, boundary_bng, boundary)
