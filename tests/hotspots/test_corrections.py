"""Multiple-testing corrections by hand, and the hot/cold classes they lead to."""

from __future__ import annotations

import numpy as np
import pytest

from crimeplan.hotspots.classification import CLASSES, bins, is_hot, labels
from crimeplan.hotspots.corrections import adjust, benjamini_hochberg, holm

P = np.array([0.01, 0.04, 0.03, 0.005, 0.20])


def test_benjamini_hochberg_by_hand():
    # Sorted: 0.005, 0.01, 0.03, 0.04, 0.20 with m = 5 → p·m/rank:
    # 0.025, 0.025, 0.05, 0.05, 0.20; running minimum from the largest rank keeps them.
    expected = {0.005: 0.025, 0.01: 0.025, 0.03: 0.05, 0.04: 0.05, 0.20: 0.20}
    np.testing.assert_allclose(benjamini_hochberg(P), [expected[p] for p in P], atol=1e-15)


def test_benjamini_hochberg_takes_the_minimum_from_above():
    # 0.02·3/2 = 0.03 but 0.025·3/3 = 0.025 is smaller and lies above it: both become 0.025.
    np.testing.assert_allclose(
        benjamini_hochberg(np.array([0.02, 0.025, 0.001])), [0.025, 0.025, 0.003], atol=1e-15
    )


def test_holm_by_hand():
    # Sorted: 0.005·5 = 0.025, 0.01·4 = 0.04, 0.03·3 = 0.09, 0.04·2 = 0.08 → max so far 0.09,
    # 0.20·1 = 0.20.
    expected = {0.005: 0.025, 0.01: 0.04, 0.03: 0.09, 0.04: 0.09, 0.20: 0.20}
    np.testing.assert_allclose(holm(P), [expected[p] for p in P], atol=1e-15)


def test_adjusted_values_are_capped_at_one_and_none_leaves_them():
    p = np.array([0.5, 0.6, 0.9])
    assert holm(p).max() == 1.0 and benjamini_hochberg(p).max() == 0.9
    np.testing.assert_array_equal(adjust(p, "none"), p)
    assert adjust(np.array([]), "fdr_bh").size == 0


def test_unknown_correction_is_refused():
    with pytest.raises(ValueError, match="fdr_bh, holm, none"):
        adjust(P, "bonferroni")


def test_classes_follow_the_adjusted_p_and_the_sign_of_z():
    z = np.array([3.0, 2.0, 1.7, 1.0, -1.7, -2.0, -3.0, 2.0])
    p = np.array([0.01, 0.05, 0.10, 0.5, 0.10, 0.05, 0.001, 0.1000001])
    assert labels(bins(z, p)).tolist() == [*CLASSES, "not significant"]
    assert bins(z, p).tolist() == [3, 2, 1, 0, -1, -2, -3, 0]


def test_hot_at_a_confidence_includes_higher_confidences():
    classes = np.array(list(CLASSES), dtype=object)
    assert is_hot(classes, 95).tolist() == [True, True, False, False, False, False, False]
    assert is_hot(classes, 90).sum() == 3
    with pytest.raises(ValueError):
        is_hot(classes, 80)
