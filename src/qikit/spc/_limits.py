"""Centre lines and limits per chart type, for one part of one facet (spc-semantics §5).

Each function takes the subgroup arrays of one block and returns a :class:`Limits` with the
(possibly replaced) ``y``, the centre line and the 3- and 2-sigma limits, plus the 1- and 2-sigma
zone lines used by the Western Electric style rules (unclamped). Nothing here is multiplied.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from qikit.spc.constants import A3, B3, B4, D2_N2, D4_N2, c4

CHARTS = ("run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g", "ip")
RATIO_CHARTS = ("p", "pp", "u", "up")
COUNT_CHARTS = ("c", "p", "pp", "u", "up", "g")
#: MDC (Making Data Count) natural process limits: mean ± 2.66 · mean moving range.
MDC_FACTOR = 2.66


Zones = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@dataclass
class Block:
    """Subgroup arrays of one (facet, part) block."""

    y: np.ndarray
    y_sum: np.ndarray
    y_length: np.ndarray
    y_mean: np.ndarray
    y_sd: np.ndarray
    n: np.ndarray
    cl_user: np.ndarray
    base: np.ndarray
    include: np.ndarray
    categorical: bool


@dataclass
class Limits:
    """Output of a chart function (unmultiplied)."""

    y: np.ndarray
    cl: np.ndarray
    lcl: np.ndarray
    ucl: np.ndarray
    lcl_95: np.ndarray
    ucl_95: np.ndarray
    zones: Callable[[], Zones]
    """Lazily computed 1- and 2-sigma lines ``(z1_lo, z1_hi, z2_lo, z2_hi)``, unclamped."""


def _sel(a: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``a[mask]`` without the copy when every element is selected."""
    return a if mask.all() else a[mask]


def _nanmean(a: np.ndarray) -> float:
    nan = np.isnan(a)
    if nan.any():
        a = a[~nan]
    return float(a.mean()) if a.size else math.nan


def _nansum(a: np.ndarray) -> float:
    nan = np.isnan(a)
    return float(np.sum(a[~nan] if nan.any() else a))


def screened_mean(values: np.ndarray, screen: bool, factor: float = D4_N2) -> float:
    """Mean moving range, optionally after one pass of screening (keep ``mr < factor * mean``)."""
    nan = np.isnan(values)
    v = values[~nan] if nan.any() else values
    if v.size == 0:
        return math.nan
    amr = float(v.mean())
    if screen:
        kept = v[v < factor * amr]
        amr = float(kept.mean()) if kept.size else math.nan
    return amr


def _centre(b: Block, computed: float) -> tuple[np.ndarray, bool]:
    """The user's cl if it has no missing value, else the computed scalar."""
    if np.isnan(b.cl_user).any():
        return np.full(b.y.size, computed), True
    return b.cl_user.astype(float, copy=True), False


def _zones(centre: np.ndarray, sigma: np.ndarray | float) -> Callable[[], Zones]:
    def make() -> Zones:
        with np.errstate(invalid="ignore"):
            return centre - sigma, centre + sigma, centre - 2 * sigma, centre + 2 * sigma

    return make


def _symmetric(y: np.ndarray, cl: np.ndarray, sigma: np.ndarray | float) -> Limits:
    sig = sigma if np.ndim(sigma) else float(sigma)  # type: ignore[arg-type]
    with np.errstate(invalid="ignore"):
        return Limits(
            y=y,
            cl=cl,
            lcl=cl - 3 * sig,
            ucl=cl + 3 * sig,
            lcl_95=cl - 2 * sig,
            ucl_95=cl + 2 * sig,
            zones=_zones(cl, sig),
        )


def _nan_limits(y: np.ndarray, cl: np.ndarray) -> Limits:
    def na() -> np.ndarray:
        return np.full(y.size, np.nan)

    # Separate arrays: they become separate table columns.
    return Limits(y, cl, na(), na(), na(), na(), zones=lambda: (na(), na(), na(), na()))


def _clamp(lim: Limits, lower: bool = True, upper: bool = False) -> Limits:
    for name in ("lcl", "lcl_95") if lower else ():
        a = getattr(lim, name)
        a[np.isfinite(a) & (a < 0)] = 0.0
    for name in ("ucl", "ucl_95") if upper else ():
        a = getattr(lim, name)
        a[np.isfinite(a) & (a > 1)] = 1.0
    return lim


def run_limits(b: Block) -> Limits:
    """Run chart: median centre line, no limits."""
    yb = b.y[b.base]
    med = float(np.median(yb[~np.isnan(yb)])) if (~np.isnan(yb)).any() else math.nan
    cl, _ = _centre(b, med)
    return _nan_limits(b.y, cl)


