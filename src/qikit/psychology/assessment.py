"""The team self-assessment «Snakk om forbedring!»: ten areas, three themes each, levels 1–4.

The tool was developed by the Norwegian patient safety programme (Pasientsikkerhetsprogrammet) and
used in the Norwegian health trusts (presented e.g. by Helse Vest and the Norwegian Directorate of
Health): a unit scores itself, in dialogue, on ten areas that matter for patient safety and quality
improvement. Each area has three themes; each theme is scored at one of four levels of practice
(1 lowest, 4 highest) or marked "not relevant". The area scores are drawn as a radar chart, and the
scoring is repeated after a while so the unit can follow its development.

This module holds the areas and themes as data (bokmål titles from the tool, faithful English
translations), parses scores given in several shapes, and computes area scores, the weakest areas and
a before/after comparison.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from qikit._errors import QikitInputError, QikitWarning
from qikit.i18n import Catalog, Lang, check_lang

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "AREAS",
    "LEVELS",
    "Area",
    "AssessmentComparison",
    "SelfAssessment",
    "areas_table",
    "compare",
    "example_scores",
    "self_assessment",
]


@dataclass(frozen=True)
class Area:
    """One of the ten areas of «Snakk om forbedring!» with its three themes.

    Attributes
    ----------
    number
        1–10, the area's number in the tool.
    title
        ``(bokmål, English)`` full title.
    short
        ``(bokmål, English)`` short label for charts.
    themes
        Three ``(bokmål, English)`` theme titles; theme ``k`` has code ``"{number}.{k}"``.
    """

    number: int
    title: tuple[str, str]
    short: tuple[str, str]
    themes: tuple[tuple[str, str], ...]

    def text(self, lang: Lang, which: Literal["title", "short"] = "title") -> str:
        """Return the area's title (or short label) in ``lang``."""
        pair = self.title if which == "title" else self.short
        return pair[0] if lang == "nb" else pair[1]


