"""The cohort report: one self-contained HTML page with the grades, plots and who needs follow-up."""

from __future__ import annotations

import base64
import csv
import html
import io
from pathlib import Path

from autograder.pipeline import STATUS_FAILED, CohortResult


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _task_table(res: CohortResult) -> list[tuple[str, float, float, int]]:
    """Per test cell: (grade_id, mean score share, max points, learners counted)."""
    totals: dict[str, list[float]] = {}
    maxes: dict[str, float] = {}
    with res.tasks_csv.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["score"] == "":
                continue
            mx = float(row["max_score"])
            maxes[row["grade_id"]] = mx
            totals.setdefault(row["grade_id"], []).append(float(row["score"]) / mx if mx else 0.0)
    return [(g, sum(v) / len(v), maxes[g], len(v)) for g, v in totals.items()]


def _plots(res: CohortResult) -> tuple[str, str]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    graded = [r for r in res.learners if r.status != STATUS_FAILED]
    fig, ax = plt.subplots(figsize=(6, 3))
    shares = [100 * r.auto_score / r.auto_max_score for r in graded if r.auto_max_score]
    ax.hist(shares, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.01], color="#5DA5DA", edgecolor="white")
    ax.set_xlabel("autograded score (% of autograded points)")
    ax.set_ylabel("learners")
    ax.set_title(f"{res.assignment}: score distribution ({res.course_id})")
    ax.spines[["top", "right"]].set_visible(False)
    dist = _png(fig)
    plt.close(fig)

    tasks = _task_table(res)
    fig, ax = plt.subplots(figsize=(6, 0.45 * max(len(tasks), 2) + 0.8))
    names = [t[0] for t in tasks]
    ax.barh(names, [100 * t[1] for t in tasks], color="#8C8C8C")
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("mean share of the task's points (%) – low = hard")
    ax.set_title("Per-task difficulty")
    ax.spines[["top", "right"]].set_visible(False)
    diff = _png(fig)
    plt.close(fig)
    return dist, diff


def write_report(results: list[CohortResult], path: Path) -> Path:
    """Write the cohort report for every graded assignment to ``path`` (HTML) and return it."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>qikit cohort report</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}"
        "table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}"
        ".failed{color:#a33}.manual{color:#946200}</style></head><body>",
        "<h1>Cohort report</h1>",
    ]
    for res in results:
        dist, diff = _plots(res)
        counts: dict[str, int] = {}
        for r in res.learners:
            counts[r.status] = counts.get(r.status, 0) + 1
        parts.append(f"<h2>{html.escape(res.assignment)} · {html.escape(res.course_id)}</h2>")
        parts.append(
            "<p>" + ", ".join(f"{n} {html.escape(s)}" for s, n in sorted(counts.items())) + f" · {len(res.learners)} learners</p>"
        )
        parts.append(f"<img alt='Histogram of autograded scores' src='data:image/png;base64,{dist}'>")
        parts.append(f"<img alt='Mean share of points per task' src='data:image/png;base64,{diff}'>")
        follow = [
            r
            for r in res.learners
            if r.status == STATUS_FAILED or (r.auto_max_score and r.auto_score / r.auto_max_score < 0.5)
        ]
        parts.append("<h3>Needs follow-up</h3>")
        if follow:
            parts.append("<ul>")
            for r in follow:
                why = r.reason or f"{r.auto_score:g} of {r.auto_max_score:g} autograded points"
                parts.append(f"<li><b>{html.escape(r.student_id)}</b>: {html.escape(why)}</li>")
            parts.append("</ul>")
        else:
            parts.append("<p>Nobody: every learner has at least half of the autograded points.</p>")
        parts.append("<h3>Grades</h3><table><tr><th>learner</th><th>score</th><th>status</th><th>note</th></tr>")
        for r in res.learners:
            cls = "failed" if r.status == STATUS_FAILED else ("manual" if r.status == "needs_manual_grading" else "")
            parts.append(
                f"<tr class='{cls}'><td>{html.escape(r.student_id)}</td><td>{r.score:g} / {r.max_score:g}</td>"
                f"<td>{html.escape(r.status)}</td><td>{html.escape(r.reason)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text("\n".join(parts), encoding="utf-8")
    tmp.replace(path)
    return path
