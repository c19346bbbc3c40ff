"""A learner's progress overview: which modules and tasks are done, in a ``qikit lab`` workspace.

From the shell: ``qikit check --progress [DIR]`` (from the last checks) or ``qikit check --all [DIR]`` (runs the
checks of every assignment first). In a notebook::

    from qikit.progress import progress; progress()

Assignments count as done task by task, from the last self-check (``qikit check`` or ``check()`` in the
notebook) recorded in ``DIR/.qikit/progress.json``; self-paced notebooks by how many of their code cells
have been run in the saved file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qikit.i18n import Catalog

_T = Catalog(
    {
        "title": ("Framgang i {ws} ({edition})", "Progress in {ws} ({edition})"),
        "edition.nb": ("bokmålsutgaven", "Norwegian edition"),
        "edition.en": ("engelsk utgave", "English edition"),
        "h.module": ("Modul", "Module"),
        "h.notebook": ("Notatbok", "Notebook"),
        "h.done": ("Gjort", "Done"),
        "h.checked": ("Sist sjekket", "Last checked"),
        "assignments": ("Innleveringsoppgaver", "Assignments"),
        "selfpaced": ("Selvstudium-notatbøker", "Self-paced notebooks"),
        "not_checked": ("ikke sjekket ennå", "not checked yet"),
        "tasks_done": ("{done} av {tasks} oppgaver, {points} av {max_points} poeng",
                       "{done} of {tasks} tasks, {points} of {max_points} points"),
        "todo": ("gjenstår: {titles}", "to do: {titles}"),
        "stale": ("(endret etter siste sjekk)", "(changed since the last check)"),
        "cells_run": ("{run} av {cells} kodeceller kjørt", "{run} of {cells} code cells run"),
        "none": ("Ingen notatbøker funnet i {ws}.", "No notebooks found in {ws}."),
        "hint": (
            "Sjekk en oppgave med `qikit check FIL.ipynb`, eller alle med `qikit check --all`.",
            "Check an assignment with `qikit check FILE.ipynb`, or all of them with `qikit check --all`.",
        ),
        "no_ws": (
            "{path} er ikke et qikit-arbeidsområde (start med `qikit lab`).",
            "{path} is not a qikit workspace (start with `qikit lab`).",
        ),
    }
)

_MODULE_RE = re.compile(r"\b(m\d{2})\b")


@dataclass
class Entry:
    """One notebook in the overview."""

    module: str
    name: str
    kind: str  # "assignment" or "selfpaced"
    done: str
    checked: str = ""
    todo: list[str] = field(default_factory=list)
    complete: bool = False


def _module_of(path: Path, meta: dict[str, Any]) -> str:
    module = str(meta.get("qikit", {}).get("module", "") or "")
    match = _MODULE_RE.search(module) or _MODULE_RE.search(path.as_posix())
    return match.group(1) if match else "–"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _is_assignment(nb: dict[str, Any]) -> bool:
    return any(
        isinstance(c.get("metadata", {}).get("nbgrader"), dict) and c["metadata"]["nbgrader"].get("grade")
        for c in nb.get("cells", [])
    )


def workspace_notebooks(ws: Path) -> list[Path]:
    """Every notebook of a workspace, without checkpoints and hidden folders, in a stable order."""
    found = []
    for p in sorted(ws.rglob("*.ipynb")):
        rel = p.relative_to(ws).parts
        if any(part.startswith(".") for part in rel):
            continue
        found.append(p)
    return found


def collect(ws: Path) -> list[Entry]:
    """Build the overview of workspace ``ws`` from its notebooks and its recorded checks."""
    from qikit.selfcheck import PASSED, PROGRESS_FILE

    lang = edition_of(ws)
    checks = _read_json(ws / PROGRESS_FILE).get("notebooks", {})
    entries: list[Entry] = []
    for p in workspace_notebooks(ws):
        nb = _read_json(p)
        if not nb:
            continue
        rel = p.relative_to(ws).as_posix()
        module = _module_of(p, nb.get("metadata", {}))
        if _is_assignment(nb):
            last = checks.get(rel)
            if not last:
                entries.append(Entry(module, rel, "assignment", _T.get("not_checked", lang)))
                continue
            auto = [t for t in last.get("tasks", []) if t.get("status") != "manual"]
            done = [t for t in auto if t.get("status") == PASSED]
            todo = [str(t.get("title", "")) for t in auto if t.get("status") != PASSED]
            text = _T.get("tasks_done", lang, done=len(done), tasks=len(auto),
                          points=f"{float(last.get('points', 0)):g}",
                          max_points=f"{float(last.get('max_points', 0)):g}")
            saved_now = p.stat().st_mtime
            checked = str(last.get("checked_at", "")).replace("T", " ")
            try:
                import datetime as _dt

                if saved_now > _dt.datetime.fromisoformat(str(last.get("saved_at"))).timestamp() + 1:
                    checked += " " + _T.get("stale", lang)
            except (TypeError, ValueError):
                pass
            entries.append(Entry(module, rel, "assignment", text, checked, todo, complete=not todo and bool(auto)))
        else:
            code = [c for c in nb.get("cells", [])
                    if c.get("cell_type") == "code" and "".join(c.get("source", "")).strip()]
            run = [c for c in code if c.get("execution_count")]
            text = _T.get("cells_run", lang, run=len(run), cells=len(code))
            entries.append(Entry(module, rel, "selfpaced", text, complete=bool(code) and len(run) == len(code)))
    return entries


def edition_of(ws: Path, lang: str | None = None) -> str:
    """The workspace's edition (from ``.qikit/workspace.json``), else ``lang``, else the default language."""
    from qikit.selfcheck import WORKSPACE_MARKER, _lang_or_default

    edition = str(_read_json(ws / WORKSPACE_MARKER).get("edition", ""))
    return edition if edition in ("nb", "en") else _lang_or_default(lang)


