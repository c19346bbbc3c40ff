"""``qikit course build``: generate the learner versions of every assignment (nbgrader generate_assignment).

::

    qikit course build [--edition nb|en|all] [--course DIR] [--assignment ID]...

For each edition's course root (``course/nb``, ``course/en``, or ``--course``), every assignment in
``source/`` is generated into that root's ``release/`` (git-ignored), through nbgrader's own
``generate_assignment``: solutions and hidden tests removed, cells locked. It prints what it made.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

EDITIONS = ("nb", "en")


def _course_dir() -> Path:
    from autograder.cli import repo_course_dir

    return repo_course_dir()


def build(course_root: Path, assignments: list[str] | None = None, say=print) -> list[Path]:
    """Generate every (or the given) assignment of ``course_root`` into its ``release/``; return the notebooks."""
    from autograder import speedups

    speedups.skip_slow_imports()
    from autograder.pipeline import NbGrader

    course_root = Path(course_root).resolve()
    if not (course_root / "nbgrader_config.py").is_file():
        raise FileNotFoundError(f"{course_root} is not an nbgrader course root (no nbgrader_config.py)")
    available = sorted(p.name for p in (course_root / "source").iterdir() if p.is_dir() and not p.name.startswith("."))
    wanted = assignments or available
    missing = [a for a in wanted if a not in available]
    if missing:
        raise FileNotFoundError(f"no such assignment in {course_root / 'source'}: {', '.join(missing)}")
    nbg = NbGrader(course_root)
    made: list[Path] = []
    for assignment in wanted:
        t0 = time.monotonic()
        nbg.generate_assignment(assignment)
        notebooks = sorted((course_root / "release" / assignment).glob("*.ipynb"))
        made += notebooks
        say(
            f"  {assignment}: "
            + ", ".join(str(p.relative_to(course_root)) for p in notebooks)
            + f"  ({time.monotonic() - t0:.1f} s)"
        )
    return made


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="qikit course", description="course tools")
    sub = parser.add_subparsers(dest="action", required=True)
    b = sub.add_parser("build", help="generate the learner versions (release/) of every assignment")
    where = b.add_mutually_exclusive_group()
    where.add_argument("--edition", choices=[*EDITIONS, "all"], default="all")
    where.add_argument("--course", help="an nbgrader course root instead of the bundled editions")
    b.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    args = parser.parse_args(argv)
    roots = (
        [Path(args.course)]
        if args.course
        else [_course_dir() / ed for ed in (EDITIONS if args.edition == "all" else (args.edition,))]
    )
    total = 0
    for root in roots:
        print(f"{root}:")
        try:
            total += len(build(root, args.assignment))
        except (FileNotFoundError, RuntimeError) as exc:
            print(f"qikit course build: {exc}", file=sys.stderr)
            return 2
    print(f"made {total} learner notebook(s) in {', '.join(str(r / 'release') for r in roots)}")
    return 0