def i_limits(b: Block, screen: bool, sigma_factor: float | None = None) -> Limits:
    """Individuals chart: mean, sigma = screened mean moving range / 1.128 (or MDC's 2.66/3)."""
    yb = _sel(b.y, b.base)
    cl, _ = _centre(b, _nanmean(yb))
    d = yb - _sel(cl, b.base)
    mr = np.abs(np.diff(d))
    amr = screened_mean(mr, screen)
    sigma = amr / D2_N2 if sigma_factor is None else amr * sigma_factor
    return _symmetric(b.y, cl, sigma)


def mr_limits(b: Block) -> Limits:
    """Moving-range chart: y = |diff(y)| over the whole part; UCL = 3.267 · mean MR."""
    y = np.concatenate(([np.nan], np.abs(np.diff(b.y)))) if b.y.size else b.y.copy()
    cl, _ = _centre(replace(b, y=y), _nanmean(y[b.base]))
    zero = np.zeros(y.size)
    ucl = D4_N2 * cl
    sig = (ucl - cl) / 3
    return Limits(
        y=y,
        cl=cl,
        lcl=zero,
        ucl=ucl,
        lcl_95=zero.copy(),
        ucl_95=(D4_N2 / 3) * 2 * cl,
        zones=_zones(cl, sig),
    )


def _pooled_s(b: Block) -> float:
    yl = b.y_length.astype(float)
    var_n = np.unique(b.y_length).size > 1
    if var_n:
        num = (yl - 1) * b.y_sd**2
        den = float(np.sum((yl - 1)[b.base]))
        val = _nansum(num[b.base]) / den if den != 0 else math.nan
        return math.sqrt(val) if val >= 0 else math.nan
    return _nanmean(b.y_sd[b.base])


def xbar_limits(b: Block) -> Limits:
    """Xbar chart: weighted grand mean, limits CL ± A3(n_i)·S."""
    yl = b.y_length.astype(float)
    num = _nansum((yl * b.y_mean)[b.base])
    den = float(np.sum(yl[b.base]))
    cl, _ = _centre(b, num / den if den else math.nan)
    s = _pooled_s(b)
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = s / (c4(yl) * np.sqrt(yl))
        a3, a3_2 = A3(yl) * s, A3(yl, 2.0) * s
    return Limits(
        y=b.y,
        cl=cl,
        lcl=cl - a3,
        ucl=cl + a3,
        lcl_95=cl - a3_2,
        ucl_95=cl + a3_2,
        zones=_zones(cl, sigma),
    )


def s_limits(b: Block) -> Limits:
    """S chart: pooled (or mean) SD, limits B3(n_i)·CL and B4(n_i)·CL."""
    y = b.y_sd.copy()
    cl, _ = _centre(b, _pooled_s(b))
    yl = b.y_length.astype(float)
    c = c4(yl)
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = cl * np.sqrt(1 - c * c) / c
    return Limits(
        y=y,
        cl=cl,
        lcl=B3(yl) * cl,
        ucl=B4(yl) * cl,
        lcl_95=B3(yl, 2.0) * cl,
        ucl_95=B4(yl, 2.0) * cl,
        zones=_zones(cl, sigma),
    )


