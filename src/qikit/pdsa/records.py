"""PDSA records: a cycle (plan with a prediction, do, study, act) and a log of linked cycles (ramps).

In the Model for Improvement (Langley et al. 2009) a change is learned about through a series of
Plan–Do–Study–Act cycles, each a small test: the *plan* states the question and an explicit
*prediction*, *do* records what happened, *study* compares the result with the prediction, and *act*
decides: **adopt** (innfør), **adapt** (tilpass) or **abandon** (forkast). Cycles on one change idea
form a *ramp*: tests start small (one patient, one shift) and grow (a day, a week, the whole unit) as
confidence grows.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from qikit._errors import QikitInputError
from qikit.i18n import Catalog, check_lang

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "ACTS",
    "COLUMNS",
    "Cycle",
    "PdsaLog",
    "ValidationReport",
    "example_log",
    "order_by_scale",
    "parse_act",
    "scale_rank",
]

Act = Literal["adopt", "adapt", "abandon"]

#: The three decisions, with their bokmål names.
ACTS: dict[str, tuple[str, str]] = {
    "adopt": ("innfør", "adopt"),
    "adapt": ("tilpass", "adapt"),
    "abandon": ("forkast", "abandon"),
}
_ACT_WORDS = {
    "adopt": "adopt",
    "innfør": "adopt",
    "innføre": "adopt",
    "innfor": "adopt",
    "adapt": "adapt",
    "tilpass": "adapt",
    "tilpasse": "adapt",
    "abandon": "abandon",
    "forkast": "abandon",
    "forkaste": "abandon",
}

#: Units of test scale, smallest first: ``(unit index, words)``.
_SCALE_UNITS: tuple[tuple[str, ...], ...] = (
    ("patient", "patients", "pasient", "pasienter", "pas", "bruker", "brukere", "user", "users"),
    ("shift", "shifts", "vakt", "vakter"),
    ("day", "days", "dag", "dager", "døgn"),
    ("week", "weeks", "uke", "uker"),
    ("month", "months", "måned", "måneder", "mnd"),
    ("unit", "units", "ward", "wards", "post", "poster", "avdeling", "avdelinger", "enhet", "enheter"),
)
_MAX_UNIT_STEP = 3  # patient -> week (or more) in one step is a jump
_SCALE_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)?\s*([a-zæøå]+)", re.IGNORECASE)

#: Columns of :meth:`PdsaLog.to_frame` and the CSV files, in order.
COLUMNS: tuple[str, ...] = (
    "number",
    "title",
    "change_idea",
    "question",
    "plan",
    "prediction",
    "do",
    "study",
    "act",
    "scale",
    "scale_reason",
    "start",
    "end",
)


def parse_act(value: Any, func: str = "parse_act") -> Act | None:
    """Return ``"adopt"``, ``"adapt"``, ``"abandon"`` or ``None`` (no decision yet).

    Norwegian words are accepted: ``"innfør"``, ``"tilpass"``, ``"forkast"``.

    Examples
    --------
    >>> parse_act("Tilpass"), parse_act(""), parse_act("abandon")
    ('adapt', None, 'abandon')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip().lower()
    if not text:
        return None
    if text not in _ACT_WORDS:
        raise QikitInputError(
            f"{func}(): act must be 'adopt', 'adapt' or 'abandon' ('innfør', 'tilpass', 'forkast'), "
            f"or empty while the cycle is running; got {value!r}."
        )
    return _ACT_WORDS[text]  # type: ignore[return-value]


def scale_rank(scale: str) -> tuple[int, float] | None:
    """Return a sortable rank ``(unit, count)`` for a test scale such as ``"3 patients"``; ``None`` if unknown.

    Units, smallest first: patient (pasient), shift (vakt), day (dag/døgn), week (uke), month (måned),
    unit/ward (post/avdeling/enhet). Within a unit the count decides; a missing count means 1. So
    ``"5 patients" < "1 shift" < "2 shifts" < "1 day"``: a convention for ordering tests, not a claim
    that a shift always has more than five patients.

    Examples
    --------
    >>> scale_rank("1 pasient"), scale_rank("3 vakter"), scale_rank("en uke")
    ((0, 1.0), (1, 3.0), (3, 1.0))
    >>> scale_rank("whenever") is None
    True
    """
    text = str(scale).strip().lower()
    for word, num in (("én ", "1 "), ("en ", "1 "), ("ett ", "1 "), ("one ", "1 "), ("a ", "1 "), ("an ", "1 ")):
        if text.startswith(word):
            text = num + text[len(word) :]
            break
    m = _SCALE_RE.match(text)
    if not m:
        return None
    count = float(m.group(1).replace(",", ".")) if m.group(1) else 1.0
    word = m.group(2)
    for idx, words in enumerate(_SCALE_UNITS):
        if word in words:
            return idx, count
    return None


