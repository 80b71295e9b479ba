"""Quartic kernel density: the kernel's height, its integral, and the bandwidth rule."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from crimeplan.hotspots.analysis import run
from crimeplan.hotspots.grid import build_grid
from crimeplan.hotspots.kde import BANDWIDTH_RULE, FLOOR_RULE, quartic_kde, silverman_bandwidth


@pytest.fixture(scope="module")
def big_square(wgs84_from_bng):
    return build_grid(wgs84_from_bng(shapely.box(0, 0, 20_000, 20_000)), 100)


def centre_of(grid, row_from_south, col):
    return grid.x0 + (col + 0.5) * 100, grid.y0 + (row_from_south + 0.5) * 100


def test_one_point_at_a_cell_centre_has_the_kernel_peak(big_square):
    x, y = centre_of(big_square, 100, 100)
    kde = quartic_kde(big_square, np.array([x]), np.array([y]), bandwidth=1000)
    # K(0) = 3 / (π h²) per m² = 3 / π per km² when h = 1 km.
    assert kde.density_per_km2.max() == pytest.approx(3 / math.pi, rel=1e-12)
    # Half the bandwidth away: (1 − 0.25)² of the peak.
    raster = big_square.raster(kde.density_per_km2)
    row = big_square.nrows - 1 - 100
    assert raster[row, 105] == pytest.approx(3 / math.pi * 0.75**2, rel=1e-12)
    assert raster[row, 110] == 0  # exactly h away


def test_density_times_cell_area_integrates_to_the_number_of_points(big_square):
    rng = np.random.default_rng(11)
    x0, y0 = big_square.x0, big_square.y0
    x = x0 + rng.normal(10_000, 1500, 500)
    y = y0 + rng.normal(10_000, 1500, 500)
    kde = quartic_kde(big_square, x, y, bandwidth=1000)
    assert kde.integral(100) == pytest.approx(500, rel=0.01)
    weighted = quartic_kde(big_square, x, y, weights=np.full(500, 3.0), bandwidth=1000)
    assert weighted.integral(100) == pytest.approx(1500, rel=0.01)


def test_silverman_bandwidth_by_hand():
    # Four corners of a 2 m square: mean centre (1, 1); every distance is √2, so SD = Dm = √2
    # and min(√2, √(1/ln 2)·√2) = √2; h = 0.9 · √2 · 4^−0.2.
    x = np.array([0.0, 2.0, 0.0, 2.0])
    y = np.array([0.0, 0.0, 2.0, 2.0])
    assert silverman_bandwidth(x, y) == pytest.approx(0.9 * math.sqrt(2) * 4**-0.2, rel=1e-12)
    assert silverman_bandwidth(x[:1], y[:1]) == 0.0


def test_the_rule_is_reported_and_floored_at_one_cell(big_square):
    rng = np.random.default_rng(2)
    x = big_square.x0 + rng.uniform(0, 20_000, 300)
    y = big_square.y0 + rng.uniform(0, 20_000, 300)
    kde = quartic_kde(big_square, x, y)
    assert kde.bandwidth_rule == BANDWIDTH_RULE
    assert kde.bandwidth_m == pytest.approx(silverman_bandwidth(x, y))
    tight = quartic_kde(big_square, x[:1].repeat(5), y[:1].repeat(5))
    assert tight.bandwidth_rule == FLOOR_RULE and tight.bandwidth_m == 100
    assert quartic_kde(big_square, x, y, bandwidth=750).bandwidth_rule == "given"


def test_no_points_give_zero_density_and_bad_bandwidths_are_refused(big_square):
    kde = quartic_kde(big_square, np.array([]), np.array([]))
    assert kde.n_points == 0 and not kde.density_per_km2.any()
    with pytest.raises(ValueError):
        quartic_kde(big_square, np.array([1.0]), np.array([1.0]), bandwidth=0)


def test_run_reports_the_density_and_its_bandwidth(wgs84_from_bng, lonlat_from_bng):
    rng = np.random.default_rng(5)
    lon, lat = lonlat_from_bng(rng.uniform(0, 3000, 200), rng.uniform(0, 3000, 200))
    result = run(wgs84_from_bng(shapely.box(0, 0, 3000, 3000)), lon, lat, cell_size=100, kde=True)
    assert result.density.bandwidth_m >= 100 and result.density.n_points == 200
    assert result.density.density_per_km2.shape == (result.n_cells,)
