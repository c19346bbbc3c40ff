"""The cohort report: one self-contained HTML page per run, with plots and who needs follow-up.

Per graded assignment: the score distribution and the status counts; per task its difficulty (the
mean share of its points the cohort got) and its discrimination (the item-rest correlation: how well
the task separates learners who do well on the rest of the assignment from those who do not; for
an all-or-nothing task this is the point-biserial correlation); the learners who need follow-up
(failed, under half of the autograded points, flagged by the integrity guard, late, or waiting for
manual grading); and every learner's grade with the reason.
"""

from __future__ import annotations

import base64
import html
import io
import math
from pathlib import Path

from autograder.durable import atomic_write_text
from autograder.pipeline import STATUS_FAILED, STATUS_MANUAL, CohortResult

STATUS_COLOURS = {"graded": "#4C9F70", STATUS_MANUAL: "#E0A030", STATUS_FAILED: "#C0504D"}


def _png(fig) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buf = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buf)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None when either variable does not vary (or fewer than 3 learners)."""
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def task_statistics(res: CohortResult) -> list[dict]:
    """Per autograded task: max points, difficulty (mean share) and discrimination (item-rest r)."""
    graded = [r for r in res.learners if r.status != STATUS_FAILED and r.tasks]
    names: list[str] = []
    for r in graded:
        for gid, (_, mx) in r.tasks.items():
            if gid not in names and mx:
                names.append(gid)
    stats = []
    for gid in names:
        rows = [(r, r.tasks[gid]) for r in graded if gid in r.tasks and r.tasks[gid][0] is not None]
        if not rows:
            continue
        mx = rows[0][1][1]
        item = [s / mx for _, (s, _) in rows]
        rest = [sum(v for g, (v, _m) in r.tasks.items() if v is not None and g != gid) for r, _ in rows]
        stats.append(
            {
                "grade_id": gid,
                "max": mx,
                "n": len(rows),
                "difficulty": sum(item) / len(item),
                "discrimination": pearson(item, rest),
                "manual": any(r.tasks[gid][0] is None for r in graded if gid in r.tasks),
            }
        )
    return stats


def _figures(res: CohortResult, stats: list[dict]) -> tuple[str, str]:
    from matplotlib.figure import Figure

    graded = [r for r in res.learners if r.status != STATUS_FAILED]
    fig = Figure(figsize=(9, 2.8), dpi=90)
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [2.2, 1]})
    shares = [100 * r.auto_score / r.auto_max_score for r in graded if r.auto_max_score]
    ax1.hist(shares, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.01], color="#5DA5DA", edgecolor="white")
    ax1.set_xlabel("autograded score (% of the autograded points)")
    ax1.set_ylabel("learners")
    ax1.set_title("Score distribution", fontsize=10)
    counts: dict[str, int] = {}
    for r in res.learners:
        counts[r.status] = counts.get(r.status, 0) + 1
    labels = [s for s in ("graded", STATUS_MANUAL, STATUS_FAILED) if s in counts]
    ax2.barh(
        [s.replace("_", " ") for s in labels],
        [counts[s] for s in labels],
        color=[STATUS_COLOURS[s] for s in labels],
    )
    ax2.invert_yaxis()
    ax2.set_xlabel("learners")
    ax2.set_title("Status", fontsize=10)
    for ax in (ax1, ax2):
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    dist = _png(fig)

    auto = [s for s in stats if not s["manual"]]
    fig = Figure(figsize=(9, 0.38 * max(len(auto), 2) + 1.0), dpi=90)
    ax1, ax2 = fig.subplots(1, 2, sharey=True)
    names = [s["grade_id"] for s in auto]
    ax1.barh(names, [100 * s["difficulty"] for s in auto], color="#8C8C8C")
    ax1.set_xlim(0, 100)
    ax1.invert_yaxis()
    ax1.set_xlabel("mean share of the task's points (%) – low = hard")
    ax1.set_title("Difficulty", fontsize=10)
    disc = [s["discrimination"] if s["discrimination"] is not None else 0.0 for s in auto]
    ax2.barh(names, disc, color=["#C0504D" if d < 0.2 else "#4C9F70" for d in disc])
    ax2.axvline(0.2, color="#999999", linestyle="--", linewidth=1)
    ax2.set_xlim(-1, 1)
    ax2.set_xlabel("item-rest correlation – under 0.2 = weak")
    ax2.set_title("Discrimination", fontsize=10)
    for ax in (ax1, ax2):
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return dist, _png(fig)


def follow_up(res: CohortResult) -> list[tuple[str, str]]:
    """(learner, why) for everyone an instructor should look at."""
    out = []
    for r in res.learners:
        why = []
        if r.status == STATUS_FAILED:
            why.append(f"could not be graded: {r.reason}")
        elif r.auto_max_score and r.auto_score / r.auto_max_score < 0.5:
            why.append(f"{r.auto_score:g} of {r.auto_max_score:g} autograded points")
        if r.integrity:
            why.append("integrity: " + "; ".join(r.integrity[:3]))
        if r.late:
            why.append("late" + (f" (penalty {r.late_penalty:g})" if r.late_penalty else ""))
        if r.status == STATUS_MANUAL:
            why.append("reflection(s) to grade by hand")
        if why:
            out.append((r.student_id, "; ".join(why)))
    return out


def write_report(results: list[CohortResult], path: Path) -> Path:
    """Write the cohort report for every graded assignment to ``path`` (HTML) and return it."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>qikit cohort report</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;color:#222}"
        "table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;"
        "text-align:left;vertical-align:top}.failed{color:#a33}.manual{color:#946200}.weak{color:#a33}"
        "img{max-width:100%}nav a{margin-right:.8rem}</style></head><body>",
        "<h1>Cohort report</h1>",
    ]
    if len(results) > 1:
        parts.append(
            "<nav>"
            + "".join(
                f"<a href='#r{i}'>{html.escape(r.assignment)} · {html.escape(r.course_id)}</a>"
                for i, r in enumerate(results)
            )
            + "</nav>"
        )
    for i, res in enumerate(results):
        stats = task_statistics(res)
        dist, tasks_png = _figures(res, stats)
        counts: dict[str, int] = {}
        for r in res.learners:
            counts[r.status] = counts.get(r.status, 0) + 1
        parts.append(f"<h2 id='r{i}'>{html.escape(res.assignment)} · {html.escape(res.course_id)}</h2>")
        parts.append(
            "<p>"
            + f"{len(res.learners)} learners: "
            + ", ".join(f"{n} {html.escape(s.replace('_', ' '))}" for s, n in sorted(counts.items()))
            + (f" · sandbox: {html.escape(res.sandbox)}" if res.sandbox else "")
            + "</p>"
        )
        parts.append(f"<img alt='Histogram of autograded scores and status counts' src='data:image/png;base64,{dist}'>")
        parts.append(f"<img alt='Difficulty and discrimination per task' src='data:image/png;base64,{tasks_png}'>")
        parts.append(
            "<table><tr><th>task</th><th>points</th><th>learners</th><th>difficulty (mean %)</th>"
            "<th>discrimination (item-rest r)</th></tr>"
        )
        for s in stats:
            d = s["discrimination"]
            d_txt = "–" if d is None else f"{d:.2f}"
            cls = " class='weak'" if d is not None and d < 0.2 else ""
            kind = " (by hand)" if s["manual"] else ""
            parts.append(
                f"<tr><td>{html.escape(s['grade_id'])}{kind}</td><td>{s['max']:g}</td><td>{s['n']}</td>"
                f"<td>{100 * s['difficulty']:.0f} %</td><td{cls}>{d_txt}</td></tr>"
            )
        parts.append("</table>")
        parts.append("<h3>Needs follow-up</h3>")
        follow = follow_up(res)
        if follow:
            parts.append("<ul>")
            for who, why in follow:
                parts.append(f"<li><b>{html.escape(who)}</b>: {html.escape(why)}</li>")
            parts.append("</ul>")
        else:
            parts.append("<p>Nobody.</p>")
        parts.append("<h3>Grades</h3><table><tr><th>learner</th><th>score</th><th>status</th><th>note</th></tr>")
        for r in res.learners:
            cls = "failed" if r.status == STATUS_FAILED else ("manual" if r.status == STATUS_MANUAL else "")
            parts.append(
                f"<tr class='{cls}'><td>{html.escape(r.student_id)}</td><td>{r.score:g} / {r.max_score:g}</td>"
                f"<td>{html.escape(r.status)}</td><td>{html.escape(r.reason)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    atomic_write_text(Path(path), "\n".join(parts))
    return Path(path)