def order_by_scale(scales: Iterable[str]) -> list[str]:
    """Sort test scales from smallest to largest (see :func:`scale_rank`).

    Raises
    ------
    QikitInputError
        If a scale is not recognised.

    Examples
    --------
    >>> order_by_scale(["1 uke", "1 pasient", "1 dag", "3 pasienter", "1 vakt"])
    ['1 pasient', '3 pasienter', '1 vakt', '1 dag', '1 uke']
    """
    items = list(scales)
    ranks = []
    for s in items:
        r = scale_rank(s)
        if r is None:
            raise QikitInputError(
                f"order_by_scale(): scale {s!r} not recognised; write a count and a unit such as "
                "'1 patient', '2 shifts', '1 day', '1 week', '1 month', '1 unit' (or in Norwegian)."
            )
        ranks.append(r)
    return [s for _, s in sorted(zip(ranks, items, strict=True), key=lambda t: t[0])]


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _date(value: Any, arg: str, number: Any) -> _dt.date | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
        try:
            return _dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise QikitInputError(f"Cycle(): {arg} of cycle {number} must be a date (YYYY-MM-DD or DD.MM.YYYY); got {value!r}.")


@dataclass(frozen=True)
class Cycle:
    """One PDSA cycle.

    Parameters
    ----------
    number
        The cycle's number in the log (1, 2, …).
    title
        A short name for the test.
    prediction
        Plan: what the team expects to happen, stated before the test (required for learning).
    question
        Plan: the question the test should answer.
    plan
        Plan: who, what, where, when; what is measured.
    do
        Do: what actually happened, problems and observations.
    study
        Study: the result compared with the prediction.
    act
        Act: ``"adopt"``, ``"adapt"`` or ``"abandon"`` (``"innfør"``, ``"tilpass"``, ``"forkast"``);
        empty while the cycle is running.
    scale
        Test scale, e.g. ``"1 patient"``, ``"1 shift"``, ``"1 day"``, ``"1 week"`` (see
        :func:`scale_rank`).
    scale_reason
        Why the scale went down (or jumped), if it did.
    start, end
        Dates (``datetime.date`` or ``"YYYY-MM-DD"`` / ``"DD.MM.YYYY"``).
    change_idea
        The change idea this cycle tests; cycles with the same idea form a ramp.

    Raises
    ------
    QikitInputError
        For a number that is not a positive whole number, an unknown act or an unreadable date.
        Content problems (a missing prediction, …) are not errors here: :meth:`PdsaLog.validate`
        reports them.
    """

    number: int
    title: str = ""
    prediction: str = ""
    question: str = ""
    plan: str = ""
    do: str = ""
    study: str = ""
    act: Act | None = None
    scale: str = ""
    scale_reason: str = ""
    start: _dt.date | None = None
    end: _dt.date | None = None
    change_idea: str = ""

    def __post_init__(self) -> None:
        num: Any = self.number
        if isinstance(num, float) and num.is_integer():
            num = int(num)
        if isinstance(num, str) and num.strip().isdigit():
            num = int(num.strip())
        if isinstance(num, bool) or not isinstance(num, int) or num < 1:
            raise QikitInputError(f"Cycle(): number must be a whole number 1 or more; got {self.number!r}.")
        object.__setattr__(self, "number", int(num))
        for f in ("title", "prediction", "question", "plan", "do", "study", "scale", "scale_reason", "change_idea"):
            object.__setattr__(self, f, _text(getattr(self, f)))
        object.__setattr__(self, "act", parse_act(self.act, "Cycle"))
        object.__setattr__(self, "start", _date(self.start, "start", num))
        object.__setattr__(self, "end", _date(self.end, "end", num))

    @property
    def scale_rank(self) -> tuple[int, float] | None:
        """The scale's rank (see :func:`scale_rank`), ``None`` if empty or not recognised."""
        return scale_rank(self.scale) if self.scale else None

    @property
    def complete(self) -> bool:
        """True when prediction, do, study and act are all recorded."""
        return bool(self.prediction and self.do and self.study and self.act)

    def to_dict(self) -> dict[str, Any]:
        """Return the cycle as a dict with the keys of :data:`COLUMNS` (dates as ISO strings)."""
        out: dict[str, Any] = {}
        for c in COLUMNS:
            v = getattr(self, c)
            out[c] = v.isoformat() if isinstance(v, _dt.date) else ("" if v is None else v)
        return out