def t_limits(b: Block, screen: bool, sigma_factor: float | None = None) -> Limits:
    """T chart: I chart of y^(1/3.6), back-transformed with ^3.6; lcl NaN or < 0 becomes 0."""
    with np.errstate(invalid="ignore"):
        yt = b.y ** (1 / 3.6)
        cl_t = b.cl_user ** (1 / 3.6)
    tb = replace(b, y=yt, cl_user=cl_t)
    lim = i_limits(tb, screen, sigma_factor)

    def back(a: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.where(a < 0, np.nan, a) ** 3.6

    def zones() -> Zones:
        z1_lo, z1_hi, z2_lo, z2_hi = (back(a) for a in lim.zones())
        for a in (z1_lo, z2_lo):
            a[np.isnan(a)] = 0.0
        return z1_lo, z1_hi, z2_lo, z2_hi

    out = Limits(
        y=back(lim.y),
        cl=back(lim.cl),
        lcl=back(lim.lcl),
        ucl=back(lim.ucl),
        lcl_95=back(lim.lcl_95),
        ucl_95=back(lim.ucl_95),
        zones=zones,
    )
    out.lcl[np.isnan(out.lcl) | (out.lcl < 0)] = 0.0
    return out


def p_limits(b: Block, laney: bool, screen: bool) -> Limits:
    """P chart (and Laney P′): binomial sigma per subgroup, clamped to [0, 1]."""
    cl, _ = _centre(b, _nansum(b.y_sum[b.base]) / _nansum(b.n[b.base]) if _nansum(b.n[b.base]) else math.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = np.sqrt(cl * (1 - cl) / b.n)
    if laney:
        sigma = sigma * _sigma_z(b, cl, sigma, screen)
    return _clamp(_symmetric(b.y, cl, sigma), lower=True, upper=True)


def u_limits(b: Block, laney: bool, screen: bool) -> Limits:
    """U chart (and Laney U′): Poisson sigma per subgroup; negative lcl becomes 0."""
    den = _nansum(b.n[b.base])
    cl, _ = _centre(b, _nansum(b.y_sum[b.base]) / den if den else math.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = np.sqrt(cl / b.n)
    if laney:
        sigma = sigma * _sigma_z(b, cl, sigma, screen)
    return _clamp(_symmetric(b.y, cl, sigma), lower=True)


def _sigma_z(b: Block, cl: np.ndarray, sigma: np.ndarray, screen: bool) -> float:
    """Laney's between-subgroup factor: from moving ranges of z (time) or SD of z (categories)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (b.y[b.base] - cl[b.base]) / sigma[b.base]
    if b.categorical:
        if z.size < 2 or not np.isfinite(z).all():
            return math.nan
        return float(np.std(z, ddof=1))
    with np.errstate(invalid="ignore"):
        mr = np.abs(np.diff(z))
    mr = mr[np.isfinite(mr)] if mr.size else mr
    return screened_mean(mr, screen) / D2_N2


def c_limits(b: Block) -> Limits:
    """C chart: y = subgroup sum, Poisson sigma sqrt(CL); negative lcl becomes 0."""
    y = b.y_sum.copy()
    cl, _ = _centre(b, _nanmean(y[b.base]))
    with np.errstate(invalid="ignore"):
        sigma = np.sqrt(cl)
    return _clamp(_symmetric(y, cl, sigma), lower=True)


def g_limits(b: Block) -> Limits:
    """G chart: limits from the mean (geometric sigma), centre line at the median (or 0.693·cl)."""
    yb = b.y[b.base]
    if np.isnan(b.cl_user).any():
        m = np.full(b.y.size, _nanmean(yb))
        ok = yb[~np.isnan(yb)]
        cl = np.full(b.y.size, float(np.median(ok)) if ok.size else math.nan)
    else:
        m = b.cl_user.astype(float)
        cl = 0.693 * m
    with np.errstate(invalid="ignore"):
        sigma = np.sqrt(m * (m + 1))
    lim = Limits(
        y=b.y,
        cl=cl,
        lcl=np.maximum(0.0, m - 3 * sigma),
        ucl=m + 3 * sigma,
        lcl_95=np.maximum(0.0, m - 2 * sigma),
        ucl_95=m + 2 * sigma,
        zones=_zones(m, sigma),
    )
    return lim


def ip_limits(b: Block, screen: bool) -> Limits:
    """I′ chart (Taylor): individuals of rates with varying n, sigma_i = ā·sqrt(1/n_i)."""
    n = b.n
    if np.isnan(n).all():
        n = b.y_length.astype(float)
    num = _nansum((b.y * n)[b.base])
    den = _nansum(n[b.base])
    cl, _ = _centre(b, num / den if den else math.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = math.sqrt(math.pi / 2) * np.abs(np.diff(b.y)) / np.sqrt(1 / n[:-1] + 1 / n[1:])
        abar = screened_mean(s[np.isfinite(s)] if s.size else s, screen, 3.2665)
        sigma = abar * np.sqrt(1 / n)
    return _symmetric(b.y, cl, sigma)


def compute(chart: str, b: Block, *, screen: bool, mdc: bool) -> Limits:
    """Dispatch to the chart's limits function."""
    factor = MDC_FACTOR / 3 if mdc else None
    if chart == "run":
        return run_limits(b)
    if chart == "i":
        return i_limits(b, screen, factor)
    if chart == "mr":
        return mr_limits(b)
    if chart == "xbar":
        return xbar_limits(b)
    if chart == "s":
        return s_limits(b)
    if chart == "t":
        return t_limits(b, screen, factor)
    if chart in ("p", "pp"):
        return p_limits(b, chart == "pp", screen)
    if chart in ("u", "up"):
        return u_limits(b, chart == "up", screen)
    if chart == "c":
        return c_limits(b)
    if chart == "g":
        return g_limits(b)
    if chart == "ip":
        return ip_limits(b, screen)
    raise AssertionError(chart)  # pragma: no cover
