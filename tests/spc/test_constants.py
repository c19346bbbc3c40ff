"""Control-chart constants against Montgomery, Introduction to SQC, Appendix VI (n = 2..25)."""

from __future__ import annotations

import numpy as np
import pytest

from qikit.spc.constants import A3, B3, B4, c4

# Transcribed from Montgomery DC, Introduction to Statistical Quality Control, Appendix VI
# ("Factors for constructing variables control charts"), n = 2..25.
C4 = [
    0.7979,
    0.8862,
    0.9213,
    0.9400,
    0.9515,
    0.9594,
    0.9650,
    0.9693,
    0.9727,
    0.9754,
    0.9776,
    0.9794,
    0.9810,
    0.9823,
    0.9835,
    0.9845,
    0.9854,
    0.9862,
    0.9869,
    0.9876,
    0.9882,
    0.9887,
    0.9892,
    0.9896,
]
A3_TAB = [
    2.659,
    1.954,
    1.628,
    1.427,
    1.287,
    1.182,
    1.099,
    1.032,
    0.975,
    0.927,
    0.886,
    0.850,
    0.817,
    0.789,
    0.763,
    0.739,
    0.718,
    0.698,
    0.680,
    0.663,
    0.647,
    0.633,
    0.619,
    0.606,
]
B3_TAB = [
    0,
    0,
    0,
    0,
    0.030,
    0.118,
    0.185,
    0.239,
    0.284,
    0.321,
    0.354,
    0.382,
    0.406,
    0.428,
    0.448,
    0.466,
    0.482,
    0.497,
    0.510,
    0.523,
    0.534,
    0.545,
    0.555,
    0.565,
]
B4_TAB = [
    3.267,
    2.568,
    2.266,
    2.089,
    1.970,
    1.882,
    1.815,
    1.761,
    1.716,
    1.679,
    1.646,
    1.618,
    1.594,
    1.572,
    1.552,
    1.534,
    1.518,
    1.503,
    1.490,
    1.477,
    1.466,
    1.455,
    1.445,
    1.435,
]
N = np.arange(2, 26)


@pytest.mark.parametrize("fn,table,decimals", [(c4, C4, 4), (A3, A3_TAB, 3), (B3, B3_TAB, 3), (B4, B4_TAB, 3)])
def test_constants_match_montgomery(fn, table, decimals):
    got = fn(N)
    np.testing.assert_allclose(np.round(got, decimals), table, atol=1.01 * 10.0**-decimals)
    assert np.abs(got - np.array(table)).max() <= 0.5 * 10.0**-decimals + 1e-12


def test_constants_undefined_for_n_le_1():
    assert np.isnan(c4([0, 1])).all()
    assert np.isnan(A3(1)) and np.isnan(B3(1)) and np.isnan(B4(1))


def test_two_sigma_versions():
    assert A3(5, 2.0) == pytest.approx(A3(5) * 2 / 3)
    assert B4(5, 2.0) == pytest.approx(1 + 2 * (B4(5) - 1) / 3)