_MSG = Catalog(
    {
        "missing_prediction": (
            "Planen mangler en eksplisitt prediksjon: skriv ned hva dere tror vil skje før testen.",
            "The plan has no explicit prediction: write down what you expect before the test.",
        ),
        "missing_question": (
            "Planen mangler et spørsmål testen skal besvare.",
            "The plan has no question for the test to answer.",
        ),
        "missing_change_idea": (
            "Syklusen er ikke knyttet til en endringsidé.",
            "The cycle is not linked to a change idea.",
        ),
        "missing_scale": (
            "Skala mangler (f.eks. 1 pasient, 1 vakt, 1 dag).",
            "No scale (e.g. 1 patient, 1 shift, 1 day).",
        ),
        "scale_unknown": (
            "Skalaen «{scale}» er ikke gjenkjent; skriv antall og enhet (pasient, vakt, dag, uke, måned, enhet).",
            "Scale '{scale}' not recognised; write a count and a unit (patient, shift, day, week, month, unit).",
        ),
        "missing_do": (
            "Studer/handle er fylt ut, men ikke hva som skjedde (utfør).",
            "Study/act are filled in, but not what happened (do).",
        ),
        "act_without_study": (
            "Beslutning ({act}) uten studer: sammenlign resultatet med prediksjonen før dere bestemmer.",
            "Decision ({act}) without a study: compare the result with the prediction before deciding.",
        ),
        "missing_study": (
            "Utført, men ikke studert: sammenlign resultatet med prediksjonen.",
            "Done but not studied: compare the result with the prediction.",
        ),
        "missing_study_later": (
            "Ikke studert, men neste syklus er allerede startet: lær av denne før dere går videre.",
            "Not studied, yet a later cycle has started: learn from this one before moving on.",
        ),
        "missing_act": (
            "Studert, men ingen beslutning (innfør, tilpass eller forkast).",
            "Studied, but no decision (adopt, adapt or abandon).",
        ),
        "missing_act_later": (
            "Ingen beslutning, men neste syklus på samme idé er startet.",
            "No decision, yet a later cycle on the same idea has started.",
        ),
        "duplicate_number": (
            "Syklusnummer {number} er brukt flere ganger.",
            "Cycle number {number} is used more than once.",
        ),
        "number_order": (
            "Står etter syklus {prev} i loggen: syklusene er ikke i nummerrekkefølge.",
            "Listed after cycle {prev}: the cycles are not in number order.",
        ),
        "number_gap": (
            "Nummer {missing} mangler før denne syklusen.",
            "Number(s) {missing} missing before this cycle.",
        ),
        "date_order": (
            "Startet {start}, før syklus {prev} (startet {prev_start}): datoene følger ikke nummerrekkefølgen.",
            "Started {start}, before cycle {prev} (started {prev_start}): dates do not follow the numbers.",
        ),
        "end_before_start": (
            "Sluttdato {end} er før startdato {start}.",
            "End date {end} is before start date {start}.",
        ),
        "scale_backwards": (
            "Skalaen går ned fra «{prev_scale}» (syklus {prev}) til «{scale}» uten begrunnelse (scale_reason).",
            "Scale goes down from '{prev_scale}' (cycle {prev}) to '{scale}' without a reason (scale_reason).",
        ),
        "scale_jump": (
            "Skalaen hopper fra «{prev_scale}» (syklus {prev}) til «{scale}»: test et trinn imellom, "
            "eller begrunn hoppet (scale_reason).",
            "Scale jumps from '{prev_scale}' (cycle {prev}) to '{scale}': test a step in between, "
            "or give a reason (scale_reason).",
        ),
        "after_abandon": (
            "Idéen ble forkastet i syklus {prev}, men testes videre: knytt syklusen til en ny idé eller forklar.",
            "The idea was abandoned in cycle {prev} but is tested again: link the cycle to a new idea or explain.",
        ),
    }
)

#: Every check :meth:`PdsaLog.validate` runs: ``{check: severity}`` (``missing_study`` and
#: ``missing_act`` are errors when a later cycle exists, warnings on the last cycle).
CHECKS: dict[str, str] = {
    "missing_prediction": "error",
    "missing_do": "error",
    "act_without_study": "error",
    "missing_study": "warning/error",
    "missing_act": "warning/error",
    "duplicate_number": "error",
    "number_order": "error",
    "date_order": "error",
    "end_before_start": "error",
    "scale_backwards": "warning",
    "scale_jump": "warning",
    "after_abandon": "warning",
    "number_gap": "warning",
    "missing_question": "warning",
    "missing_change_idea": "warning",
    "missing_scale": "warning",
    "scale_unknown": "warning",
}


