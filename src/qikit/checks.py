"""Small self-checks for the self-paced notebooks: immediate, friendly feedback in the edition's language.

These are for *ungraded* practice: the expected answer sits in the notebook, as in a textbook's
answer key. Graded assignments never use them (their tests live in locked nbgrader cells).

Each check prints one line (``✓ …`` or ``✗ …`` with a hint) and returns ``True``/``False``, so
a notebook can also branch on the result.

Examples
--------
>>> check_number(0.1052, 0.1052, tol=0.0005, lang="en")
✓ Correct.
True
>>> check_number(10.52, 0.1052, tol=0.0005, lang="en", hint="Give a proportion, not a percentage.")
✗ Not quite: Give a proportion, not a percentage.
False
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

from qikit.i18n import Catalog, check_lang

_TEXT = Catalog(
    {
        "ok": ("✓ Riktig.", "✓ Correct."),
        "ok_note": ("✓ Riktig. {note}", "✓ Correct. {note}"),
        "wrong": ("✗ Ikke helt: {hint}", "✗ Not quite: {hint}"),
        "not_number": (
            "✗ Svaret skal være ett tall; fikk {kind}.",
            "✗ The answer must be one number; got {kind}.",
        ),
        "not_filled": (
            "✗ Du har ikke fylt inn et svar ennå (erstatt ... med svaret ditt).",
            "✗ You have not filled in an answer yet (replace ... with your answer).",
        ),
        "default_hint": ("prøv igjen, og les oppgaveteksten en gang til.", "try again, and reread the task."),
        "missing": ("mangler: {items}", "missing: {items}"),
        "extra": ("skal ikke være med: {items}", "should not be there: {items}"),
    }
)


def _emit(ok: bool, lang: str | None, hint: str | None, note: str | None = None) -> bool:
    if ok:
        print(_TEXT.get("ok_note", lang, note=note) if note else _TEXT.get("ok", lang))
    else:
        print(_TEXT.get("wrong", lang, hint=hint or _TEXT.get("default_hint", lang)))
    return ok


def check_number(
    answer: object,
    expected: float,
    *,
    tol: float = 0.0,
    lang: str | None = None,
    hint: str | None = None,
    note: str | None = None,
) -> bool:
    """Check a numeric answer within an absolute tolerance ``tol``."""
    lang = check_lang(lang, "check_number")
    if answer is Ellipsis or answer is None:
        print(_TEXT.get("not_filled", lang))
        return False
    if type(answer).__name__ in ("bool", "bool_") or not isinstance(answer, numbers.Real):
        print(_TEXT.get("not_number", lang, kind=type(answer).__name__))
        return False
    try:
        value = float(answer)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        print(_TEXT.get("not_number", lang, kind=type(answer).__name__))
        return False
    return _emit(math.isfinite(value) and abs(value - expected) <= tol, lang, hint, note)


def check_equal(
    answer: object, expected: object, *, lang: str | None = None, hint: str | None = None, note: str | None = None
) -> bool:
    """Check an exact answer (a label, a count, True/False); text is compared without case or spaces."""
    lang = check_lang(lang, "check_equal")
    if answer is Ellipsis or answer is None:
        print(_TEXT.get("not_filled", lang))
        return False
    if isinstance(expected, str) and isinstance(answer, str):
        ok = answer.strip().casefold() == expected.strip().casefold()
    elif isinstance(expected, bool):
        ok = type(answer).__name__ in ("bool", "bool_") and bool(answer) is expected  # type: ignore[arg-type]
    elif isinstance(expected, int) and not isinstance(expected, bool):
        # numpy integers and floats count as numbers too (np.int64 is not a Python int).
        ok = isinstance(answer, numbers.Real) and type(answer).__name__ not in ("bool", "bool_")
        ok = ok and float(answer) == expected  # type: ignore[arg-type]
    else:
        ok = bool(answer == expected)
    return _emit(ok, lang, hint, note)


def check_set(
    answer: Iterable[object] | None,
    expected: Iterable[object],
    *,
    lang: str | None = None,
    hint: str | None = None,
    note: str | None = None,
) -> bool:
    """Check an unordered collection (e.g. the months that signal); says what is missing or extra."""
    lang = check_lang(lang, "check_set")
    if answer is Ellipsis or answer is None:
        print(_TEXT.get("not_filled", lang))
        return False
    got, want = {str(a) for a in answer}, {str(e) for e in expected}
    if got == want:
        return _emit(True, lang, hint, note)
    parts = []
    if want - got:
        parts.append(_TEXT.get("missing", lang, items=", ".join(sorted(want - got))))
    if got - want:
        parts.append(_TEXT.get("extra", lang, items=", ".join(sorted(got - want))))
    return _emit(False, lang, (hint + " " if hint else "") + "; ".join(parts))
