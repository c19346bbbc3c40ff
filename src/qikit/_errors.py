"""The exception and warning every part of qikit raises for bad or weak input."""

from __future__ import annotations


class QikitInputError(ValueError):
    """Bad input to a qikit function.

    The message names the function, the argument, the bad value and the fix, for example
    ``p_chart(): n must be positive; got n = 0 at x = 2024-03. Drop that period or pass its
    real denominator.``
    """


class QikitWarning(UserWarning):
    """A legal but weak analysis, e.g. fewer than 10 useful observations for the runs rules."""


def check_choice(func: str, arg: str, value: object, choices: tuple[str, ...] | list[str]) -> None:
    """Raise a uniform :class:`QikitInputError` when ``value`` is not one of ``choices``."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise QikitInputError(f"{func}(): {arg} must be one of {options}; got {value!r}.")
