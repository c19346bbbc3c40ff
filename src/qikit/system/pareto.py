"""Pareto analysis: which few categories account for most of the problem (Juran's "vital few")."""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from qikit._common import check_float, frozen, html_repr
from qikit._errors import QikitInputError, QikitWarning

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["ParetoResult", "pareto"]


@dataclass(frozen=True, eq=False)
class ParetoResult:
    """Outcome of :func:`pareto`.

    Attributes
    ----------
    table
        One row per category, largest first: ``rank, category, count, share, cumulative_share,
        vital_few``.
    threshold
        The cumulative share that defines the vital few (default 0.8).
    vital_few
        The categories in the vital few, in order.
    total
        Sum of the counts.
    params
        The arguments of the call.
    """

    table: pd.DataFrame
    threshold: float
    vital_few: tuple[str, ...]
    total: float
    params: Mapping[str, object]

    def summary(self) -> pd.DataFrame:
        """One row: ``categories, total, threshold, n_vital, vital_share, vital_few``."""
        t = self.table
        n_vital = len(self.vital_few)
        return pd.DataFrame(
            [
                {
                    "categories": len(t),
                    "total": self.total,
                    "threshold": self.threshold,
                    "n_vital": n_vital,
                    "vital_share": float(t["cumulative_share"].iloc[n_vital - 1]) if n_vital else 0.0,
                    "vital_few": "; ".join(self.vital_few),
                }
            ]
        )

    def plot(self, ax: Axes | None = None, *, lang: str | None = None, title: str | None = None) -> Axes:
        """Draw the Pareto chart; see :func:`qikit.system.plotting.plot_pareto`."""
        from qikit.system.plotting import plot_pareto

        return plot_pareto(self, ax=ax, lang=lang, title=title)

    def _repr_html_(self) -> str:
        return html_repr("Pareto analysis", self.summary(), self.table, rows=20)


def _counts_from(func: str, data: object, category: str | None, count: str | None) -> tuple[list[str], np.ndarray]:
    if isinstance(data, pd.DataFrame):
        if category is None:
            raise QikitInputError(
                f"{func}(): with a DataFrame, name its category column, e.g. category='kategori'; "
                f"columns are {list(data.columns)}."
            )
        for col in (category, count):
            if col is not None and col not in data.columns:
                raise QikitInputError(f"{func}(): no column {col!r}; columns are {list(data.columns)}.")
        if count is None:
            return _counts_from(func, data[category], None, None)
        cats = data[category]
        _check_missing(func, cats)
        sub = data.loc[cats.notna(), [category, count]]
        grouped = sub.groupby(sub[category].astype(str), sort=False)[count].sum()
        return [str(c) for c in grouped.index], _check_counts(func, grouped.to_numpy())
    if isinstance(data, Mapping):
        return [str(k) for k in data], _check_counts(func, list(data.values()))
    if isinstance(data, pd.Series):
        if pd.api.types.is_numeric_dtype(data) and not pd.api.types.is_bool_dtype(data):
            # A Series of numbers is read as counts keyed by its index (like value_counts() output).
            return [str(k) for k in data.index], _check_counts(func, data.to_numpy())
        _check_missing(func, data)
        vc = data.dropna().astype(str).value_counts(sort=False)
        return [str(k) for k in vc.index], vc.to_numpy().astype(float)
    if isinstance(data, Sequence | np.ndarray) and not isinstance(data, str):
        return _counts_from(func, pd.Series(list(data), dtype=object), None, None)
    raise QikitInputError(
        f"{func}(): data must be observations (a list or Series of categories), counts (a dict or a "
        f"numeric Series indexed by category) or a DataFrame; got {type(data).__name__}."
    )


def _check_missing(func: str, values: pd.Series) -> None:
    k = int(values.isna().sum())
    if k:
        warnings.warn(
            f"{func}(): {k} observation(s) without a category were left out. Give them a category "
            "(e.g. 'Ukjent' / 'Unknown') to count them.",
            QikitWarning,
            stacklevel=4,
        )


