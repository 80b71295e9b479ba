"""Gi* by hand on small grids, against esda on random masked grids, and when it is undefined."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from factories import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from crimeplan.hotspots.gistar import block_sum, gi_star, two_sided_p


def test_three_by_three_by_hand():
    # One cell of 9 in the middle, zeros around: n = 9, x̄ = 1, mean(x²) = 81/9 = 9, S² = 8.
    x = np.zeros((3, 3))
    x[1, 1] = 9
    result = gi_star(x, np.ones((3, 3), bool))
    z = result.z.reshape(3, 3)
    assert result.mean == 1 and result.std == pytest.approx(math.sqrt(8))
    # Corner: W = 4, block sum 9 → (9 − 4) / (√8 · √((36 − 16)/8)) = 5 / (2√5) = √5 / 2.
    assert z[0, 0] == pytest.approx(math.sqrt(5) / 2, abs=1e-12)
    # Edge: W = 6, block sum 9 → (9 − 6) / (√8 · √((54 − 36)/8)) = 3 / (3√2) = 1/√2.
    assert z[0, 1] == pytest.approx(1 / math.sqrt(2), abs=1e-12)
    # Centre: its block is the whole area (W = n), so it has no variance: z = 0, not NaN.
    assert z[1, 1] == 0
    assert result.neighbours.reshape(3, 3).tolist() == [[4, 6, 4], [6, 9, 6], [4, 6, 4]]


def test_four_by_four_by_hand():
    # 16 in the north-west corner: n = 16, x̄ = 1, mean(x²) = 16, S² = 15.
    x = np.zeros((4, 4))
    x[0, 0] = 16
    z = gi_star(x, np.ones((4, 4), bool)).z.reshape(4, 4)
    # (0,0): W = 4, sum 16 → 12 / (√15 · √((64 − 16)/15)) = 12 / √48 = √3.
    assert z[0, 0] == pytest.approx(math.sqrt(3), abs=1e-12)
    # (0,1): W = 6, sum 16 → 10 / √((96 − 36)) = 10 / (2√15) = 5/√15.
    assert z[0, 1] == pytest.approx(5 / math.sqrt(15), abs=1e-12)
    # (1,1): W = 9, sum 16 → 7 / √(144 − 81) = 7 / (3√7) = √7 / 3.
    assert z[1, 1] == pytest.approx(math.sqrt(7) / 3, abs=1e-12)
    # (0,2): W = 6, sum 0 → −6 / (2√15) = −3/√15.
    assert z[0, 2] == pytest.approx(-3 / math.sqrt(15), abs=1e-12)
    # (3,3): W = 4, sum 0 → −4 / √48 = −1/√3.
    assert z[3, 3] == pytest.approx(-1 / math.sqrt(3), abs=1e-12)


def test_missing_cells_are_neither_neighbours_nor_counted_in_n():
    # 3 × 3 with the centre missing (a hole): n = 8; 8 in the corner: x̄ = 1, S² = 64/8 − 1 = 7.
    mask = np.ones((3, 3), bool)
    mask[1, 1] = False
    x = np.zeros((3, 3))
    x[0, 0] = 8
    x[1, 1] = 1000  # outside the area: ignored
    result = gi_star(x, mask)
    z = dict(zip(zip(*np.nonzero(mask), strict=True), result.z, strict=True))
    assert result.n == 8 and result.mean == 1
    # (0,0): W = 3, sum 8 → 5 / (√7 · √((24 − 9)/7)) = 5/√15.
    assert z[(0, 0)] == pytest.approx(5 / math.sqrt(15), abs=1e-12)
    # (0,1): W = 5, sum 8 → 3 / √(40 − 25) = 3/√15.
    assert z[(0, 1)] == pytest.approx(3 / math.sqrt(15), abs=1e-12)
    # (2,2): W = 3, sum 0 → −3/√15.
    assert z[(2, 2)] == pytest.approx(-3 / math.sqrt(15), abs=1e-12)


def test_two_sided_p_values():
    assert two_sided_p(np.array([0.0]))[0] == 1.0
    assert two_sided_p(np.array([1.959963984540054]))[0] == pytest.approx(0.05, abs=1e-12)
    assert two_sided_p(np.array([-2.5758293035489]))[0] == pytest.approx(0.01, abs=1e-12)
    assert two_sided_p(np.array([10.0]))[0] == pytest.approx(1.5239706e-23, rel=1e-6)


@pytest.mark.parametrize(
    ("values", "words"),
    [(np.zeros((5, 5)), "no crimes"), (np.full((5, 5), 3.0), "every cell holds the same value")],
)
def test_no_variation_gives_a_message_and_no_nan(values, words):
    result = gi_star(values, np.ones((5, 5), bool))
    assert not result.defined and words in result.reason
    assert np.all(result.z == 0) and np.all(result.p == 1)


def test_a_single_cell_area_is_undefined_not_a_division_by_zero():
    result = gi_star(np.array([[5.0]]), np.array([[True]]))
    assert "single cell" in result.reason and result.z.tolist() == [0.0]


def test_block_sum_treats_beyond_the_raster_as_zero():
    assert block_sum(np.ones((2, 3))).tolist() == [[4, 6, 4], [4, 6, 4]]


def _esda_z(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """esda's Gi* with weights built cell by cell in plain Python (queen contiguity)."""
    esda = pytest.importorskip("esda")
    libpysal = pytest.importorskip("libpysal")
    cells = list(zip(*np.nonzero(mask), strict=True))
    order = {cell: i for i, cell in enumerate(cells)}
    neighbours = {
        i: [
            order[(r + dr, c + dc)]
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            if (dr, dc) != (0, 0) and (r + dr, c + dc) in order
        ]
        for (r, c), i in order.items()
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands and disconnected components
        w = libpysal.weights.W(neighbours)
        g = esda.G_Local(values[mask], w, star=True, transform="B", permutations=0)
    return g.Zs


@settings(max_examples=examples(40), deadline=None)
@given(
    shape=st.tuples(st.integers(3, 9), st.integers(3, 9)),
    seed=st.integers(0, 2**32 - 1),
    density=st.floats(0.4, 1.0),
    harm=st.booleans(),
)
def test_z_equals_esda_on_random_masked_grids(shape, seed, density, harm):
    rng = np.random.default_rng(seed)
    mask = rng.random(shape) < density
    values = rng.poisson(2.0, shape).astype(float)
    if harm:
        values *= rng.choice([1.0, 2.0, 7.5, 191.9, 365.0], shape)
    cells = values[mask]
    if mask.sum() < 10 or cells.min() == cells.max():
        return  # too few cells for W < n everywhere, or no variance: covered elsewhere
    ours = gi_star(values, mask).z
    theirs = _esda_z(values, mask)
    full = np.isfinite(theirs)  # esda gives NaN only where W = n; ours is 0 there
    assert np.all(ours[~full] == 0)
    np.testing.assert_allclose(ours[full], theirs[full], rtol=0, atol=1e-9)