def format_overview(ws: Path, entries: list[Entry], lang: str) -> str:
    """The overview as plain text."""
    lines = [_T.get("title", lang, ws=str(ws), edition=_T.get(f"edition.{lang}", lang))]
    if not entries:
        lines.append(_T.get("none", lang, ws=str(ws)))
        return "\n".join(lines)
    for kind, label in (("assignment", "assignments"), ("selfpaced", "selfpaced")):
        group = [e for e in entries if e.kind == kind]
        if not group:
            continue
        lines += ["", _T.get(label, lang)]
        width = max(len(e.name) for e in group)
        for e in sorted(group, key=lambda e: (e.module, e.name)):
            mark = "[x]" if e.complete else "[ ]"
            line = f"  {mark} {e.module:<4} {e.name:<{width}}  {e.done}"
            if e.checked:
                line += f"  ({_T.get('h.checked', lang).lower()} {e.checked})"
            lines.append(line)
            if e.todo:
                todo = ", ".join(e.todo)
                lines.append(f"        {' ' * width}  {_T.get('todo', lang, titles=todo[:160])}")
    lines += ["", _T.get("hint", lang)]
    return "\n".join(lines)


def default_workspace(lang: str | None = None) -> Path:
    """The workspace around the current folder, else ``~/qikit-<edition>``."""
    from qikit.selfcheck import _lang_or_default, find_workspace

    here = find_workspace(Path.cwd())
    return here if here is not None else Path.home() / f"qikit-{_lang_or_default(lang)}"


def progress(workspace: str | os.PathLike[str] | None = None, *, lang: str | None = None) -> None:
    """Print the progress overview of a workspace (the current one by default)."""
    ws = Path(workspace).expanduser().resolve() if workspace else default_workspace(lang)
    language = edition_of(ws, lang)
    print(format_overview(ws, collect(ws), language))


def main(argv: list[str] | None = None) -> int:
    """``qikit progress [DIR] [--run]``: print the overview; with ``--run`` check every assignment first."""
    parser = argparse.ArgumentParser(prog="qikit progress", description="Which modules and tasks are done.")
    parser.add_argument("workspace", nargs="?",
                        help="a qikit lab workspace (default: the current one, or ~/qikit-<edition>)")
    parser.add_argument("--run", action="store_true", help="run the self-check of every assignment first")
    parser.add_argument("--lang", choices=("nb", "en"))
    parser.add_argument("--timeout", type=int, default=60)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    ws = Path(args.workspace).expanduser().resolve() if args.workspace else default_workspace(args.lang)
    lang = edition_of(ws, args.lang)
    if not ws.is_dir():
        print(_T.get("no_ws", lang, path=str(ws)), file=sys.stderr)
        return 2
    status = 0
    if args.run:
        from qikit.selfcheck import SelfCheckInputError, run_checks

        for p in workspace_notebooks(ws):
            if not _is_assignment(_read_json(p)):
                continue
            print(f"... {p.relative_to(ws).as_posix()}", flush=True)
            try:
                report = run_checks(p, lang=args.lang, timeout=args.timeout)
            except SelfCheckInputError as exc:
                print(f"    {exc}")
                status = 1
                continue
            if not report.passed:
                status = 1
        print()
    print(format_overview(ws, collect(ws), lang))
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
