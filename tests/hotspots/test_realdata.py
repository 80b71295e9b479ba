"""Real police.uk crimes in Chelmsford: z-scores equal esda's, and the cells are right."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import shapely

from crimeplan.crimedata.harm import load_weights
from crimeplan.hotspots.analysis import run
from crimeplan.hotspots.grid import build_grid, default_cell_size
from crimeplan.hotspots.weighting import per_crime_weights

pytestmark = pytest.mark.realdata

# Essex CCHI (days of imprisonment) by police.uk category, from the project's harm table (checked
# against ../shared/data/harm/SOURCE.md in tests/measures/test_harm.py).
ESSEX_CCHI = {
    name: w.weight for name, w in load_weights("cchi").by_category.items() if w.weight is not None
}


def esda_z(result) -> np.ndarray:
    """esda's Gi* with libpysal queen weights built from the cell squares themselves."""
    esda = pytest.importorskip("esda")
    libpysal = pytest.importorskip("libpysal")
    grid = result.grid
    west, south = grid.cell_west_south()
    squares = shapely.box(west, south, west + grid.cell_size, south + grid.cell_size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # disconnected components (cells on islands)
        w = libpysal.weights.Queen.from_iterable(list(squares))
        g = esda.G_Local(result.values, w, star=True, transform="B", permutations=0)
    return g.Zs


@pytest.fixture(scope="module")
def counts_250(chelmsford):
    return run(
        chelmsford.boundary,
        chelmsford.lon,
        chelmsford.lat,
        cell_size=250,
        area=chelmsford.code,
        period=("2025-01", "2025-06"),
    )


def test_z_equals_esda_on_six_months_of_chelmsford(counts_250):
    assert counts_250.n_cells > 5000 and counts_250.n_points_used > 6000
    theirs = esda_z(counts_250)
    assert np.max(np.abs(theirs - counts_250.z)) < 1e-9
    assert counts_250.class_counts()["hot 99%"] > 0


def test_harm_weighted_z_equals_esda(chelmsford):
    weights = per_crime_weights(chelmsford.crime_type, ESSEX_CCHI, default=1.0)
    result = run(
        chelmsford.boundary,
        chelmsford.lon,
        chelmsford.lat,
        weights=weights,
        weighting="CCHI, Essex; ASB 1 day",
        cell_size=400,
    )
    assert np.max(np.abs(esda_z(result) - result.z)) < 1e-9


def test_every_crime_in_the_district_lands_in_a_cell(counts_250, chelmsford):
    # Crimes were chosen by LSOA, whose polygons make up the boundary, so none falls outside.
    located = np.isfinite(chelmsford.lon).sum()
    assert counts_250.n_points_used == located and counts_250.n_points_outside == 0


def test_default_cell_size_for_the_district(chelmsford):
    grid = build_grid(chelmsford.boundary)
    assert grid.cell_size == default_cell_size(grid.boundary_bng.bounds) == 400
