"""Find the ``datasets/`` folder and read its data dictionaries (no pandas needed here).

Every dataset ``NAME`` is described by ``datasets/NAME.json`` (its data dictionary). Synthetic datasets also
have ``datasets/NAME.truth.json``, what their generator planted. The CSV file is named in the dictionary's
``file`` field; for the real datasets it keeps its original, longer name (``aliases`` lists that stem, so the
``dataset`` column of ``annotations`` can be used as a name too).
"""

from __future__ import annotations

import difflib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from qikit._errors import QikitInputError

ENV_VAR = "QIKIT_DATASETS"
TRUTH_SUFFIX = ".truth.json"
KINDS = ("real", "synthetic", "reference")

#: Fields of a dictionary whose values may be ``{"nb": ..., "en": ...}`` pairs.
Text = str | dict[str, str]


def _package_default() -> Path:
    # src/qikit/datasets/_catalog.py -> parents[3] is the repository root in the src layout.
    return Path(__file__).resolve().parents[3] / "datasets"


def datasets_dir(func: str = "qikit.datasets") -> Path:
    """Return the folder that holds the dataset CSVs and dictionaries.

    ``$QIKIT_DATASETS`` if it is set, else the repository's ``datasets/`` folder next to ``src/``.
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        folder = Path(env).expanduser()
        if not folder.is_dir():
            raise QikitInputError(
                f"{func}(): ${ENV_VAR} points to {str(folder)!r}, which is not a folder. "
                f"Set {ENV_VAR} to the qikit repository's datasets/ folder, or unset it."
            )
        return folder
    folder = _package_default()
    if folder.is_dir():
        return folder
    raise QikitInputError(
        f"{func}(): cannot find the qikit datasets folder (looked for {str(folder)!r}). "
        f"Install qikit from a clone of the repository (pip install -e .) or set the environment variable "
        f"{ENV_VAR} to the repository's datasets/ folder, e.g. export {ENV_VAR}=/path/to/qikit/datasets."
    )


@lru_cache(maxsize=8)
def _read_catalog(folder: str) -> dict[str, dict[str, Any]]:
    catalog: dict[str, dict[str, Any]] = {}
    for file in sorted(Path(folder).glob("*.json")):
        if file.name.endswith(TRUTH_SUFFIX):
            continue
        entry = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(entry, dict) or "name" not in entry or "file" not in entry:
            continue  # not a data dictionary
        catalog[str(entry["name"])] = entry
    return catalog


def catalog(func: str = "qikit.datasets") -> dict[str, dict[str, Any]]:
    """All data dictionaries, keyed by dataset name (cached per folder)."""
    return _read_catalog(str(datasets_dir(func)))


def clear_cache() -> None:
    """Forget the cached dictionaries (after the files were rebuilt)."""
    _read_catalog.cache_clear()


def names(func: str = "qikit.datasets") -> list[str]:
    """Dataset names: real first, then synthetic, then reference tables; alphabetical within each."""
    cat = catalog(func)
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(cat, key=lambda n: (order.get(cat[n].get("kind", ""), len(KINDS)), n))


def resolve(name: object, func: str) -> dict[str, Any]:
    """Return the dictionary of dataset ``name`` (or of an alias); raise a helpful error if unknown."""
    cat = catalog(func)
    if isinstance(name, str):
        key = name.strip()
        if key.endswith(".csv"):
            key = key[:-4]
        if key in cat:
            return cat[key]
        for entry in cat.values():
            if key in entry.get("aliases", []):
                return entry
    available = names(func)
    hint = ""
    if isinstance(name, str):
        candidates = available + [a for e in cat.values() for a in e.get("aliases", [])]
        close = difflib.get_close_matches(name.strip().lower(), candidates, n=1, cutoff=0.5)
        if not close:
            close = [c for c in available if name.strip().lower() in c][:1]
        if close:
            hint = f" Did you mean {resolve(close[0], func)['name']!r}?"
    raise QikitInputError(
        f"{func}(): unknown dataset {name!r}.{hint} Available: {', '.join(available)}. "
        f"See qikit.datasets.list_datasets()."
    )


def localise(value: Any, lang: str) -> Any:
    """Pick the ``lang`` text from a ``{"nb": ..., "en": ...}`` pair; leave other values as they are."""
    if isinstance(value, dict) and set(value) == {"nb", "en"}:
        return value[lang]
    if isinstance(value, dict):
        return {k: localise(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [localise(v, lang) for v in value]
    return value
