"""Speed and memory of the SPC engine: run, I and p charts with the full rules.

Run on demand::

    python benchmarks/spc.py            # 1e4, 1e5, 1e6 points
    python benchmarks/spc.py --quick    # 1e4, 1e5 only

Prints a Markdown table: median wall time of several runs (one core) and peak traced memory
(tracemalloc, a separate run) per chart type, size and rule set.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

from qikit import QikitWarning
from qikit.spc import chart


def make_data(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    den = rng.integers(50, 150, n)
    return pd.DataFrame(
        {
            "x": np.arange(1, n + 1),
            "y": rng.normal(100.0, 10.0, n),
            "events": rng.binomial(den, 0.2),
            "cases": den,
        }
    )


CASES = [
    ("run", {"chart": "run", "y": "y"}),
    ("i", {"chart": "i", "y": "y", "screen_mr": True}),
    ("p", {"chart": "p", "y": "events", "n": "cases"}),
]


def run_once(d: pd.DataFrame, kw: dict, rules: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call (CPU time is robust on a busy machine)."""
    t0, c0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QikitWarning)
        chart(d, x="x", rules=rules, **kw)
    return time.perf_counter() - t0, time.process_time() - c0


def peak_mb(d: pd.DataFrame, kw: dict, rules: str) -> float:
    tracemalloc.start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QikitWarning)
        chart(d, x="x", rules=rules, **kw)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip 1e6")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--rules", default="anhoej,hcdg", help="comma-separated rule sets")
    args = ap.parse_args()
    sizes = [10**4, 10**5] if args.quick else [10**4, 10**5, 10**6]
    rule_sets = args.rules.split(",")
    print("| chart | rules | points | median wall (s) | median CPU (s) | CPU per 1e6 points (s) | peak memory (MiB) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, kw in CASES:
        for rules in rule_sets:
            if name == "run" and rules == "hcdg":
                continue
            for n in sizes:
                d = make_data(n)
                run_once(d, kw, rules)  # warm-up
                repeat = args.repeat if n <= 10**5 else max(3, args.repeat // 2)
                times = [run_once(d, kw, rules) for _ in range(repeat)]
                wall = statistics.median(t[0] for t in times)
                cpu = statistics.median(t[1] for t in times)
                mem = peak_mb(d, kw, rules)
                print(f"| {name} | {rules} | {n:,} | {wall:.4f} | {cpu:.4f} | {cpu * 1e6 / n:.3f} | {mem:.0f} |")


if __name__ == "__main__":
    main()
