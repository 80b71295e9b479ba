"""The grid: default cell size, which cells belong (holes, islands, edges), point assignment."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from crimeplan.hotspots.grid import build_grid, default_cell_size, to_bng


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ((0, 0, 12_345, 40_000), 200),  # 12,345 / 50 = 246.9 → rounded down to 200
        ((0, 0, 100_000, 80_000), 1600),  # shorter side 80 km → 1,600 m
        ((0, 0, 3_000, 3_000), 100),  # 60 m → at least 100 m
        ((0, 0, 5_000, 9_999), 100),  # exactly 100
        ((0, 0, 40_000, 14_999), 200),  # 299.98 → 200
    ],
)
def test_default_cell_size_is_shorter_side_over_50_rounded_down_to_100m(bounds, expected):
    assert default_cell_size(bounds) == expected


def test_default_cell_size_is_used_when_none_given(wgs84_from_bng):
    grid = build_grid(wgs84_from_bng(shapely.box(0, 0, 30_000, 16_000)))
    assert grid.cell_size == 300  # 16 km / 50 = 320 m → 300 m


def test_aligned_square_gives_exactly_its_cells(wgs84_from_bng):
    # 1 km square on the 250 m grid: 4 × 4 cells. Rounding in the WGS84 round trip leaves the
    # edges a few nanometres off the grid lines; cells that only touch it must not be added.
    grid = build_grid(wgs84_from_bng(shapely.box(0, 0, 1000, 1000)), 250)
    assert grid.n_cells == 16
    assert grid.shape == (4, 4)
    assert grid.mask.all()


def test_unaligned_square_takes_every_cell_it_overlaps(wgs84_from_bng):
    # 100 m off the grid both ways: the square overlaps 5 × 5 cells, corner slivers included.
    grid = build_grid(wgs84_from_bng(shapely.box(100, 100, 1100, 1100)), 250)
    assert grid.n_cells == 25


def test_hole_cells_are_excluded_and_island_cells_included(wgs84_from_bng):
    outer = shapely.box(0, 0, 2000, 2000)
    hole = shapely.box(500, 500, 1500, 1500)  # 4 × 4 cells of hole
    island_in_hole = shapely.box(750, 750, 1250, 1250)  # 2 × 2 cells of land in the hole
    far_island = shapely.box(3000, 0, 3250, 250)  # one cell on its own
    area = shapely.MultiPolygon(
        [shapely.Polygon(outer.exterior, [hole.exterior]), island_in_hole, far_island]
    )
    grid = build_grid(wgs84_from_bng(area), 250)
    assert grid.n_cells == 64 - 16 + 4 + 1
    raster = grid.mask
    # Row 0 is north: northings 1750–2000 (relative). Column 0 is west.
    north_of_hole = grid.nrows - 1 - np.arange(8)  # rows from the south
    assert raster[north_of_hole[2], 2:6].tolist() == [
        False,
        False,
        False,
        False,
    ]  # hole's south row
    assert raster[north_of_hole[3], 2:6].tolist() == [False, True, True, False]  # island inside
    assert raster[north_of_hole[0], 12]  # far island, 3,000 m east = column 12
    assert raster[north_of_hole[0], 8:12].sum() == 0  # sea between


def test_cells_match_a_brute_force_overlap_test_on_an_irregular_shape(wgs84_from_bng):
    rng = np.random.default_rng(7)
    angles = np.sort(rng.uniform(0, 2 * np.pi, 40))
    radii = rng.uniform(1500, 4000, 40)
    shape = shapely.Polygon(np.column_stack([radii * np.cos(angles), radii * np.sin(angles)]))
    shape = shape.difference(shapely.Point(300, 200).buffer(900))  # a round hole
    grid = build_grid(wgs84_from_bng(shape), 250)
    rows, cols = np.indices(grid.shape)
    west = grid.x0 + cols * 250
    south = grid.y_north - (rows + 1) * 250
    boxes = shapely.box(west + 0.01, south + 0.01, west + 249.99, south + 249.99)
    brute = shapely.intersects(grid.boundary_bng, boxes)
    assert np.array_equal(brute, grid.mask)


def test_points_are_assigned_by_floor_division_with_half_open_cells(wgs84_from_bng):
    grid = build_grid(wgs84_from_bng(shapely.box(0, 0, 1000, 1000)), 250)
    west, south = grid.cell_west_south()
    x0, y0 = west.min(), south.min()
    x = np.array([x0 + 10, x0 + 250, x0 + 999, x0 + 1000, x0 - 1, x0 + 10, np.nan])
    y = np.array([y0 + 10, y0 + 250, y0 + 999, y0 + 10, y0 + 10, y0 + 1000, 5.0])
    assignment = grid.assign_bng(x, y)
    ids = grid.cell_ids()
    names = [ids[c] if c >= 0 else None for c in assignment.cell]
    e, n = int(x0), int(y0)
    assert names == [
        f"E{e}N{n}",
        f"E{e + 250}N{n + 250}",  # on a corner: the cell to the north-east owns it
        f"E{e + 750}N{n + 750}",
        None,  # on the east edge of the area: beyond the last cell
        None,
        None,  # on the north edge
        None,
    ]
    assert (assignment.n_used, assignment.n_outside, assignment.n_without_location) == (3, 3, 1)


def test_assign_projects_wgs84_points(lonlat_from_bng, wgs84_from_bng):
    grid = build_grid(wgs84_from_bng(shapely.box(0, 0, 1000, 1000)), 250)
    lon, lat = lonlat_from_bng(np.array([125.0, 875.0]), np.array([125.0, 625.0]))
    cells = grid.assign(lon, lat).cell
    assert [grid.cell_ids()[c] for c in cells] == ["E570000N205000", "E570750N205500"]


def test_projecting_distinct_points_once_gives_the_same_result():
    rng = np.random.default_rng(1)
    lon = np.round(rng.uniform(0.3, 0.6, 3000), 3)  # many repeats, like snap points
    lat = np.round(rng.uniform(51.6, 51.8, 3000), 3)
    lon[5] = np.nan
    x, y = to_bng(lon, lat)
    ex, ey = Transformer.from_crs(4326, 27700, always_xy=True).transform(lon, lat)
    assert np.array_equal(x, ex, equal_nan=True) and np.array_equal(y, ey, equal_nan=True)


def test_cell_ids_are_stable_for_one_cell_size(wgs84_from_bng):
    small = build_grid(wgs84_from_bng(shapely.box(0, 0, 500, 500)), 250)
    large = build_grid(wgs84_from_bng(shapely.box(-1000, -1000, 2000, 2000)), 250)
    assert set(small.cell_ids()) <= set(large.cell_ids())


def test_cell_rings_are_closed_and_anticlockwise(wgs84_from_bng):
    grid = build_grid(wgs84_from_bng(shapely.box(0, 0, 750, 500)), 250)
    rings = grid.cell_rings_wgs84()
    assert rings.shape == (6, 5, 2)
    assert np.array_equal(rings[:, 0], rings[:, -1])
    assert all(shapely.LinearRing(r).is_ccw for r in rings)


@pytest.mark.parametrize("bad", [0, -250, 250.5, True])
def test_cell_size_must_be_whole_positive_metres(wgs84_from_bng, bad):
    with pytest.raises(ValueError, match="whole number of metres"):
        build_grid(wgs84_from_bng(shapely.box(0, 0, 1000, 1000)), bad)


def test_a_self_crossing_boundary_is_repaired(wgs84_from_bng):
    bow_tie = shapely.Polygon([(0, 0), (1000, 1000), (1000, 0), (0, 1000), (0, 0)])
    assert not bow_tie.is_valid
    grid = build_grid(wgs84_from_bng(bow_tie), 250)
    # Two triangles meeting at the centre: cells on and beside the diagonals overlap them.
    rows, cols = np.indices(grid.shape)
    west = grid.x0 + cols * 250
    south = grid.y_north - (rows + 1) * 250
    boxes = shapely.box(west + 0.01, south + 0.01, west + 249.99, south + 249.99)
    assert np.array_equal(shapely.intersects(grid.boundary_bng, boxes), grid.mask)
    assert grid.boundary_bng.area == pytest.approx(500_000, rel=1e-6)


def test_empty_or_non_polygon_boundary_is_refused():
    with pytest.raises(ValueError, match="empty"):
        build_grid(shapely.Polygon())
    with pytest.raises(ValueError, match="polygon"):
        build_grid(shapely.Point(0.5, 51.7))
