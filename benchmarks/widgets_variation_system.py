"""Time one update (compute + redraw + PNG) of every variation and system widget.

Run:  MPLBACKEND=Agg .venv/bin/python benchmarks/widgets_variation_system.py [--repeat 9]

Each update is triggered the way a learner does it: by setting a control's ``.value`` (the seed, so the
computation really changes). The table gives the median and the slowest of ``--repeat`` updates, and the
median time of the pure computation alone, in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("MPLBACKEND", "Agg")

from qikit.system import driver_diagram_from_text, pareto, patient_flow, swiss_cheese  # noqa: E402
from qikit.variation import funnel, red_beads, simulate_process, tampering  # noqa: E402
from qikit.widgets import system as wsys  # noqa: E402
from qikit.widgets import variation as wvar  # noqa: E402


def _text_change(demo: wvar.DemoBox, key: str) -> Callable[[int], None]:
    base = demo.controls[key].value

    def change(i: int) -> None:
        demo.controls[key].value = base + ("\n" * (i % 2 + 1))

    return change


def _seed_change(demo: wvar.DemoBox) -> Callable[[int], None]:
    def change(i: int) -> None:
        demo.controls["seed"].value = 100 + i

    return change


def _slider_change(demo: wvar.DemoBox, key: str, values: list[float]) -> Callable[[int], None]:
    def change(i: int) -> None:
        demo.controls[key].value = values[i % len(values)]

    return change


CASES: list[tuple[str, Callable[[], wvar.DemoBox], str, Callable[[], object]]] = [
    ("red beads (np chart)", wvar.red_beads_widget, "seed", lambda: red_beads(rng=1).np_chart()),
    ("funnel (one rule, 100 drops)", wvar.funnel_widget, "seed", lambda: funnel(2, drops=100, rng=1)),
    ("common/special cause", wvar.causes_widget, "seed", lambda: simulate_process("shift", rng=1)),
    ("tampering", wvar.tampering_widget, "seed", lambda: tampering(rng=1)),
    (
        "Swiss cheese (10 000 trials)",
        wsys.swiss_cheese_widget,
        "seed",
        lambda: swiss_cheese([0.2, 0.3, 0.25, 0.1], trials=10_000, rng=1),
    ),
    ("patient flow (7 days)", wsys.flow_widget, "seed", lambda: patient_flow(rng=1)),
    ("Pareto builder", wsys.pareto_widget, "threshold", lambda: pareto({"a": 5, "b": 3, "c": 1})),
    (
        "driver diagram builder",
        wsys.driver_diagram_widget,
        "text",
        lambda: driver_diagram_from_text("mål: A\ndriver: X -> mål\ntiltak: c -> X").validate(),
    ),
]


def _ms(f: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    """Print a Markdown table of update times."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    rows = []
    for name, factory, key, compute in CASES:
        demo = factory()
        if key == "seed":
            change = _seed_change(demo)
        elif key == "threshold":
            change = _slider_change(demo, key, [0.7, 0.8, 0.9])
        else:
            change = _text_change(demo, key)
        change(0)  # warm up
        counter = iter(range(1, 10_000))
        times = _ms(lambda change=change, counter=counter: change(next(counter)), args.repeat)
        comp = _ms(compute, args.repeat)
        rows.append((name, statistics.median(times), max(times), statistics.median(comp)))
    print(f"Widget update times, median of {args.repeat} (ms); load average {os.getloadavg()[0]:.1f}\n")
    print("| widget | update median | update max | compute only (median) |")
    print("|---|---:|---:|---:|")
    for name, med, worst, comp in rows:
        print(f"| {name} | {med:.0f} | {worst:.0f} | {comp:.1f} |")


if __name__ == "__main__":
    main()
