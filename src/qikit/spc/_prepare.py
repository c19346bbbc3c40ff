"""Input handling for the SPC engine: columns, validation, dates and aggregation by x.

Everything here works on numpy arrays; pandas is used only to read columns and to parse
dates. See ``docs/spc.md`` and ``spc-semantics.md`` §2-4 for the conventions followed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from qikit._errors import QikitInputError

X_PERIODS = ("week", "month", "quarter", "year")
_PERIOD_FREQ = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
# ISO dates and months ("2024-03-15", "2024-03-15T08:30", "2024-03"): month strings are common in QI data.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


@dataclass
class Columns:
    """Raw per-input-row arrays after reading and validating the arguments."""

    n_rows: int
    x: np.ndarray
    x_kind: str  # 'numeric' | 'date' | 'category'
    x_categories: list[Any] | None  # order of categorical x (None: sorted)
    x_name: str | None
    y: np.ndarray
    y_name: str | None
    n: np.ndarray | None
    n_name: str | None
    cl: np.ndarray | None
    target: np.ndarray | None
    notes: np.ndarray | None
    part_labels: np.ndarray | None
    facets: list[np.ndarray]
    facet_categories: list[list[Any] | None]
    facet_names: list[str]


@dataclass
class Subgroups:
    """One entry per subgroup (x value within a facet combination), sorted by facet, then x."""

    x: np.ndarray
    facets: list[np.ndarray]
    combo: np.ndarray  # facet combination id per subgroup (0..k-1), contiguous blocks
    y_sum: np.ndarray
    y_length: np.ndarray
    y_mean: np.ndarray
    y_sd: np.ndarray
    n: np.ndarray
    y: np.ndarray
    cl: np.ndarray
    target: np.ndarray
    notes: np.ndarray | None
    part_labels: np.ndarray | None
    aggregated: bool  # some subgroup holds more than one input row


def _fmt(v: object) -> str:
    if isinstance(v, np.datetime64):
        ts = pd.Timestamp(v)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else str(ts)
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d") if v == v.normalize() else str(v)
    if isinstance(v, float | np.floating) and float(v).is_integer():
        return str(int(v))
    if isinstance(v, np.generic):
        return str(v.item())
    return str(v)


def _get(
    data: pd.DataFrame | None, spec: object, arg: str, func: str, n_rows: int
) -> tuple[pd.Series | None, str | None]:
    """Resolve a column name or an array-like to a Series of length ``n_rows``."""
    if spec is None:
        return None, None
    if isinstance(spec, str):
        if data is None:
            raise QikitInputError(
                f"{func}(): {arg} = {spec!r} names a column, but data is not a DataFrame. "
                f"Pass a DataFrame as data, or pass the values themselves as {arg}."
            )
        if spec not in data.columns:
            cols = ", ".join(repr(str(c)) for c in list(data.columns)[:20])
            raise QikitInputError(f"{func}(): {arg} = {spec!r} is not a column of data; the columns are {cols}.")
        return data[spec].reset_index(drop=True), spec
    if isinstance(spec, pd.Series):
        s = spec.reset_index(drop=True)
    else:
        try:
            arr = np.asarray(spec)
        except Exception:  # pragma: no cover - defensive
            raise QikitInputError(f"{func}(): {arg} must be a column name or a sequence; got {spec!r}.") from None
        if arr.ndim == 0:
            return pd.Series(np.repeat(arr, n_rows)), None
        s = pd.Series(arr.ravel())
    if len(s) != n_rows:
        raise QikitInputError(
            f"{func}(): {arg} has {len(s)} values but the data have {n_rows} rows. "
            "Give one value per row, or a column name."
        )
    return s, (str(s.name) if s.name is not None else None)


def to_float(s: pd.Series, arg: str, func: str, x_labels: pd.Series | np.ndarray | None = None) -> np.ndarray:
    """Numeric conversion with a clear error naming the first non-numeric value."""
    dt = s.dtype
    if pd.api.types.is_bool_dtype(dt):
        return s.to_numpy(dtype=float, na_value=np.nan)
    if pd.api.types.is_numeric_dtype(dt):
        out = s.to_numpy(dtype=float, na_value=np.nan)
    else:
        if pd.api.types.is_datetime64_any_dtype(dt) or isinstance(dt, pd.PeriodDtype):
            raise QikitInputError(f"{func}(): {arg} must be numeric; got dates ({dt}).")
        conv = pd.to_numeric(s.astype(object).where(s.notna(), None), errors="coerce")
        bad = conv.isna().to_numpy() & s.notna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            where = f" at x = {_fmt(np.asarray(x_labels)[i])}" if x_labels is not None else f" in row {i + 1}"
            raise QikitInputError(
                f"{func}(): {arg} must be numeric; got {s.iloc[i]!r}{where}. "
                "Fix or blank out that value (blank = missing)."
            )
        out = conv.to_numpy(dtype=float, na_value=np.nan)
    inf = np.isinf(out)
    if inf.any():
        i = int(np.flatnonzero(inf)[0])
        where = f" at x = {_fmt(np.asarray(x_labels)[i])}" if x_labels is not None else f" in row {i + 1}"
        raise QikitInputError(
            f"{func}(): {arg} must be finite; got {out[i]}{where}. Use a missing value (NaN) instead."
        )
    return out


def _to_x(s: pd.Series, func: str) -> tuple[np.ndarray, str, list[Any] | None]:
    """Classify and convert the x column: numeric, date or category."""
    dt = s.dtype
    if isinstance(dt, pd.PeriodDtype):
        return s.dt.to_timestamp().to_numpy(dtype="datetime64[ns]"), "date", None
    if pd.api.types.is_datetime64_any_dtype(dt):
        if getattr(dt, "tz", None) is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        return s.to_numpy(dtype="datetime64[ns]"), "date", None
    if isinstance(dt, pd.CategoricalDtype):
        cats = list(dt.categories)
        return s.astype(object).where(s.notna(), None).to_numpy(dtype=object), "category", cats
    if pd.api.types.is_bool_dtype(dt):
        return s.astype(object).to_numpy(dtype=object), "category", None
    if pd.api.types.is_numeric_dtype(dt):
        arr = s.to_numpy(dtype=float, na_value=np.nan)
        if np.isinf(arr).any():
            raise QikitInputError(f"{func}(): x must be finite; got an infinite value.")
        if pd.api.types.is_integer_dtype(dt) and not s.isna().any():
            return s.to_numpy(dtype=np.int64), "numeric", None
        return arr, "numeric", None
    # object / string: dates (datetime objects or ISO strings) or categories
    nonnull = s[s.notna()]
    if len(nonnull) and all(
        isinstance(v, pd.Timestamp | np.datetime64) or hasattr(v, "isoformat") for v in nonnull.iloc[:50]
    ):
        try:
            conv = pd.to_datetime(s, utc=True).dt.tz_localize(None)
            return conv.to_numpy(dtype="datetime64[ns]"), "date", None
        except (ValueError, TypeError):
            pass
    if len(nonnull):
        as_str = nonnull.astype(str).str.strip()
        if bool(as_str.str.match(_ISO_DATE).all()):
            try:
                conv = pd.to_datetime(s.astype(object).where(s.notna(), None), utc=True, format="ISO8601")
                return conv.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]"), "date", None
            except (ValueError, TypeError):
                pass
    return s.astype(object).where(s.notna(), None).to_numpy(dtype=object), "category", None


def _to_labels(s: pd.Series) -> tuple[np.ndarray, list[Any] | None]:
    dt = s.dtype
    cats = list(dt.categories) if isinstance(dt, pd.CategoricalDtype) else None
    return s.astype(object).where(s.notna(), None).to_numpy(dtype=object), cats


def read_columns(
    data: object,
    *,
    y: object,
    n: object,
    x: object,
    cl: object,
    target: object,
    notes: object,
    part: object,
    facets: object,
    func: str,
) -> tuple[Columns, object]:
    """Resolve all column arguments. Returns the columns and the (possibly numeric) ``part``."""
    df: pd.DataFrame | None
    if isinstance(data, pd.DataFrame):
        df = data
        if y is None:
            raise QikitInputError(f"{func}(): y is missing. Name the column to chart, e.g. y='{_first_numeric(df)}'.")
        n_rows = len(df)
    elif data is None:
        if y is None:
            raise QikitInputError(f"{func}(): no data. Pass a DataFrame with y='column', or a sequence of values.")
        if isinstance(y, str):
            raise QikitInputError(f"{func}(): y = {y!r} names a column, but data is None. Pass the DataFrame.")
        df = None
        n_rows = len(np.asarray(y).ravel())
    else:
        if y is not None:
            raise QikitInputError(
                f"{func}(): data is a {type(data).__name__}, not a DataFrame, so y must be None "
                "(the values themselves are y). Pass a DataFrame to name columns."
            )
        if isinstance(data, pd.Series):
            if x is None and not isinstance(data.index, pd.RangeIndex):
                # A Series indexed by dates, periods or labels charts against its index.
                x = pd.Series(data.index, name=data.index.name)
            y = data.reset_index(drop=True)
        else:
            if isinstance(data, str | bytes | dict):
                raise QikitInputError(
                    f"{func}(): data must be a pandas DataFrame, a Series or a sequence of numbers; "
                    f"got {type(data).__name__}."
                )
            try:
                y = pd.Series(np.asarray(data, dtype=object).ravel())
            except Exception:  # pragma: no cover - defensive
                raise QikitInputError(f"{func}(): data must be a DataFrame or a sequence of numbers.") from None
        df = None
        n_rows = len(y)  # type: ignore[arg-type]

    xs, x_name = _get(df, x, "x", func, n_rows)
    if xs is None:
        x_arr: np.ndarray = np.arange(1, n_rows + 1, dtype=np.int64)
        x_kind, x_cats = "numeric", None
    else:
        x_arr, x_kind, x_cats = _to_x(xs, func)
    ys, y_name = _get(df, y, "y", func, n_rows)
    assert ys is not None
    if y_name is None and isinstance(y, pd.Series) and y.name is not None:
        y_name = str(y.name)
    y_arr = to_float(ys, "y", func, x_arr)
    ns, n_name = _get(df, n, "n", func, n_rows)
    n_arr = None if ns is None else to_float(ns, "n", func, x_arr)

    def numeric_or_none(spec: object, arg: str) -> np.ndarray | None:
        if spec is None:
            return None
        if isinstance(spec, int | float | np.integer | np.floating) and not isinstance(spec, bool):
            v = float(spec)
            if not np.isfinite(v):
                raise QikitInputError(f"{func}(): {arg} must be a finite number; got {spec!r}.")
            return np.full(n_rows, v)
        s, _ = _get(df, spec, arg, func, n_rows)
        assert s is not None
        return to_float(s, arg, func, x_arr)

    cl_arr = numeric_or_none(cl, "cl")
    target_arr = numeric_or_none(target, "target")

    notes_arr = None
    if notes is not None:
        s, _ = _get(df, notes, "notes", func, n_rows)
        assert s is not None
        notes_arr, _ = _to_labels(s)

    part_labels = None
    part_out: object = part
    if (
        isinstance(part, str)
        or isinstance(part, pd.Series)
        or (
            isinstance(part, np.ndarray | list | tuple)
            and len(part) == n_rows
            and n_rows > 0
            and not all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in part)
        )
    ):
        s, _ = _get(df, part, "part", func, n_rows)
        assert s is not None
        part_labels, _ = _to_labels(s)
        if any(v is None for v in part_labels):
            raise QikitInputError(
                f"{func}(): part labels must not be missing; the column has empty values. Give every row a phase label."
            )
        part_out = None

    facet_arrays: list[np.ndarray] = []
    facet_cats: list[list[Any] | None] = []
    facet_names: list[str] = []
    if facets is not None:
        specs: Sequence[object] = [facets] if isinstance(facets, str) else list(facets)  # type: ignore[call-overload]
        if not 1 <= len(specs) <= 2:
            raise QikitInputError(f"{func}(): facets must be one or two column names; got {len(specs)}.")
        for i, spec in enumerate(specs):
            s, name = _get(df, spec, "facets", func, n_rows)
            assert s is not None
            arr, cats = _to_labels(s)
            facet_arrays.append(arr)
            facet_cats.append(cats)
            facet_names.append(name or f"facet{i + 1}")

    cols = Columns(
        n_rows=n_rows,
        x=x_arr,
        x_kind=x_kind,
        x_categories=x_cats,
        x_name=x_name,
        y=y_arr,
        y_name=y_name,
        n=n_arr,
        n_name=n_name,
        cl=cl_arr,
        target=target_arr,
        notes=notes_arr,
        part_labels=part_labels,
        facets=facet_arrays,
        facet_categories=facet_cats,
        facet_names=facet_names,
    )
    return cols, part_out


def _first_numeric(df: pd.DataFrame) -> str:
    for c in df.columns:
        if pd.api.types.is_numeric_dtype(df[c].dtype):
            return str(c)
    return "value"


def x_missing(cols: Columns) -> np.ndarray:
    """Mask of input rows whose x is missing."""
    if cols.x_kind == "numeric":
        return np.isnan(cols.x) if cols.x.dtype.kind == "f" else np.zeros(cols.n_rows, bool)
    if cols.x_kind == "date":
        return np.isnat(cols.x)
    return np.array([v is None or (isinstance(v, float) and np.isnan(v)) for v in cols.x], dtype=bool)


def subset_rows(cols: Columns, keep: np.ndarray) -> Columns:
    """Keep only the rows where ``keep`` is True."""

    def sel(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else a[keep]

    return Columns(
        n_rows=int(keep.sum()),
        x=cols.x[keep],
        x_kind=cols.x_kind,
        x_categories=cols.x_categories,
        x_name=cols.x_name,
        y=cols.y[keep],
        y_name=cols.y_name,
        n=sel(cols.n),
        n_name=cols.n_name,
        cl=sel(cols.cl),
        target=sel(cols.target),
        notes=sel(cols.notes),
        part_labels=sel(cols.part_labels),
        facets=[f[keep] for f in cols.facets],
        facet_categories=cols.facet_categories,
        facet_names=cols.facet_names,
    )


def apply_period(x: np.ndarray, period: str) -> np.ndarray:
    """Replace dates by the start of their week (Monday), month, quarter or year."""
    s = pd.Series(x)
    out = s.dt.to_period(_PERIOD_FREQ[period]).dt.start_time
    return out.to_numpy(dtype="datetime64[ns]")


def _codes(values: np.ndarray, kind: str, categories: list[Any] | None) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique values and the code of each value (ascending order, or category order)."""
    if kind in ("numeric", "date"):
        uniq, inv = np.unique(values, return_inverse=True)
        return uniq, inv.astype(np.intp)
    if categories is not None:
        cat = pd.Categorical(values, categories=categories)
        codes = np.asarray(cat.codes, dtype=np.intp)
        used = np.unique(codes)
        remap = np.full(len(categories), -1, dtype=np.intp)
        remap[used] = np.arange(used.size)
        return np.array([categories[i] for i in used], dtype=object), remap[codes]
    # plain labels: sort as strings when mixed types, else natural order
    try:
        uniq_list = sorted(set(values.tolist()))
    except TypeError:
        uniq_list = sorted(set(values.tolist()), key=lambda v: str(v))
    lookup = {v: i for i, v in enumerate(uniq_list)}
    codes = np.fromiter((lookup[v] for v in values.tolist()), dtype=np.intp, count=values.size)
    return np.array(uniq_list, dtype=object), codes


