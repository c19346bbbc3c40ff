"""Small helpers shared across qikit's engines: argument checks, frozen mappings and HTML reprs.

Nothing here imports matplotlib or ipywidgets.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from qikit._errors import QikitInputError


def check_int(func: str, name: str, value: object, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an ``int`` or raise a :class:`QikitInputError` naming ``func`` and ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise QikitInputError(f"{func}(): {name} must be a whole number; got {value!r}.")
    out = int(value)
    if low is not None and out < low:
        raise QikitInputError(f"{func}(): {name} must be at least {low}; got {name} = {out}.")
    if high is not None and out > high:
        raise QikitInputError(f"{func}(): {name} must be at most {high}; got {name} = {out}.")
    return out


def check_float(
    func: str,
    name: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    hint: str = "",
) -> float:
    """Return ``value`` as a finite ``float`` in the given range, else raise :class:`QikitInputError`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise QikitInputError(f"{func}(): {name} must be a number; got {value!r}.{_sp(hint)}")
    out = float(value)
    if not math.isfinite(out):
        raise QikitInputError(f"{func}(): {name} must be a finite number; got {name} = {out}.{_sp(hint)}")
    if low is not None and (out < low or (low_open and out == low)):
        rel = "greater than" if low_open else "at least"
        raise QikitInputError(f"{func}(): {name} must be {rel} {low:g}; got {name} = {out:g}.{_sp(hint)}")
    if high is not None and out > high:
        raise QikitInputError(f"{func}(): {name} must be at most {high:g}; got {name} = {out:g}.{_sp(hint)}")
    return out


def _sp(hint: str) -> str:
    return f" {hint}" if hint else ""


def frozen(mapping: Mapping[str, object]) -> Mapping[str, object]:
    """A read-only copy of ``mapping`` for the ``params`` of a result object."""
    return MappingProxyType(dict(mapping))


def html_repr(title: str, summary: pd.DataFrame, table: pd.DataFrame | None = None, *, rows: int = 8) -> str:
    """Notebook HTML for a result object: a title, its summary and the first rows of its table."""
    parts = [f"<div><strong>{html.escape(title)}</strong>", summary.to_html(index=False, float_format=_fmt)]
    if table is not None:
        more = f" (first {rows} of {len(table)} rows)" if len(table) > rows else ""
        parts.append(f"<div><em>table{html.escape(more)}</em></div>")
        parts.append(table.head(rows).to_html(index=False, float_format=_fmt))
    parts.append("</div>")
    return "\n".join(parts)


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def wilson_interval(successes: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson's score interval for a binomial proportion (95 % by default).

    Unlike the normal ("Wald") interval it stays informative when ``successes`` is 0 or ``trials``.
    """
    if trials <= 0:
        return (math.nan, math.nan)
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z / (1 + z2 / trials) * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return (low, high)


def as_float_array(func: str, name: str, values: object) -> np.ndarray:
    """A 1-D float array of finite numbers, or a clear :class:`QikitInputError`."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise QikitInputError(f"{func}(): {name} must be a list of numbers; got {values!r}.") from None
    if arr.ndim != 1:
        raise QikitInputError(f"{func}(): {name} must be a flat list of numbers; got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise QikitInputError(f"{func}(): {name} must contain finite numbers only; got {values!r}.")
    return arr
