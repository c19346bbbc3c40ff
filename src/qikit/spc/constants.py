r"""Control-chart constants computed exactly from the gamma function.

The classic tables (Montgomery, *Introduction to Statistical Quality Control*, Appendix VI)
round these to three or four decimals; qikit, like qicharts2, computes them exactly.

Notes
-----
.. math::

    c_4(n) = \sqrt{2/(n-1)}\,\Gamma(n/2)/\Gamma((n-1)/2), \qquad c_5(n) = \sqrt{1 - c_4(n)^2}

    A_3(n) = k / (c_4(n)\sqrt{n}), \quad B_3(n) = \max(0, 1 - k c_5/c_4), \quad B_4(n) = 1 + k c_5/c_4

with ``k = 3`` for the 3-sigma limits (``k = 2`` for the 2-sigma limits). All are NaN for
``n <= 1``. ``D2_N2 = 1.128`` (d2 for n = 2) and ``D4_N2 = 3.267`` (D4 for n = 2) are used as the
literal constants of the individuals chart, as in qicharts2.

Examples
--------
>>> round(float(c4(5)), 4)
0.94
>>> round(float(A3(5)), 3)
1.427
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = ["A3", "B3", "B4", "D2_N2", "D4_N2", "c4", "c5"]

D2_N2 = 1.128
D4_N2 = 3.267

ArrayLike = npt.ArrayLike


def _c4_scalar(n: float) -> float:
    if not np.isfinite(n) or n <= 1:
        return math.nan
    return math.sqrt(2.0 / (n - 1.0)) * math.exp(math.lgamma(n / 2.0) - math.lgamma((n - 1.0) / 2.0))


def c4(n: ArrayLike) -> np.ndarray:
    """Bias-correction constant :math:`c_4` for the sample SD of ``n`` normal observations.

    Parameters
    ----------
    n
        Subgroup size(s); NaN for sizes <= 1.

    Returns
    -------
    numpy.ndarray
        :math:`c_4(n)`, same shape as ``n``.
    """
    arr = np.asarray(n, dtype=float)
    flat = arr.ravel()
    uniq, inv = np.unique(flat, return_inverse=True)
    vals = np.array([_c4_scalar(float(u)) for u in uniq], dtype=float)
    return vals[inv].reshape(arr.shape)


def c5(n: ArrayLike) -> np.ndarray:
    r"""Constant :math:`c_5(n) = \sqrt{1 - c_4(n)^2}`, the SD of ``s/sigma``."""
    c = c4(n)
    return np.sqrt(1.0 - c * c)


def A3(n: ArrayLike, k: float = 3.0) -> np.ndarray:
    """Factor for Xbar limits from the mean SD: CL ± A3 · S for subgroups of size n."""
    nn = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return k / (c4(nn) * np.sqrt(nn))


def B3(n: ArrayLike, k: float = 3.0) -> np.ndarray:
    """Lower S-chart factor: LCL = B3 · S for subgroups of size n."""
    c = c4(n)
    with np.errstate(invalid="ignore"):
        return np.maximum(0.0, 1.0 - k * np.sqrt(1.0 - c * c) / c)


def B4(n: ArrayLike, k: float = 3.0) -> np.ndarray:
    """Upper S-chart factor: UCL = B4 · S for subgroups of size n."""
    c = c4(n)
    return 1.0 + k * np.sqrt(1.0 - c * c) / c