def _check_counts(func: str, values: object) -> np.ndarray:
    vals = list(values)  # type: ignore[call-overload]
    for v in vals:
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not np.isfinite(float(v)) or float(v) < 0:
            raise QikitInputError(f"{func}(): counts must be non-negative numbers; got {v!r}.")
    return np.asarray(vals, dtype=float)


def pareto(
    data: object,
    *,
    threshold: float = 0.8,
    category: str | None = None,
    count: str | None = None,
    last: str | None = None,
) -> ParetoResult:
    """Sort categories by size and find the vital few that make up ``threshold`` of the total.

    Parameters
    ----------
    data
        One of: observations (a list or a Series of category labels, e.g. one incident report each);
        counts (a dict ``{category: count}`` or a numeric Series indexed by category); or a DataFrame
        with a ``category`` column (rows are counted) and optionally a ``count`` column (summed).
    threshold
        Cumulative share, in (0, 1], that defines the vital few (Juran's 80 %).
    category, count
        Column names when ``data`` is a DataFrame.
    last
        A catch-all category (e.g. ``"Annet"`` / ``"Other"``) to place last whatever its size, as
        Pareto charts conventionally do.

    Returns
    -------
    ParetoResult
        ``.table`` columns ``rank, category, count, share, cumulative_share, vital_few``;
        ``.vital_few`` the categories in the vital few.

    Notes
    -----
    Categories are sorted by count, largest first (ties alphabetically, for a stable order).
    ``share`` = count / total and ``cumulative_share`` is its running sum. The vital few are the
    categories up to and including the first one at which the cumulative share reaches
    ``threshold``: a category is in the vital few when the cumulative share *before* it is below the
    threshold. Missing categories in observations are left out with a :class:`QikitWarning`.

    References
    ----------
    Juran JM. *Quality Control Handbook*. McGraw-Hill; 1951 (the Pareto principle: the vital few and
    the useful many).
    Langley GJ et al. *The Improvement Guide*. 2nd ed. Jossey-Bass; 2009, appendix (Pareto chart).

    Examples
    --------
    >>> res = pareto({"Fall": 40, "Legemidler": 25, "Infeksjon": 15, "Trykksår": 10, "Annet": 10})
    >>> res.table["cumulative_share"].round(2).tolist()
    [0.4, 0.65, 0.8, 0.9, 1.0]
    >>> res.vital_few
    ('Fall', 'Legemidler', 'Infeksjon')
    """
    func = "pareto"
    if isinstance(threshold, numbers.Real) and not isinstance(threshold, bool) and 1 < float(threshold) <= 100:
        raise QikitInputError(
            f"{func}(): threshold is a share between 0 and 1; got {threshold}. Did you mean {float(threshold) / 100:g}?"
        )
    thr = check_float(func, "threshold", threshold, low=0.0, high=1.0, low_open=True)
    names, counts = _counts_from(func, data, category, count)
    if not names:
        raise QikitInputError(f"{func}(): there are no categories to analyse.")
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise QikitInputError(f"{func}(): category names must be unique; {dup} appear more than once.")
    total = float(counts.sum())
    if total <= 0:
        raise QikitInputError(f"{func}(): all counts are zero; there is nothing to rank.")
    if last is not None and last not in names:
        raise QikitInputError(f"{func}(): last = {last!r} is not a category; categories are {names}.")
    df = pd.DataFrame({"category": pd.Series(names, dtype="str"), "count": counts})
    df["_last"] = df["category"] == last if last is not None else False
    df = df.sort_values(["_last", "count", "category"], ascending=[True, False, True], kind="stable")
    df = df.drop(columns="_last").reset_index(drop=True)
    df["share"] = df["count"] / total
    cum = np.cumsum(df["count"].to_numpy()) / total
    cum[-1] = 1.0
    df["cumulative_share"] = cum
    before = np.concatenate(([0.0], cum[:-1]))
    df["vital_few"] = before < thr - 1e-12
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    if np.all(np.equal(np.mod(df["count"].to_numpy(), 1), 0)):
        df["count"] = df["count"].astype(np.int64)
    vital = tuple(df.loc[df["vital_few"], "category"].tolist())
    return ParetoResult(
        table=df,
        threshold=thr,
        vital_few=vital,
        total=total,
        params=frozen({"threshold": thr, "category": category, "count": count, "last": last}),
    )