def _join_notes(values: list[str]) -> str | None:
    seen: list[str] = []
    for v in values:
        for piece in str(v).split("|"):
            p = piece.strip()
            if p and p not in seen:
                seen.append(p)
    return " | ".join(seen) if seen else None


def aggregate(cols: Columns, agg: str) -> Subgroups:
    """Aggregate input rows to subgroups by (facet1, facet2, x); see spc-semantics §3."""
    m = cols.n_rows
    y = cols.y.copy()
    n = cols.n.copy() if cols.n is not None else None
    if n is not None:
        both = np.isnan(y) | np.isnan(n)
        y[both] = np.nan
        n[both] = np.nan

    fast = not cols.facets and cols.x_kind in ("numeric", "date") and (m <= 1 or bool(np.all(cols.x[1:] > cols.x[:-1])))
    if fast:
        valid = ~np.isnan(y)
        y_length = valid.astype(np.int64)
        y_sum = y.copy()
        y_mean = y.copy()
        y_sd = np.full(m, np.nan)
        if n is not None:
            n_sum = np.where(np.isnan(n), 0.0, n)
            with np.errstate(divide="ignore", invalid="ignore"):
                yy = np.where(valid, y, 0.0) / n_sum
        else:
            n_sum = np.full(m, np.nan)
            yy = y_sd.copy() if agg == "sd" else y.copy()
        # Own copies: the table must never share memory with the caller's data.
        return Subgroups(
            x=cols.x.copy(),
            facets=[],
            combo=np.zeros(m, dtype=np.intp),
            y_sum=y_sum,
            y_length=y_length,
            y_mean=y_mean,
            y_sd=y_sd,
            n=n_sum,
            y=yy,
            cl=cols.cl.copy() if cols.cl is not None else np.full(m, np.nan),
            target=cols.target.copy() if cols.target is not None else np.full(m, np.nan),
            notes=None
            if cols.notes is None
            else np.array(
                [None if v is None or str(v).strip() == "" else _join_notes([v]) for v in cols.notes], dtype=object
            ),
            part_labels=cols.part_labels,
            aggregated=False,
        )

    # General path: stable sort by (facet1, facet2, x) and reduce over groups.
    keys: list[np.ndarray] = []
    facet_uniques: list[np.ndarray] = []
    for f, cats in zip(cols.facets, cols.facet_categories, strict=True):
        fu, fc = _codes(f, "category", cats)
        facet_uniques.append(fu)
        keys.append(fc)
    xu, xc = _codes(cols.x, cols.x_kind, cols.x_categories)
    order = np.lexsort(tuple([xc] + keys[::-1]))
    sorted_keys = [k[order] for k in keys] + [xc[order]]
    change = np.zeros(m, dtype=bool)
    if m:
        change[0] = True
    for k in sorted_keys:
        change[1:] |= k[1:] != k[:-1]
    starts = np.flatnonzero(change)
    sizes = np.diff(np.append(starts, m))
    g = starts.size
    gid = np.repeat(np.arange(g), sizes)

    yv = y[order]
    valid = ~np.isnan(yv)
    y0 = np.where(valid, yv, 0.0)
    y_length = np.add.reduceat(valid.astype(np.int64), starts) if g else np.zeros(0, np.int64)
    ysum = np.add.reduceat(y0, starts) if g else np.zeros(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        y_mean = ysum / y_length
        dev = np.where(valid, yv - np.repeat(y_mean, sizes), 0.0)
        ss = np.add.reduceat(dev * dev, starts) if g else np.zeros(0)
        y_sd = np.where(y_length >= 2, np.sqrt(ss / (y_length - 1)), np.nan)
    y_sum = np.where(y_length > 0, ysum, np.nan)
    if n is not None:
        nv = n[order]
        n_sum = np.add.reduceat(np.where(np.isnan(nv), 0.0, nv), starts) if g else np.zeros(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            yy = ysum / n_sum
    else:
        n_sum = np.full(g, np.nan)
        if agg == "mean":
            yy = y_mean.copy()
        elif agg == "sum":
            yy = y_sum.copy()
        elif agg == "sd":
            yy = y_sd.copy()
        else:  # median
            yy = pd.Series(yv).groupby(gid).median().to_numpy(dtype=float) if g else np.zeros(0)
    first = order[starts]
    notes_out = None
    if cols.notes is not None:
        notes_sorted = cols.notes[order]
        has = np.flatnonzero(np.array([v is not None and str(v).strip() != "" for v in notes_sorted], bool))
        notes_out = np.full(g, None, dtype=object)
        buckets: dict[int, list[str]] = {}
        for i in has.tolist():
            buckets.setdefault(int(gid[i]), []).append(str(notes_sorted[i]))
        for gi, vals in buckets.items():
            notes_out[gi] = _join_notes(vals)
    facets_out = [fu[sorted_keys[i][starts]] for i, fu in enumerate(facet_uniques)]
    if keys:
        combo_change = np.zeros(g, dtype=bool)
        if g:
            combo_change[0] = True
        for k in sorted_keys[:-1]:
            ks = k[starts]
            combo_change[1:] |= ks[1:] != ks[:-1]
        combo = np.cumsum(combo_change) - 1
    else:
        combo = np.zeros(g, dtype=np.intp)
    return Subgroups(
        x=xu[sorted_keys[-1][starts]] if g else xu[:0],
        facets=facets_out,
        combo=combo.astype(np.intp),
        y_sum=y_sum,
        y_length=y_length,
        y_mean=y_mean,
        y_sd=y_sd,
        n=n_sum,
        y=yy,
        cl=cols.cl[first] if cols.cl is not None else np.full(g, np.nan),
        target=cols.target[first] if cols.target is not None else np.full(g, np.nan),
        notes=notes_out,
        part_labels=cols.part_labels[first] if cols.part_labels is not None else None,
        aggregated=bool((sizes > 1).any()),
    )
