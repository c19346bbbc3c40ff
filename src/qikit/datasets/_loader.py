"""The public loader: ``load``, ``list_datasets``, ``describe``, ``truth``, ``path`` and friends."""

from __future__ import annotations

import copy
import json
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd

from qikit._errors import QikitInputError
from qikit.datasets import _catalog
from qikit.i18n import Catalog, check_lang

_TEXT = Catalog(
    {
        "kind.real": ("ekte (historiske) data", "real (historical) data"),
        "kind.synthetic": ("syntetiske data (ingen ekte pasienter)", "synthetic data (no real patients)"),
        "kind.reference": ("oppslagstabell", "reference table"),
        "h.kind": ("Type", "Kind"),
        "h.status": ("Status", "Status"),
        "h.file": ("Fil", "File"),
        "h.rows": ("Rader", "Rows"),
        "h.modules": ("Brukes i", "Used in"),
        "h.source": ("Kilde", "Source"),
        "h.original": ("Opprinnelig publisert", "Original publication"),
        "h.credit": ("Krediter slik", "Credit"),
        "h.licence": ("Lisens", "Licence"),
        "h.generator": ("Generator", "Generator"),
        "h.seed": ("Frø (seed)", "Seed"),
        "h.columns": ("Kolonner", "Columns"),
        "h.checks": ("Slik er dataene kontrollert", "How the data were checked"),
        "h.quirks": ("Særtrekk – les før du bruker dataene", "Quirks – read before you use the data"),
        "h.codes": ("koder", "codes"),
        "h.truth": (
            "Plantet sannhet: qikit.datasets.truth({name!r})",
            "Planted truth: qikit.datasets.truth({name!r})",
        ),
    }
)

_DATE_FORMATS = {"month": "%Y-%m", "date": "%Y-%m-%d", "datetime": "%Y-%m-%dT%H:%M"}
_STRING_TYPES = {"month", "date", "datetime", "string", "code"}


def path(name: str) -> Path:
    """Return the path of dataset ``name``'s CSV file.

    Examples
    --------
    >>> path("semmelweis_monthly").name
    'semmelweis_monthly_clinic1_1841_1849.csv'
    """
    entry = _catalog.resolve(name, "path")
    return _catalog.datasets_dir("path") / entry["file"]


def dictionary(name: str) -> dict[str, Any]:
    """Return dataset ``name``'s full data dictionary, both languages, exactly as stored in ``NAME.json``."""
    return copy.deepcopy(_catalog.resolve(name, "dictionary"))


def truth(name: str) -> dict[str, Any]:
    """Return what the generator of synthetic dataset ``name`` planted (its ``NAME.truth.json``).

    Raises :class:`~qikit.QikitInputError` for real datasets, which have no planted truth.

    Examples
    --------
    >>> truth("falls")["astronomical_month"]
    '2023-02'
    """
    entry = _catalog.resolve(name, "truth")
    if not entry.get("truth_file"):
        raise QikitInputError(
            f"truth(): {entry['name']!r} is a {entry.get('kind', 'real')} dataset; "
            "only synthetic datasets have "
            f"a planted truth. Synthetic ones: {', '.join(_synthetic_names())}."
        )
    file = _catalog.datasets_dir("truth") / entry["truth_file"]
    result: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    return result


def _synthetic_names() -> list[str]:
    cat = _catalog.catalog("truth")
    return [n for n in _catalog.names("truth") if cat[n].get("truth_file")]


def _attrs(entry: dict[str, Any], lang: str) -> dict[str, Any]:
    loc = _catalog.localise(entry, lang)
    columns = {c["name"]: {k: v for k, v in c.items() if k != "name"} for c in loc["columns"]}
    attrs: dict[str, Any] = {
        "name": entry["name"],
        "lang": lang,
        "kind": entry["kind"],
        "synthetic": entry["kind"] == "synthetic",
        "title": loc["title"],
        "description": loc["description"],
        "source": loc.get("source", ""),
        "original_publication": loc.get("original_publication", ""),
        "credit": loc.get("credit", ""),
        "licence": loc.get("licence", ""),
        "status": loc.get("status", ""),
        "checks": loc.get("checks", []),
        "quirks": loc.get("quirks", []),
        "modules": list(entry.get("modules", [])),
        "file": entry["file"],
        "units": {col: spec.get("unit", "") for col, spec in columns.items()},
        "columns": columns,
    }
    if entry.get("truth_file"):
        attrs["generator"] = entry.get("generator", "")
        attrs["seed"] = entry.get("seed")
        attrs["truth"] = truth(entry["name"])
    return attrs


