"""Time one update (compute + redraw + PNG) of each psychology and PDSA widget.

Run: ``python benchmarks/widgets_psychology_pdsa.py [--repeat N]``. Prints a Markdown table with the
median, minimum and maximum of ``N`` updates per widget (each update triggered the way a learner
would: by setting a control's value or clicking a button), plus the time to build each widget.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")


def _time(fn: Callable[[int], None], repeat: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for i in range(1, repeat + 1):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(i)
        wall.append(1000 * (time.perf_counter() - t0))
        cpu.append(1000 * (time.process_time() - c0))
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    from qikit.widgets.pdsa import pdsa_ramp_widget, pdsa_simulator_widget
    from qikit.widgets.psychology import diffusion_widget, self_assessment_widget, wie_widget

    cases: list[tuple[str, Callable[[], object], Callable[[object], Callable[[int], None]]]] = [
        (
            "self_assessment_widget: set a theme level",
            self_assessment_widget,
            lambda w: lambda i: setattr(w.controls["theme1"], "value", [1.0, 4.0][i % 2]),  # type: ignore[attr-defined]
        ),
        (
            "diffusion_widget: move q slider",
            diffusion_widget,
            lambda w: lambda i: setattr(w.controls["q"], "value", [0.2, 0.4][i % 2]),  # type: ignore[attr-defined]
        ),
        (
            "wie_widget: answer an item",
            wie_widget,
            lambda w: lambda i: setattr(w.controls["execution.1"], "value", ["yes", "no"][i % 2]),  # type: ignore[attr-defined]
        ),
        (
            "pdsa_simulator_widget: run a cycle",
            lambda: pdsa_simulator_widget(seed=1),
            lambda w: lambda i: w.controls["run"].click(),  # type: ignore[attr-defined]
        ),
        (
            "pdsa_ramp_widget: select a cycle",
            pdsa_ramp_widget,
            lambda w: lambda i: setattr(w.controls["cycle"], "value", [2, 5][i % 2]),  # type: ignore[attr-defined]
        ),
    ]
    print(f"| widget update (n = {args.repeat}) | median ms | min ms | max ms | median CPU ms | build ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, build, action in cases:
        t0 = time.perf_counter()
        w = build()
        build_ms = 1000 * (time.perf_counter() - t0)
        fn = action(w)
        fn(0)  # warm-up
        wall, cpu = _time(fn, args.repeat)
        print(
            f"| {name} | {statistics.median(wall):.0f} | {min(wall):.0f} | {max(wall):.0f} | "
            f"{statistics.median(cpu):.0f} | {build_ms:.0f} |"
        )


if __name__ == "__main__":
    main()
