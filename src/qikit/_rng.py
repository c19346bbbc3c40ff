"""One way to turn a seed into a random generator."""

from __future__ import annotations

import numpy as np

from qikit._errors import QikitInputError

RngLike = np.random.Generator | int | None


def as_generator(rng: RngLike, func: str = "qikit") -> np.random.Generator:
    """Return ``np.random.default_rng(rng)``, with a clear error for anything else.

    Parameters
    ----------
    rng
        ``None`` (fresh entropy), an ``int`` seed, or an existing ``numpy.random.Generator``.
    func
        Name of the calling function, for the error message.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, int | np.integer) and not isinstance(rng, bool) and rng >= 0):
        return np.random.default_rng(rng)
    raise QikitInputError(
        f"{func}(): rng must be None, a non-negative int seed or a numpy.random.Generator; got {rng!r}."
    )
