"""Labels and messages in the course's two editions: Norwegian bokmål (``nb``) and English (``en``).

Each subpackage keeps its own :class:`Catalog` next to the code that uses it, so translations live
beside their context and no single file becomes a merge hotspot.

Examples
--------
>>> cat = Catalog({"median": ("Median", "Median"), "runs": ("Serier", "Runs")})
>>> cat.get("runs", "nb")
'Serier'
>>> cat.get("runs", "en")
'Runs'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from qikit._errors import QikitInputError

Lang = Literal["nb", "en"]
LANGS: tuple[Lang, ...] = ("nb", "en")


def default_lang() -> Lang:
    """The edition's language: ``$QIKIT_LANG`` if it is ``nb`` or ``en``, else ``nb``."""
    env = os.environ.get("QIKIT_LANG", "nb").strip().lower()
    return "en" if env == "en" else "nb"


def check_lang(lang: str | None, func: str = "qikit") -> Lang:
    """Validate a language code; ``None`` means :func:`default_lang`."""
    if lang is None:
        return default_lang()
    if lang not in LANGS:
        raise QikitInputError(f"{func}(): lang must be 'nb' (bokmål) or 'en' (English); got {lang!r}.")
    return lang  # type: ignore[return-value]


class Catalog:
    """A small translation table: ``key -> (bokmål, English)``.

    Texts may contain ``str.format`` fields, filled from the keyword arguments of :meth:`get`.
    """

    def __init__(self, entries: Mapping[str, tuple[str, str]]):
        self._entries = dict(entries)

    def get(self, key: str, lang: str | None = None, **fields: object) -> str:
        """Return the text for ``key`` in ``lang``, formatted with ``fields``."""
        pair = self._entries[key]
        text = pair[0] if check_lang(lang) == "nb" else pair[1]
        return text.format(**fields) if fields else text

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        """All keys, for parity tests."""
        return list(self._entries)
