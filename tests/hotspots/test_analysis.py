"""The whole run: counts, harm, corrections, the no-crimes case and the hottest-cells table."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import shapely

from crimeplan.hotspots.analysis import run
from crimeplan.hotspots.gistar import METHOD, gi_star
from crimeplan.hotspots.weighting import per_crime_weights


@pytest.fixture
def square(wgs84_from_bng):
    return wgs84_from_bng(shapely.box(0, 0, 2500, 2500))  # 10 × 10 cells of 250 m


@pytest.fixture
def cluster(lonlat_from_bng):
    """60 crimes in one cell near the middle, 40 spread over the square."""
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.uniform(1250, 1500, 60), rng.uniform(0, 2500, 40)])
    y = np.concatenate([rng.uniform(1250, 1500, 60), rng.uniform(0, 2500, 40)])
    return lonlat_from_bng(x, y)


def test_run_counts_classifies_and_reports(square, cluster):
    lon, lat = cluster
    result = run(square, lon, lat, cell_size=250, area="Test", period=("2025-01", "2025-06"))
    assert result.n_cells == 100 and result.counts.sum() == 100
    assert (result.n_points_used, result.n_points_outside) == (100, 0)
    assert result.message is None and result.method == METHOD
    assert result.correction == "fdr_bh"
    cluster_cell = int(np.argmax(result.counts))
    assert result.counts[cluster_cell] >= 60 and result.classes[cluster_cell].startswith("hot")
    # Gi* sums the 3×3 block, so a neighbour of the cluster can outrank the cluster's own cell.
    hottest = result.hottest(3)
    assert hottest[0].cls.startswith("hot")
    assert [c.z for c in hottest] == sorted((c.z for c in hottest), reverse=True)
    ids = result.grid.cell_ids()
    lon, lat = result.grid.cell_centres_wgs84()
    for cell in hottest:
        assert cell.cell_id == ids[cell.index] and cell.z == result.z[cell.index]
        assert (cell.longitude, cell.latitude) == (lon[cell.index], lat[cell.index])
        assert cell.count == result.counts[cell.index]
    # Each cell classed again here from its z and adjusted p.
    expected = dict.fromkeys(
        ["hot 99%", "hot 95%", "hot 90%", "not significant", "cold 90%", "cold 95%", "cold 99%"], 0
    )
    for z, p in zip(result.z, result.p_adjusted, strict=True):
        level = next((lv for lv, alpha in ((99, 0.01), (95, 0.05), (90, 0.10)) if p <= alpha), None)
        side = "hot" if z > 0 else "cold" if z < 0 else None
        expected[f"{side} {level}%" if level and side else "not significant"] += 1
    assert result.class_counts() == expected
    assert expected["hot 99%"] + expected["hot 95%"] >= 1
    assert result.harm is None and result.weighting is None


def test_corrections_only_change_the_adjusted_p(square, cluster):
    lon, lat = cluster
    by_correction = {
        c: run(square, lon, lat, cell_size=250, correction=c) for c in ("fdr_bh", "holm", "none")
    }
    none, bh, holm = by_correction["none"], by_correction["fdr_bh"], by_correction["holm"]
    np.testing.assert_array_equal(none.z, bh.z)
    np.testing.assert_array_equal(none.p, none.p_adjusted)
    assert np.all(holm.p_adjusted >= bh.p_adjusted - 1e-15)
    assert np.all(bh.p_adjusted >= none.p - 1e-15)
    with pytest.raises(ValueError, match="unknown correction"):
        run(square, lon, lat, cell_size=250, correction="bonferroni")


def test_harm_weighting_runs_gi_star_on_harm_and_keeps_counts(square, lonlat_from_bng):
    lon, lat = lonlat_from_bng(np.array([100.0, 110, 1300, 2400]), np.array([100.0, 120, 1300, 80]))
    types = np.array(["Robbery", "Robbery", "Shoplifting", "Anti-social behaviour"], dtype=object)
    weights = per_crime_weights(types, {"Robbery": 365, "Shoplifting": 1}, default=1.0)
    result = run(square, lon, lat, weights=weights, weighting="CCHI (test)", cell_size=250)
    assert result.counts.sum() == 4 and result.harm.sum() == pytest.approx(732)
    ids = result.grid.cell_ids()
    harm_at = {i: float(result.harm[ids.index(i)]) for i in ("E570000N205000", "E571250N206250")}
    assert harm_at == {"E570000N205000": 730.0, "E571250N206250": 1.0}
    assert result.counts[ids.index("E570000N205000")] == 2
    # Gi* ran on harm: its z is Gi* of the hand-placed harm (730, 1, 1), not of the counts.
    hand = np.zeros(result.n_cells)
    for cell, harm in (("E570000N205000", 730), ("E571250N206250", 1), ("E572250N205000", 1)):
        hand[ids.index(cell)] = harm
    grid = result.grid
    np.testing.assert_allclose(result.z, gi_star(grid.raster(hand), grid.mask).z)
    by_count = run(square, lon, lat, cell_size=250)
    assert not np.allclose(result.z, by_count.z)
    assert result.weighting == "CCHI (test)"
    with pytest.raises(ValueError, match="source and method"):
        run(square, lon, lat, weights=weights, cell_size=250)


def test_an_area_with_no_crimes_says_so_without_nan(square):
    result = run(square, np.array([]), np.array([]), cell_size=250)
    assert "no crimes" in result.message
    assert np.all(result.z == 0) and np.all(result.p_adjusted == 1)
    assert set(result.classes) == {"not significant"} and result.hottest() == []


def test_crimes_outside_the_cells_and_without_location_are_counted_apart(square, lonlat_from_bng):
    lon, lat = lonlat_from_bng(np.array([100.0, 9000.0]), np.array([100.0, 100.0]))
    lon = np.append(lon, np.nan)
    lat = np.append(lat, np.nan)
    result = run(square, lon, lat, cell_size=250)
    assert (result.n_points_used, result.n_points_outside, result.n_points_without_location) == (
        1,
        1,
        1,
    )


def test_a_grid_can_be_reused_and_its_cell_size_is_kept(square, cluster):
    lon, lat = cluster
    first = run(square, lon, lat, cell_size=250)
    again = run(first.grid, lon, lat)
    np.testing.assert_array_equal(first.z, again.z)
    with pytest.raises(ValueError, match="250 m cells"):
        run(first.grid, lon, lat, cell_size=500)


def test_missing_harm_weight_is_an_error_unless_defaulted():
    types = np.array(["Burglary", "Anti-social behaviour"], dtype=object)
    with pytest.raises(ValueError, match="Anti-social behaviour"):
        per_crime_weights(types, {"Burglary": 245.91})
    assert per_crime_weights(types, {"Burglary": 245.91}, default=1).tolist() == [245.91, 1.0]


def test_holes_and_islands_match_esda(wgs84_from_bng, lonlat_from_bng):
    esda = pytest.importorskip("esda")
    libpysal = pytest.importorskip("libpysal")
    area = shapely.MultiPolygon(
        [
            shapely.Polygon(
                shapely.box(0, 0, 2000, 2000).exterior, [shapely.box(500, 500, 1500, 1500).exterior]
            ),
            shapely.box(750, 750, 1250, 1250),  # land in the hole
            shapely.box(3000, 0, 3250, 250),  # a one-cell island
        ]
    )
    rng = np.random.default_rng(8)
    lon, lat = lonlat_from_bng(rng.uniform(0, 3250, 400), rng.uniform(0, 2000, 400))
    result = run(wgs84_from_bng(area), lon, lat, cell_size=250)
    island = result.grid.cell_ids().index("E573000N205000")
    assert result.grid.raster(np.ones(result.n_cells)).sum() == 53
    west, south = result.grid.cell_west_south()
    squares = shapely.box(west, south, west + 250, south + 250)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the island has no neighbours
        w = libpysal.weights.Queen.from_iterable(list(squares))
        theirs = esda.G_Local(result.values, w, star=True, transform="B", permutations=0).Zs
    assert np.max(np.abs(theirs - result.z)) < 1e-9
    assert w.cardinalities[island] == 0  # only itself in its block