#: The ten areas (bokmål titles as in the tool; English translations by qikit).
AREAS: tuple[Area, ...] = (
    Area(
        1,
        (
            "Brukererfaringer må innhentes systematisk i forbedringsarbeid",
            "User experience must be gathered systematically in improvement work",
        ),
        ("Brukererfaringer", "User experience"),
        (("Systemnivå", "System level"), ("Tjenestenivå", "Service level"), ("Individnivå", "Individual level")),
    ),
    Area(
        2,
        ("Åpen, ærlig og tillitsfull kommunikasjon", "Open, honest and trusting communication"),
        ("Åpen og ærlig kommunikasjon", "Open, honest communication"),
        (
            ("Trygt å si fra", "Safe to speak up"),
            ("Trygt å gi tilbakemeldinger", "Safe to give feedback"),
            ("Trygt med nye ideer og forslag", "Safe to bring new ideas and suggestions"),
        ),
    ),
    Area(
        3,
        ("Klare mål og ansvar. Tydelig organisering", "Clear goals and responsibility. Clear organisation"),
        ("Klare mål og ansvar", "Clear goals and responsibility"),
        (
            ("Systemer", "Systems"),
            ("Den enkeltes ansvar", "Individual responsibility"),
            (
                "Ivaretakelse av alle involverte ved uønskede hendelser",
                "Care for everyone involved in adverse events",
            ),
        ),
    ),
    Area(
        4,
        ("Klar og god kommunikasjon gir gode team", "Clear and good communication makes good teams"),
        ("Kommunikasjon i team", "Communication in teams"),
        (
            ("Teamarbeid", "Teamwork"),
            ("Opplæring og trening i kommunikasjon", "Training and practice in communication"),
            ("Kommunikasjon og dialog i praksis", "Communication and dialogue in practice"),
        ),
    ),
    Area(
        5,
        ("Målrettet arbeid for å sikre god kommunikasjon", "Purposeful work to ensure good communication"),
        ("Målrettet kommunikasjonsarbeid", "Purposeful communication work"),
        (
            ("Opplæring", "Training"),
            ("Konfliktforebygging", "Conflict prevention"),
            ("Utfordrende samtaler", "Difficult conversations"),
        ),
    ),
    Area(
        6,
        ("Tilrettelegging for systematisk forbedring", "Enabling systematic improvement"),
        ("Tilrettelegging for forbedring", "Enabling improvement"),
        (
            ("Ledelsens rolle", "The role of management"),
            ("Prioritering og tilrettelegging", "Prioritisation and facilitation"),
            ("Læring og deling", "Learning and sharing"),
        ),
    ),
    Area(
        7,
        (
            "Systemer for håndtering av avvik og uønskede hendelser",
            "Systems for handling deviations and adverse events",
        ),
        ("Avvik og uønskede hendelser", "Deviations and adverse events"),
        (
            (
                "Systemer for å melde, analysere og forebygge",
                "Systems to report, analyse and prevent",
            ),
            ("Møteplasser", "Meeting places"),
            ("Innspill", "Input and suggestions"),
        ),
    ),
    Area(
        8,
        (
            "Systematikk en forutsetning for varige forbedringer",
            "Systematic work is a prerequisite for lasting improvement",
        ),
        ("Systematikk for varig forbedring", "Systematic, lasting improvement"),
        (
            ("Opplæring i forbedring og måling", "Training in improvement and measurement"),
            ("Felles metoder", "Common methods"),
            ("Bruk av måling til læring", "Using measurement for learning"),
        ),
    ),
    Area(
        9,
        ("Trygge og sikre tjenester gang på gang", "Safe and secure services every time"),
        ("Trygge tjenester hver gang", "Safe services every time"),
        (
            ("Standarder og individuelle tjenester", "Standards and individual services"),
            ("Etterlevelse", "Compliance"),
            ("Overvåking av kvalitet", "Monitoring of quality"),
        ),
    ),
    Area(
        10,
        (
            "Åpenhet og synlige beslutnings- og læringsprosesser",
            "Openness and visible decision and learning processes",
        ),
        ("Åpenhet og læring", "Openness and learning"),
        (
            ("Leders rolle", "The leader's role"),
            (
                "Åpenhet om læring av uønskede hendelser",
                "Openness about learning from adverse events",
            ),
            ("Involvere brukere", "Involving users"),
        ),
    ),
)

#: The four levels of practice; ``NaN`` (or "not relevant") marks a theme that does not apply.
LEVELS: tuple[int, ...] = (1, 2, 3, 4)

_N_AREAS = len(AREAS)
_N_THEMES = 3
_CODES: tuple[str, ...] = tuple(f"{a.number}.{k}" for a in AREAS for k in range(1, _N_THEMES + 1))

#: Spellings accepted for "not relevant" (compared case-insensitively after stripping).
NOT_RELEVANT_WORDS: frozenset[str] = frozenset(
    {"", "ikke relevant", "not relevant", "ir", "i.r.", "nr", "n/r", "n/a", "na", "ikke aktuelt", "-", "nan"}
)

_TEXT = Catalog(
    {
        "area": ("Område", "Area"),
        "score": ("Skår", "Score"),
        "before": ("Før", "Before"),
        "after": ("Etter", "After"),
        "change": ("Endring", "Change"),
        "weakest": ("Svakeste område", "Weakest area"),
        "weakest_pl": ("Svakeste områder", "Weakest areas"),
        "all_nr": (
            "Alle temaer ikke relevante (ingen skår)",
            "All themes not relevant (no score)",
        ),
        "missing": ("Ikke skåret", "Not scored"),
        "overall": ("Gjennomsnitt", "Mean"),
        "none": ("ingen", "none"),
    }
)


def _area(number: int) -> Area:
    return AREAS[number - 1]