@dataclass(frozen=True, eq=False)
class ValidationReport:
    """Problems found in a PDSA log; see :meth:`PdsaLog.validate`.

    Attributes
    ----------
    table
        One row per problem: ``cycle`` (number), ``check`` (a key of :data:`CHECKS`), ``severity``
        (``"error"`` or ``"warning"``), ``message``. Sorted by cycle number, then errors first.
    params
        The call's parameters.
    """

    table: pd.DataFrame
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings may remain)."""
        return self.n_errors == 0

    @property
    def n_errors(self) -> int:
        """Number of errors."""
        return int((self.table.severity == "error").sum())

    @property
    def n_warnings(self) -> int:
        """Number of warnings."""
        return int((self.table.severity == "warning").sum())

    def has(self, check: str, cycle: int | None = None) -> bool:
        """Return True if ``check`` was found (for ``cycle``, if given)."""
        t = self.table[self.table.check == check]
        if cycle is not None:
            t = t[t.cycle == cycle]
        return len(t) > 0

    def summary(self) -> pd.DataFrame:
        """Return counts per check and severity: ``check``, ``severity``, ``n``, ``cycles``."""
        if self.table.empty:
            return pd.DataFrame({"check": [], "severity": [], "n": [], "cycles": []})
        g = self.table.groupby(["check", "severity"], sort=False)["cycle"]
        out = g.agg(n="size", cycles=lambda s: ", ".join(str(int(c)) for c in s)).reset_index()
        return out

    def _repr_html_(self) -> str:
        lang = check_lang(str(self.params.get("lang", "nb")))
        head = (
            f"{self.n_errors} feil, {self.n_warnings} advarsler"
            if lang == "nb"
            else f"{self.n_errors} errors, {self.n_warnings} warnings"
        )
        return f"<strong>{head}</strong>" + self.table.to_html(index=False)


def _as_cycle(item: Any, k: int) -> Cycle:
    if isinstance(item, Cycle):
        return item
    if isinstance(item, Mapping):
        known = {f.name for f in fields(Cycle)}
        unknown = set(item) - known
        if unknown:
            raise QikitInputError(
                f"PdsaLog(): cycle #{k + 1} has unknown field(s) {sorted(unknown)}; fields are {sorted(known)}."
            )
        if "number" not in item:
            raise QikitInputError(f"PdsaLog(): cycle #{k + 1} has no 'number'.")
        return Cycle(**item)
    raise QikitInputError(f"PdsaLog(): cycles must be Cycle objects or dicts; got {type(item).__name__} at #{k + 1}.")


@dataclass(frozen=True, eq=False)
class PdsaLog:
    """A log of PDSA cycles: one or more ramps, one per change idea.

    Parameters
    ----------
    cycles
        :class:`Cycle` objects or dicts with its fields, in the order entered.
    title
        The project or aim the log belongs to.

    Attributes
    ----------
    table
        :meth:`to_frame`: one row per cycle with the columns of :data:`COLUMNS`.

    Examples
    --------
    >>> log = PdsaLog([Cycle(1, "Sjekkliste", prediction="3 av 4", do="gjort", study="4 av 4",
    ...                      act="tilpass", scale="1 pasient", change_idea="Sjekkliste"),
    ...                Cycle(2, "Sjekkliste", prediction="8 av 10", scale="1 vakt", change_idea="Sjekkliste")])
    >>> rep = log.validate(lang="en")
    >>> rep.ok, rep.table.check.tolist()
    (True, ['missing_question', 'missing_question'])
    """

    cycles: tuple[Cycle, ...]
    title: str = ""

    def __post_init__(self) -> None:
        items = self.cycles
        if isinstance(items, pd.DataFrame) or isinstance(items, str | bytes) or not isinstance(items, Iterable):
            raise QikitInputError(
                "PdsaLog(): cycles must be a list of Cycle objects or dicts (use PdsaLog.from_frame for a DataFrame)."
            )
        object.__setattr__(self, "cycles", tuple(_as_cycle(c, k) for k, c in enumerate(items)))
        object.__setattr__(self, "title", _text(self.title))

    # -- I/O ---------------------------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """Return one row per cycle, columns :data:`COLUMNS`; empty text is ``""``, dates ISO strings."""
        rows = [c.to_dict() for c in self.cycles]
        df = pd.DataFrame(rows, columns=list(COLUMNS))
        df["number"] = df["number"].astype("int64")
        return df

    @property
    def table(self) -> pd.DataFrame:
        """The log as a DataFrame (see :meth:`to_frame`)."""
        return self.to_frame()

    @classmethod
    def from_frame(cls, df: pd.DataFrame, *, title: str = "") -> PdsaLog:
        """Build a log from a DataFrame with (a subset of) the columns of :data:`COLUMNS`.

        ``number`` is required; missing columns are empty. Other columns are ignored.
        """
        if not isinstance(df, pd.DataFrame):
            raise QikitInputError(f"PdsaLog.from_frame(): expected a DataFrame; got {type(df).__name__}.")
        if "number" not in df.columns:
            raise QikitInputError(
                "PdsaLog.from_frame(): the table needs a 'number' column (the cycle numbers); "
                f"columns are {list(map(str, df.columns))}."
            )
        cycles = []
        for rec in df.to_dict(orient="records"):
            kwargs = {c: rec.get(c) for c in COLUMNS if c in rec}
            num = kwargs.get("number")
            if num is None or (isinstance(num, float) and math.isnan(num)):
                raise QikitInputError("PdsaLog.from_frame(): every row needs a cycle number; found an empty one.")
            cycles.append(Cycle(**kwargs))  # type: ignore[arg-type]
        return cls(tuple(cycles), title=title)

    def to_csv(self, path: str | Path) -> Path:
        """Write the log as CSV (UTF-8, columns :data:`COLUMNS`) and return the path."""
        p = Path(path)
        self.to_frame().to_csv(p, index=False, encoding="utf-8")
        return p

    @classmethod
    def read_csv(cls, path: str | Path, *, title: str = "") -> PdsaLog:
        """Read a log written by :meth:`to_csv` (or any CSV with a ``number`` column)."""
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        return cls.from_frame(df, title=title)

    # -- structure ---------------------------------------------------------------------------------
    def ramps(self) -> dict[str, tuple[Cycle, ...]]:
        """Return ``{change idea: cycles in number order}``, ideas in order of their first cycle."""
        out: dict[str, list[Cycle]] = {}
        for c in sorted(self.cycles, key=lambda c: c.number):
            out.setdefault(c.change_idea, []).append(c)
        return {k: tuple(v) for k, v in out.items()}

    def with_cycle(self, cycle: Cycle | Mapping[str, Any]) -> PdsaLog:
        """Return a new log with ``cycle`` appended."""
        return replace(self, cycles=(*self.cycles, _as_cycle(cycle, len(self.cycles))))

    def summary(self) -> pd.DataFrame:
        """Return one row per ramp: ``change_idea``, ``n_cycles``, ``first``, ``last``, ``scales``, ``acts``."""
        rows = []
        for idea, cyc in self.ramps().items():
            rows.append(
                {
                    "change_idea": idea,
                    "n_cycles": len(cyc),
                    "first": cyc[0].number,
                    "last": cyc[-1].number,
                    "scales": " → ".join(c.scale or "?" for c in cyc),
                    "acts": " → ".join(c.act or "…" for c in cyc),
                }
            )
        return pd.DataFrame(rows, columns=["change_idea", "n_cycles", "first", "last", "scales", "acts"])

    # -- validation --------------------------------------------------------------------------------
    def validate(self, *, lang: str | None = None) -> ValidationReport:
        """Check the log and report every problem found (it never raises for content problems).

        Parameters
        ----------
        lang
            Language of the messages.

        Returns
        -------
        ValidationReport
            ``.table`` with columns ``cycle``, ``check``, ``severity``, ``message``; ``.ok`` is True
            when there are no errors.

        Notes
        -----
        The checks (see :data:`CHECKS`), following the PDSA discipline of Langley et al. (2009):

        * every plan has an explicit **prediction** (error) and a question (warning);
        * **do** is recorded before study or act (error); a cycle with a decision (**act**) has a
          **study** (error); a cycle that was done but not studied, or studied but not decided, is a
          warning on the last cycle of its ramp and an error when a later cycle on the same idea has
          already started (learning was skipped);
        * numbers are unique (error), listed in increasing order (error) and without gaps (warning);
          start dates follow the numbers (error); an end date is not before its start (error);
        * within a ramp, the **scale** does not go down, nor jump three or more units up at once
          (e.g. from patients straight to a week), without a ``scale_reason`` (warnings); scales
          are present and recognised (warning; see :func:`scale_rank`); an idea that was abandoned is
          not tested again (warning); each cycle names its change idea (warning).

        References
        ----------
        .. [1] Langley, G. J. et al. (2009). *The Improvement Guide* (2nd ed.). Jossey-Bass, ch. 7.
        """
        lang_ = check_lang(lang, "PdsaLog.validate")
        rows: list[dict[str, Any]] = []

        def add(cycle: int, check: str, severity: str, key: str | None = None, **kw: Any) -> None:
            rows.append(
                {"cycle": cycle, "check": check, "severity": severity, "message": _MSG.get(key or check, lang_, **kw)}
            )

        # numbering and order as entered
        seen: dict[int, int] = {}
        for c in self.cycles:
            seen[c.number] = seen.get(c.number, 0) + 1
        for num, k in seen.items():
            if k > 1:
                add(num, "duplicate_number", "error", number=num)
        prev_num: int | None = None
        for c in self.cycles:
            if prev_num is not None and c.number < prev_num:
                add(c.number, "number_order", "error", prev=prev_num)
            prev_num = c.number if prev_num is None else max(prev_num, c.number)
        ordered = sorted(self.cycles, key=lambda c: c.number)
        for a, b in zip(ordered, ordered[1:], strict=False):
            if b.number > a.number + 1:
                gap = ", ".join(str(i) for i in range(a.number + 1, b.number))
                add(b.number, "number_gap", "warning", missing=gap)
        # dates
        last_start: Cycle | None = None
        for c in ordered:
            if c.start and c.end and c.end < c.start:
                add(c.number, "end_before_start", "error", start=c.start.isoformat(), end=c.end.isoformat())
            if c.start:
                if last_start is not None and last_start.start and c.start < last_start.start:
                    add(
                        c.number,
                        "date_order",
                        "error",
                        start=c.start.isoformat(),
                        prev=last_start.number,
                        prev_start=last_start.start.isoformat(),
                    )
                if last_start is None or (last_start.start and c.start >= last_start.start):
                    last_start = c
        # per cycle content, per ramp sequencing
        for ramp in self.ramps().values():
            prev: Cycle | None = None
            abandoned_in: int | None = None
            for i, c in enumerate(ramp):
                later = i < len(ramp) - 1
                if not c.prediction:
                    add(c.number, "missing_prediction", "error")
                if not c.question:
                    add(c.number, "missing_question", "warning")
                if not c.change_idea:
                    add(c.number, "missing_change_idea", "warning")
                if (c.study or c.act) and not c.do:
                    add(c.number, "missing_do", "error")
                if c.act and not c.study:
                    act_word = ACTS[c.act][0 if lang_ == "nb" else 1]
                    add(c.number, "act_without_study", "error", act=act_word)
                elif c.do and not c.study:
                    if later:
                        add(c.number, "missing_study", "error", "missing_study_later")
                    else:
                        add(c.number, "missing_study", "warning")
                elif c.study and not c.act:
                    if later:
                        add(c.number, "missing_act", "error", "missing_act_later")
                    else:
                        add(c.number, "missing_act", "warning")
                if not c.scale:
                    add(c.number, "missing_scale", "warning")
                elif c.scale_rank is None:
                    add(c.number, "scale_unknown", "warning", scale=c.scale)
                if abandoned_in is not None:
                    add(c.number, "after_abandon", "warning", prev=abandoned_in)
                if (
                    prev is not None
                    and prev.scale_rank is not None
                    and c.scale_rank is not None
                    and c.scale_rank < prev.scale_rank
                    and not c.scale_reason
                ):
                    add(c.number, "scale_backwards", "warning", prev=prev.number, prev_scale=prev.scale, scale=c.scale)
                if (
                    prev is not None
                    and prev.scale_rank is not None
                    and c.scale_rank is not None
                    and c.scale_rank[0] - prev.scale_rank[0] >= _MAX_UNIT_STEP
                    and not c.scale_reason
                ):
                    add(c.number, "scale_jump", "warning", prev=prev.number, prev_scale=prev.scale, scale=c.scale)
                if c.act == "abandon" and abandoned_in is None:
                    abandoned_in = c.number
                if c.scale_rank is not None:
                    prev = c
        table = pd.DataFrame(rows, columns=["cycle", "check", "severity", "message"])
        if len(table):
            table["_sev"] = (table.severity != "error").astype(int)
            table = table.sort_values(["cycle", "_sev"], kind="stable").drop(columns="_sev").reset_index(drop=True)
        table["cycle"] = table["cycle"].astype("int64")
        return ValidationReport(table=table, params={"lang": lang_, "n_cycles": len(self.cycles)})

    # -- presentation ------------------------------------------------------------------------------
    def plot(
        self,
        ax: Axes | None = None,
        *,
        lang: str | None = None,
        highlight: int | None = None,
        **style: Any,
    ) -> Axes:
        """Draw the log as ramps of linked PDSA wheels; see :func:`qikit.pdsa.plotting.plot_ramp`."""
        from qikit.pdsa.plotting import plot_ramp

        return plot_ramp(self, ax=ax, lang=lang, highlight=highlight, **style)

    def _repr_html_(self) -> str:
        cols = ["number", "title", "change_idea", "scale", "prediction", "study", "act"]
        return f"<strong>PDSA: {self.title}</strong>" + self.to_frame()[cols].to_html(index=False)


def example_log(lang: str | None = None, *, with_problems: bool = False) -> PdsaLog:
    """Return a worked PDSA log: medication reconciliation within 24 hours on a medical ward.

    Two ramps: a checklist at admission (tested on 1 patient → 1 shift → 1 day → 1 week, adapted
    along the way, finally adopted) and a pharmacist phone call (abandoned after two cycles).

    Parameters
    ----------
    lang
        ``"nb"`` or ``"en"`` texts.
    with_problems
        Plant typical problems for learners to find: a missing prediction (cycle 3), a decision
        without a study (cycle 4), cycles entered out of order (6 before 5), a scale that jumps back
        without a reason (cycle 7), an idea tested again after it was abandoned (cycle 8).

    Examples
    --------
    >>> example_log("en").validate().ok
    True
    >>> sorted(set(example_log("en", with_problems=True).validate().table.check))  # doctest: +NORMALIZE_WHITESPACE
    ['act_without_study', 'after_abandon', 'missing_prediction', 'number_order', 'scale_backwards']
    """
    lang_ = check_lang(lang, "example_log")
    nb = lang_ == "nb"
    idea_a = (
        "Sjekkliste for legemiddelsamstemming ved innleggelse"
        if nb
        else "Medication reconciliation checklist at admission"
    )
    idea_b = "Farmasøyt ringer fastlegen" if nb else "Pharmacist phones the GP"

    def t(n: str, e: str) -> str:
        return n if nb else e

    _day = _dt.date.fromisoformat

    cycles = [
        Cycle(
            1,
            t("Sjekkliste, første utkast", "Checklist, first draft"),
            prediction=t(
                "Sykepleier fyller ut alle 8 punkter på under 10 minutter.",
                "The nurse completes all 8 items in under 10 minutes.",
            ),
            question=t("Er sjekklisten forståelig og rask nok?", "Is the checklist clear and quick enough?"),
            plan=t("Én sykepleier, én innleggelse, dagvakt mandag.", "One nurse, one admission, Monday day shift."),
            do=t("Utfylt på 14 minutter; punkt 5 var uklart.", "Completed in 14 minutes; item 5 was unclear."),
            study=t(
                "Tok lengre tid enn predikert; punkt 5 må skrives om.",
                "Took longer than predicted; item 5 must be rewritten.",
            ),
            act="adapt",
            scale=t("1 pasient", "1 patient"),
            start=_day("2024-02-05"),
            end=_day("2024-02-05"),
            change_idea=idea_a,
        ),
        Cycle(
            2,
            t("Sjekkliste v2 på én vakt", "Checklist v2 for one shift"),
            prediction=t(
                "3 av 4 innleggelser får samstemming innen vaktens slutt.",
                "3 of 4 admissions get reconciliation before the shift ends.",
            ),
            question=t("Fungerer v2 når det er travelt?", "Does v2 work when it is busy?"),
            plan=t("Alle innleggelser på kveldsvakt tirsdag.", "All admissions on Tuesday evening shift."),
            do=t("4 av 5 innleggelser samstemt.", "4 of 5 admissions reconciled."),
            study=t("80 % mot predikert 75 %: som forventet.", "80 % vs predicted 75 %: as expected."),
            act="adapt",
            scale=t("1 vakt", "1 shift"),
            start=_day("2024-02-06"),
            end=_day("2024-02-06"),
            change_idea=idea_a,
        ),
        Cycle(
            3,
            t("Sjekkliste v2 et helt døgn", "Checklist v2 for a full day"),
            prediction=t("Minst 8 av 10 samstemt innen 24 timer.", "At least 8 of 10 reconciled within 24 hours."),
            question=t("Holder resultatet over tre vakter?", "Does the result hold over three shifts?"),
            plan=t(
                "Alle vakter onsdag; nattevakt får kort opplæring.",
                "All shifts Wednesday; night staff get a short briefing.",
            ),
            do=t("9 av 11 samstemt; natt glemte to.", "9 of 11 reconciled; nights forgot two."),
            study=t(
                "82 % mot predikert 80 %; nattevakt trenger påminnelse.",
                "82 % vs predicted 80 %; nights need a reminder.",
            ),
            act="adapt",
            scale=t("1 dag", "1 day"),
            start=_day("2024-02-07"),
            end=_day("2024-02-07"),
            change_idea=idea_a,
        ),
        Cycle(
            4,
            t("Farmasøyt ringer fastlegen", "Pharmacist phones the GP"),
            prediction=t(
                "Fastlegen svarer innen 2 timer for 3 av 4 pasienter.",
                "The GP answers within 2 hours for 3 of 4 patients.",
            ),
            question=t("Kan en telefon erstatte brev fra fastlegen?", "Can a phone call replace the GP's letter?"),
            plan=t("Farmasøyt ringer for 2 pasienter torsdag.", "Pharmacist calls for 2 patients on Thursday."),
            do=t("Nådde ingen fastlege før etter 4 timer.", "Reached no GP until after 4 hours."),
            study=t("0 av 2 mot predikert 3 av 4: mye dårligere.", "0 of 2 vs predicted 3 of 4: much worse."),
            act="adapt",
            scale=t("2 pasienter", "2 patients"),
            start=_day("2024-02-08"),
            end=_day("2024-02-08"),
            change_idea=idea_b,
        ),
        Cycle(
            5,
            t("Farmasøyt ringer, avtalt tidspunkt", "Pharmacist calls at an agreed time"),
            prediction=t(
                "Med avtalt tid svarer fastlegen for 3 av 4.", "With an agreed time the GP answers for 3 of 4."
            ),
            question=t("Hjelper faste telefontider?", "Do fixed call times help?"),
            plan=t("Avtale med legekontoret; én vakt.", "Agreement with the GP office; one shift."),
            do=t("1 av 4 besvart.", "1 of 4 answered."),
            study=t(
                "25 % mot predikert 75 %: ideen virker ikke hos oss nå.",
                "25 % vs predicted 75 %: the idea does not work here now.",
            ),
            act="abandon",
            scale=t("1 vakt", "1 shift"),
            start=_day("2024-02-12"),
            end=_day("2024-02-12"),
            change_idea=idea_b,
        ),
        Cycle(
            6,
            t("Sjekkliste v3 en uke", "Checklist v3 for a week"),
            prediction=t("90 % samstemt innen 24 timer gjennom uka.", "90 % reconciled within 24 hours over the week."),
            question=t(
                "Holder v3 med påminnelse i vaktrapporten over en uke?",
                "Does v3 with a handover reminder hold for a week?",
            ),
            plan=t("Alle innleggelser uke 8; måling daglig.", "All admissions in week 8; measured daily."),
            do=t("38 av 41 samstemt.", "38 of 41 reconciled."),
            study=t("93 % mot predikert 90 %.", "93 % vs predicted 90 %."),
            act="adopt",
            scale=t("1 uke", "1 week"),
            start=_day("2024-02-19"),
            end=_day("2024-02-25"),
            change_idea=idea_a,
        ),
    ]
    if with_problems:
        cycles[2] = replace(cycles[2], prediction="")  # cycle 3: no prediction
        cycles[3] = replace(cycles[3], study="")  # cycle 4: act without study
        cycles[4], cycles[5] = cycles[5], cycles[4]  # 6 entered before 5
        cycles.append(
            Cycle(
                7,
                t("Sjekkliste på én pasient igjen", "Checklist on one patient again"),
                prediction=t("Fungerer for ny lege.", "Works for a new doctor."),
                question=t("Forstår nye leger listen?", "Do new doctors understand the list?"),
                do=t("Ja.", "Yes."),
                study=t("Som predikert.", "As predicted."),
                act="adopt",
                scale=t("1 pasient", "1 patient"),
                start=_day("2024-02-27"),
                change_idea=idea_a,
            )
        )
        cycles.append(
            Cycle(
                8,
                t("Farmasøyt ringer igjen", "Pharmacist calls again"),
                prediction=t("Bedre nå.", "Better now."),
                question=t("Virker det nå?", "Does it work now?"),
                scale=t("1 vakt", "1 shift"),
                start=_day("2024-02-28"),
                change_idea=idea_b,
            )
        )
    title = t(
        "Legemiddelsamstemming innen 24 timer, medisinsk sengepost",
        "Medication reconciliation within 24 h, medical ward",
    )
    return PdsaLog(tuple(cycles), title=title)
