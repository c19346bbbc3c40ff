"""Time every self-paced notebook from a fresh kernel to the last cell (target: under 15 s each).

Run: .venv/bin/python benchmarks/notebooks.py [--repeat 3]
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]


def run_once(path: Path) -> float:
    nb = nbformat.read(str(path), as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp}}).execute()
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print("| notebook | median s (fresh kernel, all cells) | runs |")
    print("|---|---:|---:|")
    for path in sorted((REPO / "notebooks").glob("*/*.ipynb")):
        times = [run_once(path) for _ in range(args.repeat)]
        print(f"| {path.parent.name}/{path.name} | {statistics.median(times):.1f} | {args.repeat} |")


if __name__ == "__main__":
    main()
