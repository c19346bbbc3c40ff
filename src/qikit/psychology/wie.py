"""Will, ideas and execution: the three things an improvement needs, as a checklist.

The Institute for Healthcare Improvement describes three primary drivers of improvement: the **will**
to change the current state for the better, **ideas** about what to change so that processes and
outcomes get better, and **execution** — the knowledge of techniques and tools to carry the ideas out
(in the Norwegian material: «vilje», «ideer» and «evne/gjennomføring»). A project that lacks any one
of them stalls, however strong the other two are. This module turns the triad into a short checklist
a team can answer (yes / partly / no) and reports which element is weakest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from qikit._errors import QikitInputError
from qikit.i18n import Catalog, Lang, check_lang

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["ANSWERS", "ELEMENTS", "WIE_ITEMS", "WieChecklist", "wie_checklist", "wie_items"]

#: The three elements: ``(id, bokmål, English)``.
ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("will", "Vilje", "Will"),
    ("ideas", "Ideer", "Ideas"),
    ("execution", "Gjennomføring", "Execution"),
)

#: Checklist items: ``{item id: (bokmål, English)}``; the id's prefix is the element.
WIE_ITEMS: dict[str, tuple[str, str]] = {
    "will.1": (
        "Ledelsen har sagt tydelig at dette arbeidet er prioritert.",
        "Leaders have said clearly that this work is a priority.",
    ),
    "will.2": (
        "Teamet er enige om at dagens situasjon ikke er god nok.",
        "The team agrees that the current situation is not good enough.",
    ),
    "will.3": (
        "Det er satt et tydelig mål med tall og tidsfrist.",
        "A clear aim with a number and a deadline has been set.",
    ),
    "will.4": (
        "Pasienter, brukere eller pårørende er med og gir arbeidet retning.",
        "Patients, users or relatives take part and give the work direction.",
    ),
    "ideas.1": (
        "Vi har konkrete endringsideer som er knyttet til målet (driverdiagram).",
        "We have concrete change ideas linked to the aim (driver diagram).",
    ),
    "ideas.2": (
        "Vi har hentet ideer fra kunnskapsbasert praksis og fra andre som har lykkes.",
        "We have drawn ideas from evidence-based practice and from others who succeeded.",
    ),
    "ideas.3": (
        "Medarbeidere i front og brukere har bidratt med ideer.",
        "Front-line staff and users have contributed ideas.",
    ),
    "ideas.4": (
        "Vi forstår prosessen ideene skal endre (prosesskart, årsaksanalyse).",
        "We understand the process the ideas should change (process map, cause analysis).",
    ),
    "execution.1": (
        "Vi tester endringer i liten skala med PDSA-sirkler.",
        "We test changes on a small scale with PDSA cycles.",
    ),
    "execution.2": (
        "Vi måler jevnlig og følger målingene i et seriediagram.",
        "We measure regularly and follow the measures on a run chart.",
    ),
    "execution.3": (
        "Teamet har fått tid og ressurser til forbedringsarbeidet.",
        "The team has been given time and resources for the improvement work.",
    ),
    "execution.4": (
        "Det finnes en plan for å innføre og spre det som virker.",
        "There is a plan to implement and spread what works.",
    ),
}

#: Accepted answers and their points: yes = 1, partly = ½, no = 0.
ANSWERS: dict[str, float] = {
    "yes": 1.0,
    "ja": 1.0,
    "partly": 0.5,
    "delvis": 0.5,
    "no": 0.0,
    "nei": 0.0,
}
_CANONICAL = {"yes": "yes", "ja": "yes", "partly": "partly", "delvis": "partly", "no": "no", "nei": "no"}

_TEXT = Catalog(
    {
        "weakest": ("Svakeste element", "Weakest element"),
        "score": ("Skår (0–1)", "Score (0–1)"),
        "none": ("ingen besvart", "none answered"),
        "yes": ("ja", "yes"),
        "partly": ("delvis", "partly"),
        "no": ("nei", "no"),
    }
)


def wie_items(lang: str | None = None) -> pd.DataFrame:
    """Return the blank checklist: ``element``, ``element_label``, ``item``, ``text``.

    Examples
    --------
    >>> wie_items("en").groupby("element", sort=False).size().to_dict()
    {'will': 4, 'ideas': 4, 'execution': 4}
    """
    lang_ = check_lang(lang, "wie_items")
    labels = {e: (nb if lang_ == "nb" else en) for e, nb, en in ELEMENTS}
    rows = [
        {
            "element": item.split(".")[0],
            "element_label": labels[item.split(".")[0]],
            "item": item,
            "text": texts[0] if lang_ == "nb" else texts[1],
        }
        for item, texts in WIE_ITEMS.items()
    ]
    return pd.DataFrame(rows)


@dataclass(frozen=True, eq=False)
class WieChecklist:
    """An answered will–ideas–execution checklist; see :func:`wie_checklist`.

    Attributes
    ----------
    table
        One row per item: ``element``, ``item``, ``text``, ``answer`` (``"yes"``, ``"partly"``,
        ``"no"`` or ``""`` when unanswered), ``points`` (1, 0.5, 0 or ``NaN``).
    scores
        ``{element: mean points of its answered items}`` (0–1; ``NaN`` when none answered).
    weakest
        Element id(s) with the lowest score; ties all reported in the order will, ideas, execution.
    unanswered
        Item ids without an answer.
    params
        The call's parameters.
    """

    table: pd.DataFrame
    scores: Mapping[str, float]
    weakest: tuple[str, ...]
    unanswered: tuple[str, ...]
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def lang(self) -> Lang:
        """Language of the texts."""
        return check_lang(str(self.params.get("lang", "nb")))

    def summary(self) -> pd.DataFrame:
        """Return one row per element: ``element``, ``label``, ``n_items``, ``n_answered``, ``score``, ``weakest``."""
        lang = self.lang
        rows = []
        for e, nb, en in ELEMENTS:
            sub = self.table[self.table.element == e]
            rows.append(
                {
                    "element": e,
                    "label": nb if lang == "nb" else en,
                    "n_items": len(sub),
                    "n_answered": int(sub.points.notna().sum()),
                    "score": self.scores[e],
                    "weakest": e in self.weakest,
                }
            )
        return pd.DataFrame(rows)

    def plot(self, ax: Axes | None = None, *, lang: str | None = None, **style: Any) -> Axes:
        """Draw the three element scores as horizontal bars, the weakest highlighted."""
        from qikit.psychology.plotting import plot_wie

        return plot_wie(self, ax=ax, lang=lang or self.lang, **style)

    def _repr_html_(self) -> str:
        lang = self.lang
        labels = {e: (nb if lang == "nb" else en) for e, nb, en in ELEMENTS}
        weak = ", ".join(labels[e] for e in self.weakest) or _TEXT.get("none", lang)
        head = f"<strong>{_TEXT.get('weakest', lang)}: {weak}</strong>"
        return head + self.summary().to_html(index=False, float_format="{:.2f}".format)


def wie_checklist(answers: Mapping[str, Any] | None = None, *, lang: str | None = None) -> WieChecklist:
    """Score a will–ideas–execution checklist.

    Parameters
    ----------
    answers
        ``{item id: answer}`` with item ids from :data:`WIE_ITEMS` (``"will.1"`` … ``"execution.4"``)
        and answers ``"yes"``/``"partly"``/``"no"`` (or ``"ja"``/``"delvis"``/``"nei"``; ``None``
        or ``""`` for unanswered). Items left out are unanswered. ``None`` means no answers yet.
    lang
        Language of the texts.

    Returns
    -------
    WieChecklist
        ``.table``, ``.scores``, ``.weakest``, ``.unanswered``, ``.summary()``, ``.plot()``.

    Raises
    ------
    QikitInputError
        For an unknown item id or answer.

    Notes
    -----
    Points: yes = 1, partly = ½, no = 0. An element's score is the mean over its *answered* items, so
    it runs from 0 (nothing in place) to 1 (everything in place); unanswered items are reported, not
    counted as "no". The weakest element is the one with the lowest score — the place to start, since
    improvement needs all three (Langley et al. 2009; IHI). Ties are all reported.

    References
    ----------
    .. [1] Langley, G. J., Moen, R. D., Nolan, K. M., Nolan, T. W., Norman, C. L., & Provost, L. P.
       (2009). *The Improvement Guide* (2nd ed.). Jossey-Bass.
    .. [2] Nolan, T. W. (2007). *Execution of Strategic Improvement Initiatives to Produce
       System-Level Results*. IHI Innovation Series white paper. Institute for Healthcare Improvement.

    Examples
    --------
    >>> res = wie_checklist({"will.1": "ja", "will.2": "ja", "will.3": "delvis", "will.4": "nei",
    ...                      "ideas.1": "yes", "ideas.2": "yes", "ideas.3": "yes", "ideas.4": "partly",
    ...                      "execution.1": "no", "execution.2": "partly", "execution.3": "no",
    ...                      "execution.4": "no"}, lang="en")
    >>> res.weakest
    ('execution',)
    >>> {k: round(v, 3) for k, v in res.scores.items()}
    {'will': 0.625, 'ideas': 0.875, 'execution': 0.125}
    """
    func = "wie_checklist"
    lang_ = check_lang(lang, func)
    answers = dict(answers or {})
    unknown = [k for k in answers if k not in WIE_ITEMS]
    if unknown:
        raise QikitInputError(
            f"{func}(): unknown item(s) {', '.join(map(repr, unknown))}; items are "
            f"{', '.join(WIE_ITEMS)} (see wie_items())."
        )
    items = wie_items(lang_)
    answer_col: list[str] = []
    points: list[float] = []
    for item in items.item:
        raw = answers.get(item)
        if raw is None or (isinstance(raw, float) and math.isnan(raw)) or (isinstance(raw, str) and not raw.strip()):
            answer_col.append("")
            points.append(math.nan)
            continue
        key = str(raw).strip().lower()
        if key not in ANSWERS:
            raise QikitInputError(
                f"{func}(): answer to {item} must be 'yes', 'partly' or 'no' ('ja', 'delvis', 'nei'); got {raw!r}."
            )
        answer_col.append(_CANONICAL[key])
        points.append(ANSWERS[key])
    table = items[["element", "item", "text"]].assign(answer=answer_col, points=points)
    scores: dict[str, float] = {}
    for e, _, _ in ELEMENTS:
        pts = table.loc[table.element == e, "points"].dropna()
        scores[e] = float(pts.mean()) if len(pts) else math.nan
    valid = {e: round(s, 9) for e, s in scores.items() if not math.isnan(s)}
    low = min(valid.values()) if valid else math.nan
    weakest = tuple(e for e, s in valid.items() if s == low)
    unanswered = tuple(i for i, a in zip(table.item, answer_col, strict=True) if not a)
    return WieChecklist(
        table=table,
        scores=scores,
        weakest=weakest,
        unanswered=unanswered,
        params={"lang": lang_, "answers": answers},
    )
