"""The ``qikit`` command.

::

    qikit demo [--out DIR]          grade the bundled demo cohort end to end
    qikit lab [--edition nb|en]     start JupyterLab on the notebooks and released assignments
    qikit check NOTEBOOK            run a notebook's checks locally and print a score per task
    qikit course build [--edition]  generate the learner versions of every assignment
    qikit grade ASSIGNMENT ...      autograde a cohort, feedback, grades CSV and cohort report
    qikit spc CSV --chart KIND ...  run and control charts from the shell
    qikit lite build                a static JupyterLite site of the self-paced notebooks
    qikit progress                  which modules and tasks a learner has done

Subcommands import what they need when they run, so ``qikit --help`` is instant. The instructor
commands (``demo``, ``grade``, ``course``) live in the ``autograder`` package beside the library.
"""

from __future__ import annotations

import importlib
import sys

USAGE = """usage: qikit <command> [options]

commands:
  demo      grade the bundled demo cohort: build the course, autograde, feedback, grades, report
  grade     autograde one assignment for a cohort (nbgrader course root, submissions, --out)
  course    course tools: `qikit course build [--edition nb|en|all]`
  lab       start JupyterLab on the self-paced notebooks and released assignments
  check     self-check a notebook without a server: a score per task, with hints
  spc       run and control charts from a CSV file (`qikit spc --help`)
  lite      build the JupyterLite site: `qikit lite build [--edition nb|en|all] [--out DIR]`
  progress  which modules and tasks you have done (from your last checks)

`qikit <command> --help` explains each command."""

# command -> (module, function taking argv and returning an exit status)
_COMMANDS = {
    "demo": ("autograder.cli", "main"),
    "grade": ("autograder.cli", "main"),
    "course": ("autograder.course", "main"),
    "lab": ("qikit.lab", "main"),
    "check": ("qikit.selfcheck", "main"),
    "spc": ("qikit.spc.cli", "main"),
    "lite": ("qikit.lab", "lite_main"),
    "progress": ("qikit.progress", "main"),
}
_PASS_COMMAND = {"demo", "grade"}  # these parse their own subcommand name


def main(argv: list[str] | None = None) -> int:
    """Run the ``qikit`` command; returns the exit status (2 for usage errors)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    if args[0] in ("--version", "-V"):
        from qikit import __version__

        print(f"qikit {__version__}")
        return 0
    command, rest = args[0], args[1:]
    if command not in _COMMANDS:
        print(f"qikit: unknown command {command!r}.\n\n{USAGE}", file=sys.stderr)
        return 2
    module_name, func_name = _COMMANDS[command]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            print(f"qikit {command}: this command is not available in this installation ({exc}).", file=sys.stderr)
            return 2
        raise
    func = getattr(module, func_name)
    status = func([command, *rest] if command in _PASS_COMMAND else rest)
    return int(status or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
