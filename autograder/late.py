"""Late submissions: nbgrader's late-penalty plugin with qikit's policies.

``qikit grade ... --due "2026-11-20 23:59" --late-policy POLICY`` sets the assignment's due date in
the gradebook; nbgrader computes how late each hand-in is from its ``timestamp.txt`` and asks this
plugin for the penalty per notebook. Policies:

* ``none`` (default): no penalty; late hand-ins are only flagged (``late`` column, report);
* ``zero``: a late hand-in scores zero;
* ``per-day:P``: lose P % of the points earned per started day late (at most all of them);
* ``grace:H,...``: prefix to forgive the first H hours, e.g. ``grace:2,per-day:10``.
"""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Unicode


def parse_policy(policy: str) -> tuple[float, str, float]:
    """``(grace_hours, kind, percent_per_day)`` of a policy string; raises ValueError if malformed."""
    grace = 0.0
    rest = (policy or "none").strip().lower()
    if rest.startswith("grace:"):
        head, _, rest = rest[len("grace:") :].partition(",")
        grace = float(head)
        rest = rest.strip() or "none"
    if rest in ("none", "zero"):
        return grace, rest, 0.0
    if rest.startswith("per-day:"):
        pct = float(rest[len("per-day:") :])
        if not 0 <= pct <= 100:
            raise ValueError("per-day percentage must be between 0 and 100")
        return grace, "per-day", pct
    raise ValueError(f"unknown late policy {policy!r}: use none, zero, per-day:P or grace:H,<policy>")


def penalty(policy: str, score: float, seconds_late: float) -> float:
    """Points to subtract from ``score`` for a hand-in ``seconds_late`` after the due date."""
    grace, kind, pct = parse_policy(policy)
    late = seconds_late - grace * 3600
    if late <= 0 or score <= 0:
        return 0.0
    if kind == "zero":
        return float(score)
    if kind == "per-day":
        days = math.ceil(late / 86400)
        return float(min(score, score * pct / 100 * days))
    return 0.0


class QikitLatePolicy(LateSubmissionPlugin):
    """nbgrader plugin applying a qikit late policy (configured as ``c.QikitLatePolicy.policy``)."""

    policy = Unicode("none", help="none | zero | per-day:P | grace:H,<policy>").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        return penalty(self.policy, float(score or 0), float(total_seconds_late or 0))