def areas_table(lang: str | None = None) -> pd.DataFrame:
    """Return the blank scoring form: one row per theme of the ten areas.

    Parameters
    ----------
    lang
        ``"nb"`` (bokmål) or ``"en"``; ``None`` is the edition's default.

    Returns
    -------
    pandas.DataFrame
        Columns ``area`` (1–10), ``theme`` (1–3), ``code`` (``"area.theme"``), ``area_title``,
        ``area_short``, ``theme_title``; 30 rows.

    Examples
    --------
    >>> form = areas_table("en")
    >>> form.loc[form.code == "2.1", "theme_title"].item()
    'Safe to speak up'
    >>> len(form)
    30
    """
    lang_ = check_lang(lang, "areas_table")
    rows = []
    for a in AREAS:
        for k, theme in enumerate(a.themes, start=1):
            rows.append(
                {
                    "area": a.number,
                    "theme": k,
                    "code": f"{a.number}.{k}",
                    "area_title": a.text(lang_),
                    "area_short": a.text(lang_, "short"),
                    "theme_title": theme[0] if lang_ == "nb" else theme[1],
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------
# parsing


def _parse_level(value: Any, code: str, func: str) -> float:
    """Return the level as a float 1.0–4.0, or NaN for "not relevant"."""
    if value is None or value is pd.NA or value is pd.NaT:
        return math.nan
    if isinstance(value, str):
        text = value.strip().lower()
        if text in NOT_RELEVANT_WORDS:
            return math.nan
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise QikitInputError(
                f"{func}(): level for theme {code} must be 1, 2, 3, 4 or 'not relevant' "
                f"('ikke relevant'); got {value!r}."
            ) from None
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.integer | np.floating):
        raise QikitInputError(f"{func}(): level for theme {code} must be 1, 2, 3, 4 or 'not relevant'; got {value!r}.")
    level = float(value)
    if math.isnan(level):
        return math.nan
    if not 1.0 <= level <= 4.0:
        raise QikitInputError(
            f"{func}(): level for theme {code} must be 1, 2, 3, 4 or 'not relevant' ('ikke relevant'); got {value!r}."
        )
    if not level.is_integer():
        raise QikitInputError(
            f"{func}(): level for theme {code} must be a whole level 1, 2, 3 or 4; got {value!r}. "
            "The tool has four levels of practice; there are no half levels."
        )
    return level


def _parse_area(value: Any, func: str) -> int:
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else -1
    except ValueError:
        number = -1
    if isinstance(value, float) and not float(value).is_integer():
        number = -1
    if not 1 <= number <= _N_AREAS:
        raise QikitInputError(
            f"{func}(): unknown area {value!r}; areas are numbered 1 to {_N_AREAS} "
            "(see qikit.psychology.areas_table())."
        )
    return number


def _parse_code(value: Any, func: str) -> tuple[int, int]:
    """Parse a theme code ``"4.2"`` or a tuple ``(4, 2)`` into (area, theme)."""
    if isinstance(value, tuple) and len(value) == 2:
        area, theme = value
    else:
        text = str(value).strip()
        if "." not in text:
            raise QikitInputError(
                f"{func}(): unknown theme {value!r}; write themes as 'area.theme', e.g. '4.2' for "
                "area 4, theme 2 (areas 1–10, themes 1–3)."
            )
        area, theme = text.split(".", 1)
    return _parse_area(area, func), _parse_theme(theme, area, func)


def _parse_theme(value: Any, area: Any, func: str) -> int:
    try:
        theme = int(str(value).strip()) if not isinstance(value, bool) else -1
    except ValueError:
        theme = -1
    if isinstance(value, float) and not float(value).is_integer():
        theme = -1
    if not 1 <= theme <= _N_THEMES:
        raise QikitInputError(f"{func}(): unknown theme {value!r} in area {area}; each area has themes 1, 2 and 3.")
    return theme


def _put(out: dict[str, float], area: int, theme: int, value: Any, func: str) -> None:
    code = f"{area}.{theme}"
    if code in out:
        raise QikitInputError(
            f"{func}(): theme {code} is given more than once; one assessment has one level per theme "
            "(score each team or time point in its own call)."
        )
    out[code] = _parse_level(value, code, func)


_LONG_ALIASES = {"område": "area", "omrade": "area", "tema": "theme", "nivå": "level", "niva": "level"}


def _parse_scores(scores: Any, func: str) -> dict[str, float]:
    """Turn any accepted shape into ``{code: level or NaN}`` (codes absent = not scored)."""
    out: dict[str, float] = {}
    if isinstance(scores, pd.Series):
        scores = scores.to_dict()
    if isinstance(scores, Mapping):
        for key, value in scores.items():
            is_area_key = isinstance(key, int | np.integer) or (isinstance(key, str) and "." not in key)
            if is_area_key and not isinstance(key, bool):
                area = _parse_area(key, func)
                if isinstance(value, str) or not isinstance(value, Sequence | np.ndarray):
                    raise QikitInputError(
                        f"{func}(): area {key!r} must map to a list of three levels (themes 1–3); "
                        f"got {value!r}. Use 'area.theme' keys such as '{area}.1' for single themes."
                    )
                values = list(value)
                if len(values) != _N_THEMES:
                    raise QikitInputError(
                        f"{func}(): area {area} needs exactly three levels (themes 1–3); got {len(values)}."
                    )
                for k, v in enumerate(values, start=1):
                    _put(out, area, k, v, func)
            else:
                area, theme = _parse_code(key, func)
                _put(out, area, theme, value, func)
        return out
    if not isinstance(scores, pd.DataFrame):
        raise QikitInputError(
            f"{func}(): scores must be a DataFrame (long: area, theme, level; or wide), a dict or a "
            f"Series; got {type(scores).__name__}."
        )
    df = scores.rename(columns=lambda c: _LONG_ALIASES.get(str(c).strip().lower(), str(c).strip().lower()))
    if "level" in df.columns:  # long
        if "theme" not in df.columns:
            raise QikitInputError(f"{func}(): a long table needs a 'theme' column next to 'level'.")
        for row_d in df.to_dict("records"):
            theme_v = row_d["theme"]
            if "area" in df.columns and not (isinstance(theme_v, str) and "." in theme_v):
                area = _parse_area(row_d["area"], func)
                theme = _parse_theme(theme_v, area, func)
            else:
                area, theme = _parse_code(theme_v, func)
                if "area" in df.columns and _parse_area(row_d["area"], func) != area:
                    raise QikitInputError(f"{func}(): theme {theme_v!r} does not belong to area {row_d['area']!r}.")
            _put(out, area, theme, row_d["level"], func)
        return out
    # wide: one row with theme-code columns, or a grid of areas x themes
    if "area" in df.columns:
        df = df.set_index("area")
    cols = [str(c) for c in df.columns]
    if cols and all("." in c for c in cols):
        if len(df) != 1:
            raise QikitInputError(
                f"{func}(): a wide table with theme columns ('1.1', '1.2', …) must have exactly one row "
                f"(one assessment); got {len(df)} rows. Call once per team or time point."
            )
        return _parse_scores(dict(zip(cols, df.iloc[0].tolist(), strict=True)), func)
    theme_cols = {}
    for c, orig in zip(cols, df.columns, strict=True):
        key = c.removeprefix("theme").removeprefix("tema").strip(" _")
        theme_cols[_parse_theme(key, "?", func)] = orig
    for idx, grid_row in df.iterrows():
        area = _parse_area(idx, func)
        for theme, orig in theme_cols.items():
            _put(out, area, theme, grid_row[orig], func)
    return out


# --------------------------------------------------------------------------------------------------
# results


def _html(title: str, df: pd.DataFrame) -> str:
    return f"<div><strong>{title}</strong>{df.to_html(index=False, na_rep='–', float_format='{:.2f}'.format)}</div>"


@dataclass(frozen=True, eq=False)
class SelfAssessment:
    """One unit's scoring of «Snakk om forbedring!» at one time point; see :func:`self_assessment`.

    Attributes
    ----------
    table
        One row per theme (30 rows): ``area``, ``theme``, ``code``, ``area_title``, ``theme_title``,
        ``level`` (1–4, ``NaN`` when not relevant or not scored), ``status`` (``"scored"``,
        ``"not relevant"`` or ``"missing"``).
    area_scores
        ``pandas.Series`` indexed by area number 1–10: the mean level of the area's relevant themes
        (``NaN`` when none is relevant).
    weakest
        Area numbers with the lowest area score; all tied areas, in area order.
    not_relevant_areas
        Areas without any relevant theme (their score is ``NaN`` and they are left out of ``weakest``).
    missing
        Theme codes that were not scored at all (neither a level nor "not relevant").
    label
        A name for the time point (e.g. ``"Før"``, ``"2024-03"``), used in legends.
    params
        The call's parameters.
    """

    table: pd.DataFrame
    area_scores: pd.Series
    weakest: tuple[int, ...]
    not_relevant_areas: tuple[int, ...]
    missing: tuple[str, ...]
    label: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def lang(self) -> Lang:
        """The language of the titles in :attr:`table`."""
        return check_lang(str(self.params.get("lang", "nb")))

    @property
    def overall(self) -> float:
        """Mean of the area scores (areas without a score left out); ``NaN`` if there are none."""
        scores = self.area_scores.dropna()
        return float(scores.mean()) if len(scores) else math.nan

    def summary(self) -> pd.DataFrame:
        """Return one row per area.

        Columns ``area``, ``area_title``, ``n_themes``, ``n_relevant``, ``score`` (mean of relevant
        themes), ``weakest`` (bool), ``note`` (why an area has no score).
        """
        lang = self.lang
        t = self.table
        rows = []
        for a in AREAS:
            sub = t[t.area == a.number]
            n_rel = int((sub.status == "scored").sum())
            n_missing = int((sub.status == "missing").sum())
            note = ""
            if n_rel == 0:
                note = _TEXT.get("missing", lang) if n_missing == _N_THEMES else _TEXT.get("all_nr", lang)
            rows.append(
                {
                    "area": a.number,
                    "area_title": a.text(lang),
                    "n_themes": _N_THEMES,
                    "n_relevant": n_rel,
                    "score": float(self.area_scores.loc[a.number]),
                    "weakest": a.number in self.weakest,
                    "note": note,
                }
            )
        return pd.DataFrame(rows)

    def plot(
        self,
        ax: Axes | None = None,
        *,
        lang: str | None = None,
        labels: Literal["short", "full"] = "short",
        **style: Any,
    ) -> Axes:
        """Draw the radar chart of the area scores; see :func:`qikit.psychology.plotting.plot_radar`."""
        from qikit.psychology.plotting import plot_radar

        return plot_radar([self], ax=ax, lang=lang or self.lang, labels=labels, **style)

    def _repr_html_(self) -> str:
        lang = self.lang
        head = _TEXT.get("weakest_pl" if len(self.weakest) > 1 else "weakest", lang)
        weak = ", ".join(str(a) for a in self.weakest) or _TEXT.get("none", lang)
        cols = ["area", "area_title", "n_relevant", "score", "note"]
        return _html(f"«Snakk om forbedring!» {self.label} — {head}: {weak}", self.summary()[cols])


@dataclass(frozen=True, eq=False)
class AssessmentComparison:
    """Before/after comparison of two self-assessments; see :func:`compare`.

    Attributes
    ----------
    before, after
        The two :class:`SelfAssessment` results.
    table
        One row per area: ``area``, ``area_title``, ``before``, ``after``, ``change``
        (``after − before``; ``NaN`` when either score is missing).
    improved, declined, unchanged
        Area numbers whose score went up, down, or stayed the same (areas without both scores are in
        none of them).
    params
        The call's parameters.
    """

    before: SelfAssessment
    after: SelfAssessment
    table: pd.DataFrame
    improved: tuple[int, ...]
    declined: tuple[int, ...]
    unchanged: tuple[int, ...]
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def mean_change(self) -> float:
        """Mean change over the areas that have both scores (``NaN`` if none)."""
        ch = self.table["change"].dropna()
        return float(ch.mean()) if len(ch) else math.nan

    def summary(self) -> pd.DataFrame:
        """Return a one-row overview: counts of improved/declined/unchanged areas, mean change, weakest."""
        return pd.DataFrame(
            [
                {
                    "n_improved": len(self.improved),
                    "n_declined": len(self.declined),
                    "n_unchanged": len(self.unchanged),
                    "mean_change": self.mean_change,
                    "overall_before": self.before.overall,
                    "overall_after": self.after.overall,
                    "weakest_before": ", ".join(map(str, self.before.weakest)),
                    "weakest_after": ", ".join(map(str, self.after.weakest)),
                }
            ]
        )

    def plot(
        self,
        ax: Axes | None = None,
        *,
        lang: str | None = None,
        labels: Literal["short", "full"] = "short",
        **style: Any,
    ) -> Axes:
        """Draw both assessments on one radar chart (before dashed, after filled)."""
        from qikit.psychology.plotting import plot_radar

        return plot_radar([self.before, self.after], ax=ax, lang=lang or self.after.lang, labels=labels, **style)

    def _repr_html_(self) -> str:
        lang = self.after.lang
        title = f"{_TEXT.get('before', lang)} → {_TEXT.get('after', lang)}: {_TEXT.get('change', lang)}"
        return _html(title, self.table)


# --------------------------------------------------------------------------------------------------
# compute


def _round(x: float) -> float:
    return round(x, 9)


def self_assessment(
    scores: pd.DataFrame | Mapping[Any, Any] | pd.Series,
    *,
    label: str = "",
    lang: str | None = None,
    warn_missing: bool = True,
) -> SelfAssessment:
    r"""Score a unit's «Snakk om forbedring!» self-assessment.

    Parameters
    ----------
    scores
        The levels, in one of these shapes:

        * a long ``DataFrame`` with columns ``area`` (1–10), ``theme`` (1–3) and ``level``
          (Norwegian column names ``område``, ``tema``, ``nivå`` work too; ``theme`` may also hold
          codes such as ``"4.2"``, then ``area`` is optional);
        * a wide ``DataFrame``: one row with theme-code columns ``"1.1" … "10.3"``, or a grid with
          areas as index (or an ``area`` column) and themes ``1, 2, 3`` as columns;
        * a ``dict`` (or ``Series``) ``{"4.2": 3, …}``, ``{(4, 2): 3, …}`` or ``{4: [3, 2, None], …}``.

        A level is 1, 2, 3 or 4; ``None``, ``NaN``, ``"ikke relevant"`` or ``"not relevant"`` mark a
        theme that does not apply. Themes left out are reported as not scored.
    label
        A name for the time point, used in legends (e.g. ``"Før"``).
    lang
        Language of the titles in the result (``"nb"`` or ``"en"``).
    warn_missing
        Warn (:class:`~qikit.QikitWarning`) when some themes are not scored at all.

    Returns
    -------
    SelfAssessment
        ``.table`` (one row per theme), ``.area_scores``, ``.weakest``, ``.not_relevant_areas``,
        ``.summary()`` (one row per area) and ``.plot()`` (radar chart).

    Raises
    ------
    QikitInputError
        For a level outside 1–4, an unknown area or theme, a theme given twice, or an unknown shape.

    Notes
    -----
    The score of area :math:`a` is the mean level over its relevant themes,
    :math:`s_a = \frac{1}{|R_a|}\sum_{t \in R_a} \ell_t`, where :math:`R_a` are the themes that
    were scored (not "not relevant", not missing). An area where no theme is relevant has no score
    (``NaN``); it is listed in ``not_relevant_areas`` and drawn as a gap in the radar chart, never as
    zero. The weakest areas are those whose score equals the lowest score (compared after rounding to
    nine decimals, so 2.5 from (2, 3) ties with 2.5 from (2, 3, 2.5)); ties are all reported, in
    area order.

    The areas and themes are those of the tool «Snakk om forbedring!» (Pasientsikkerhetsprogrammet,
    presented in the Norwegian health trusts, e.g. Helse Vest); the English titles are qikit's
    translations.

    References
    ----------
    .. [1] Pasientsikkerhetsprogrammet. «Snakk om forbedring!» — et verktøy for å vurdere status for
       arbeid med pasientsikkerhet og kvalitetsforbedring. www.snakkomforbedring.no.

    Examples
    --------
    >>> res = self_assessment({1: [2, 3, "ikke relevant"], 2: [1, 2, 2], 3: [4, 4, 4],
    ...                        4: [3, 3, 3], 5: [2, 2, 2], 6: [3, 2, 3], 7: [None, None, None],
    ...                        8: [2, 2, 3], 9: [3, 3, 3], 10: [2, 3, 3]})
    >>> float(res.area_scores[1]), round(float(res.area_scores[2]), 3)
    (2.5, 1.667)
    >>> res.weakest, res.not_relevant_areas
    ((2,), (7,))
    """
    func = "self_assessment"
    lang_ = check_lang(lang, func)
    parsed = _parse_scores(scores, func)
    form = areas_table(lang_)
    levels = [parsed.get(code, math.nan) for code in form.code]
    status = [
        "missing" if code not in parsed else ("not relevant" if math.isnan(lv) else "scored")
        for code, lv in zip(form.code, levels, strict=True)
    ]
    table = form[["area", "theme", "code", "area_title", "theme_title"]].assign(
        level=np.asarray(levels, dtype=float), status=status
    )
    area_scores = table.groupby("area")["level"].mean()  # NaN-skipping; all-NaN -> NaN
    area_scores.name = "score"
    valid = area_scores.dropna()
    if len(valid):
        lowest = _round(float(valid.min()))
        weakest = tuple(
            int(a)
            for a, sc in zip(valid.index.to_numpy(), valid.to_numpy(dtype=float), strict=True)
            if _round(sc) == lowest
        )
    else:
        weakest = ()
    missing = tuple(c for c, s in zip(table.code, status, strict=True) if s == "missing")
    no_score = tuple(int(a) for a in area_scores.index[area_scores.isna()].to_numpy())
    not_relevant_areas = tuple(a for a in no_score if not all(f"{a}.{k}" in missing for k in range(1, _N_THEMES + 1)))
    if missing and warn_missing:
        import warnings

        warnings.warn(
            f"{func}(): {len(missing)} theme(s) not scored: {', '.join(missing)}. They count as missing "
            "(not as 'not relevant'); give a level or 'ikke relevant' for each theme.",
            QikitWarning,
            stacklevel=2,
        )
    return SelfAssessment(
        table=table,
        area_scores=area_scores,
        weakest=weakest,
        not_relevant_areas=not_relevant_areas,
        missing=missing,
        label=label,
        params={"lang": lang_, "label": label},
    )


def compare(
    before: SelfAssessment | pd.DataFrame | Mapping[Any, Any],
    after: SelfAssessment | pd.DataFrame | Mapping[Any, Any],
    *,
    lang: str | None = None,
) -> AssessmentComparison:
    """Compare two self-assessments of the same unit, area by area.

    Parameters
    ----------
    before, after
        :class:`SelfAssessment` results, or scores in any shape :func:`self_assessment` accepts.
    lang
        Language of the titles (default: that of ``after`` if it is a result, else the edition's).

    Returns
    -------
    AssessmentComparison
        ``.table`` with columns ``area``, ``area_title``, ``before``, ``after``, ``change``;
        ``.improved``, ``.declined``, ``.unchanged``; ``.plot()`` overlays both radar polygons.

    Notes
    -----
    ``change = after − before`` per area score (mean of relevant themes). An area that has no score at
    either time has ``change = NaN`` and belongs to none of the three groups. Changes are compared
    after rounding to nine decimals. A change of a whole level in a team's dialogue-based scoring is
    a large change; differences of a fraction of a level are better discussed than tested.

    Examples
    --------
    >>> b = {a: [2, 2, 2] for a in range(1, 11)}
    >>> a = {**b, 3: [3, 3, 2], 5: [1, 2, 2]}
    >>> cmp = compare(b, a, lang="en")
    >>> cmp.improved, cmp.declined
    ((3,), (5,))
    >>> round(float(cmp.table.loc[cmp.table.area == 3, "change"].item()), 3)
    0.667
    """
    func = "compare"
    if lang is None and isinstance(after, SelfAssessment):
        lang_ = after.lang
    else:
        lang_ = check_lang(lang, func)
    default_labels = (_TEXT.get("before", lang_), _TEXT.get("after", lang_))

    def as_result(x: Any, default_label: str) -> SelfAssessment:
        if isinstance(x, SelfAssessment):
            if x.lang != lang_ or not x.label:  # rebuild with titles in lang_ and a legend label
                t = x.table
                raw = {
                    c: (lv if st == "scored" else None)
                    for c, lv, st in zip(t.code, t.level, t.status, strict=True)
                    if st != "missing"
                }
                return self_assessment(raw, label=x.label or default_label, lang=lang_, warn_missing=False)
            return x
        return self_assessment(x, label=default_label, lang=lang_)

    b = as_result(before, default_labels[0])
    a = as_result(after, default_labels[1])
    table = pd.DataFrame(
        {
            "area": [ar.number for ar in AREAS],
            "area_title": [ar.text(lang_) for ar in AREAS],
            "before": b.area_scores.to_numpy(dtype=float),
            "after": a.area_scores.to_numpy(dtype=float),
        }
    )
    table["change"] = table["after"] - table["before"]
    ch = [(int(ar), _round(float(c))) for ar, c in zip(table.area, table.change, strict=True) if not math.isnan(c)]
    return AssessmentComparison(
        before=b,
        after=a,
        table=table,
        improved=tuple(ar for ar, c in ch if c > 0),
        declined=tuple(ar for ar, c in ch if c < 0),
        unchanged=tuple(ar for ar, c in ch if c == 0),
        params={"lang": lang_},
    )


def example_scores(time: Literal["before", "after"] = "before") -> dict[str, list[float | str | None]]:
    """Return a made-up team's scores before or after a year of improvement work.

    The team (a medical ward) marks area 1's individual level "not relevant" and, before, found all of
    area 7 not relevant (no reporting system of its own yet); after a year it scores area 7 too.
    Used in the module 7 notebooks and by the widget.

    Parameters
    ----------
    time
        ``"before"`` or ``"after"``.

    Returns
    -------
    dict
        ``{area: [level theme 1, level theme 2, level theme 3]}``, keys ``"1"`` … ``"10"``.

    Examples
    --------
    >>> self_assessment(example_scores("before"), warn_missing=False).weakest
    (5,)
    """
    from qikit._errors import check_choice

    check_choice("example_scores", "time", time, ("before", "after"))
    nr = "ikke relevant"
    if time == "before":
        data: dict[str, list[float | str | None]] = {
            "1": [2, 2, nr],
            "2": [2, 3, 2],
            "3": [3, 2, 2],
            "4": [3, 2, 3],
            "5": [1, 2, 1],
            "6": [2, 2, 3],
            "7": [nr, nr, nr],
            "8": [1, 2, 2],
            "9": [3, 3, 2],
            "10": [2, 2, 2],
        }
    else:
        data = {
            "1": [3, 3, nr],
            "2": [3, 3, 3],
            "3": [3, 3, 2],
            "4": [3, 3, 3],
            "5": [2, 2, 2],
            "6": [3, 3, 3],
            "7": [2, 3, 2],
            "8": [3, 3, 2],
            "9": [3, 3, 3],
            "10": [2, 3, 3],
        }
    return data