def load(name: str, *, lang: str | None = None, parse_dates: bool = False) -> pd.DataFrame:
    """Load dataset ``name`` as a DataFrame whose ``.attrs`` carry its data dictionary.

    Parameters
    ----------
    name
        A name from :func:`list_datasets`, e.g. ``"semmelweis_monthly"`` or ``"falls"``.
    lang
        ``"nb"`` or ``"en"``: the language of the texts in ``.attrs`` (the data are the same).
        ``None`` means ``$QIKIT_LANG``, else ``"nb"``.
    parse_dates
        ``False`` (default): months stay strings ``"YYYY-MM"``, dates ``"YYYY-MM-DD"`` and hours
        ``"YYYY-MM-DDTHH:MM"``, which print, sort and compare simply. ``True``: they become ``datetime64``
        (a month becomes its first day). Year columns are always integers.

    Returns
    -------
    pandas.DataFrame
        One row per CSV row, columns as in the data dictionary. Missing values are ``NaN``; an integer column
        with missing values (December 1841 in ``semmelweis_monthly``) is therefore ``float64``.
        ``.attrs`` holds ``name, lang, kind, synthetic, title, description, source, original_publication,
        credit, licence, status, checks, quirks, modules, file, units`` (column -> unit) and ``columns``
        (column -> ``type, unit, description`` and, where used, ``codes``); synthetic datasets add
        ``generator, seed`` and ``truth`` (what was planted).

    Examples
    --------
    >>> df = load("semmelweis_monthly", lang="en")
    >>> df.loc[df["month"] == "1841-11", ["births", "deaths"]].iloc[0].tolist()
    [235.0, 53.0]
    >>> df.attrs["units"]["deaths"]
    'count'
    """
    language = check_lang(lang, "load")
    if not isinstance(parse_dates, bool):
        raise QikitInputError(f"load(): parse_dates must be True or False; got {parse_dates!r}.")
    entry = _catalog.resolve(name, "load")
    file = _catalog.datasets_dir("load") / entry["file"]
    types = {c["name"]: c.get("type", "string") for c in entry["columns"]}
    dtypes = {col: str for col, kind in types.items() if kind in _STRING_TYPES}
    frame = pd.read_csv(file, dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8")
    if list(frame.columns) != list(types):
        raise QikitInputError(
            f"load(): {file.name} has columns {list(frame.columns)}, but its dictionary lists {list(types)}. "
            f"Rebuild with python -m qikit.datasets.build or fix {entry['name']}.json."
        )
    if parse_dates:
        for col, kind in types.items():
            if kind in _DATE_FORMATS:
                frame[col] = pd.to_datetime(frame[col], format=_DATE_FORMATS[kind])
    frame.attrs.update(_attrs(entry, language))
    return frame


def list_datasets(*, lang: str | None = None) -> pd.DataFrame:
    """List every dataset: ``name, title, kind, rows, modules, file`` (one row each).

    ``kind`` is ``real`` (historical data), ``synthetic`` (made by a seeded generator, with a planted truth)
    or ``reference`` (a small lookup table). ``modules`` names the course modules that use it.

    Examples
    --------
    >>> table = list_datasets(lang="en")
    >>> table.loc[table["name"] == "nightingale", "kind"].item()
    'real'
    """
    language = check_lang(lang, "list_datasets")
    cat = _catalog.catalog("list_datasets")
    rows = []
    for name in _catalog.names("list_datasets"):
        entry = cat[name]
        rows.append(
            {
                "name": name,
                "title": _catalog.localise(entry["title"], language),
                "kind": entry["kind"],
                "rows": int(entry["rows"]),
                "modules": ", ".join(entry.get("modules", [])),
                "file": entry["file"],
            }
        )
    return pd.DataFrame(rows, columns=["name", "title", "kind", "rows", "modules", "file"])


def _bullets(items: list[str], width: int) -> list[str]:
    out = []
    for item in items:
        out.extend(textwrap.wrap(item, width, initial_indent="  - ", subsequent_indent="    "))
    return out


def describe(name: str, lang: str | None = None) -> str:
    """Return dataset ``name``'s data dictionary as readable text (print it).

    Examples
    --------
    >>> print(describe("falls", lang="en").splitlines()[0])
    falls: Falls per 1000 bed-days, medical department (synthetic)
    """
    language = check_lang(lang, "describe")
    entry = _catalog.resolve(name, "describe")
    loc = _catalog.localise(entry, language)
    t = _TEXT.get
    width = 100
    lines = [f"{entry['name']}: {loc['title']}", ""]
    lines += textwrap.wrap(loc["description"], width)
    lines.append("")
    facts = [
        ("h.kind", t(f"kind.{entry['kind']}", language)),
        ("h.status", loc.get("status", "")),
        ("h.file", f"{entry['file']}"),
        ("h.rows", str(entry["rows"])),
        ("h.modules", ", ".join(entry.get("modules", []))),
        ("h.source", loc.get("source", "")),
        ("h.original", loc.get("original_publication", "")),
        ("h.credit", loc.get("credit", "")),
        ("h.licence", loc.get("licence", "")),
        ("h.generator", loc.get("generator", "")),
        ("h.seed", "" if entry.get("seed") is None else str(entry["seed"])),
    ]
    labels = {key: t(key, language) for key, _ in facts}
    pad = max(len(v) for v in labels.values()) + 2
    for key, value in facts:
        if value:
            wrapped = textwrap.wrap(value, width - pad) or [""]
            lines.append(f"{labels[key] + ':':<{pad}}{wrapped[0]}")
            lines.extend(" " * pad + w for w in wrapped[1:])
    lines += ["", t("h.columns", language) + ":"]
    cols = loc["columns"]
    name_w = max(len(c["name"]) for c in cols) + 2
    for col in cols:
        unit = col.get("unit", "")
        head = f"  {col['name']:<{name_w}}{col.get('type', '')}" + (f", {unit}" if unit else "")
        lines.append(head)
        lines.extend(
            textwrap.wrap(col["description"], width, initial_indent="      ", subsequent_indent="      ")
        )
        if col.get("codes"):
            codes = "; ".join(f"{code} = {label}" for code, label in col["codes"].items())
            lines.extend(
                textwrap.wrap(
                    f"{t('h.codes', language)}: {codes}",
                    width,
                    initial_indent="      ",
                    subsequent_indent="      ",
                )
            )
    for key, items in (("h.quirks", loc.get("quirks", [])), ("h.checks", loc.get("checks", []))):
        if items:
            lines += ["", t(key, language) + ":"]
            lines += _bullets(list(items), width)
    if entry.get("truth_file"):
        lines += ["", t("h.truth", language, name=entry["name"])]
    return "\n".join(lines) + "\n"


def chart_annotations(name: str | None = None, *, lang: str | None = None) -> pd.DataFrame:
    """Chart annotations (events to draw), optionally only those of dataset ``name``.

    The ``dataset`` column of ``annotations.csv`` holds the real datasets' file stems
    (``semmelweis_monthly_clinic1_1841_1849``); ``name`` may be that stem or the short name.

    Examples
    --------
    >>> chart_annotations("semmelweis_monthly")["period"].tolist()
    ['1841-12', '1846-02', '1847-05', '1847-06']
    """
    table = load("annotations", lang=lang)
    if name is None:
        return table
    entry = _catalog.resolve(name, "chart_annotations")
    keys = {entry["name"], *entry.get("aliases", [])}
    subset = table[table["dataset"].isin(keys)].reset_index(drop=True)
    subset.attrs = table.attrs
    return subset
