"""Rebuild a learner's notebook on the released skeleton before nbgrader sees it.

Learners can (and do) delete, move, duplicate or retype cells, edit locked cells, and change cell or
notebook metadata; hostile ones do it on purpose. nbgrader restores locked and grade cells from the
gradebook, but it trusts the submitted cell order, types and much of the metadata. qikit therefore
grades a notebook rebuilt from the *release*:

* every nbgrader cell (instructions, setup, tests, answers) comes from the release, in the release's
  order, with the release's type and metadata;
* each answer cell gets the learner's text, found by ``grade_id`` or, if the learner broke the
  metadata, by the cell ``id`` the release gave it;
* cells the learner added are kept where they put them (after the cell they followed), without any
  nbgrader metadata; unlocked plain cells of the release keep the learner's version;
* outputs are dropped (the notebook is re-run anyway).

The changes found are returned as short notes for the instructor.
"""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path

import nbformat
from nbformat import NotebookNode

MAX_NOTEBOOK_BYTES = 32 * 1024 * 1024


class InvalidNotebook(ValueError):
    """The file is not a notebook that can be graded."""


def read_submitted(path: Path) -> NotebookNode:
    """Read a submitted notebook, refusing what is not one (with a reason for the learner)."""
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        raise InvalidNotebook(f"invalid notebook (the file is {size // (1024 * 1024)} MB; at most 32 MB)")
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidNotebook("invalid notebook (the file is not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise InvalidNotebook(f"invalid notebook (not valid JSON: {exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise InvalidNotebook("invalid notebook (no list of cells: not a Jupyter notebook)")
    try:
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InvalidNotebook(f"invalid notebook ({type(exc).__name__}: {first[:160]})") from None
    cells = []
    for cell in nb.cells:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            continue  # a cell nbformat cannot use: dropped (noted by the caller via the count)
        src = cell.get("source", "")
        if isinstance(src, list):
            src = "".join(str(s) for s in src)
        if not isinstance(src, str):
            src = str(src)
        cell["source"] = src
        if not isinstance(cell.get("metadata"), dict):
            cell["metadata"] = NotebookNode()
        cells.append(cell)
    nb.cells = cells
    return nb


def _gid(cell) -> str | None:
    meta = cell.get("metadata", {})
    nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
    if isinstance(nbg, dict):
        gid = nbg.get("grade_id")
        return gid if isinstance(gid, str) else None
    return None


def _nbg(cell) -> dict:
    meta = cell.get("metadata", {})
    nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nbg if isinstance(nbg, dict) else {}


def _meta_changed(learner: dict, release: dict) -> bool:
    keys = ("grade", "solution", "locked", "points", "grade_id", "task")
    return any(learner.get(k) != release.get(k) for k in keys)


def normalize(submitted: NotebookNode, release: NotebookNode) -> tuple[NotebookNode, list[str]]:
    """Return the notebook to grade, rebuilt on ``release``, and notes on what the learner changed."""
    notes: list[str] = []
    rel_cells = release.cells
    rel_by_gid = {g: i for i, c in enumerate(rel_cells) if (g := _gid(c))}
    rel_by_id = {c.get("id"): i for i, c in enumerate(rel_cells) if c.get("id")}

    # 1. identify each learner cell with a release cell (or none: added by the learner)
    match: dict[int, int] = {}  # release index -> learner index
    owner: list[int | None] = []  # learner index -> release index
    duplicates: set[str] = set()
    for li, cell in enumerate(submitted.cells):
        ri = None
        gid = _gid(cell)
        if gid is not None and gid in rel_by_gid:
            if rel_by_gid[gid] in match:
                duplicates.add(gid)
            else:
                ri = rel_by_gid[gid]
        if ri is None:
            cid = cell.get("id")
            cand = rel_by_id.get(cid) if cid else None
            if cand is not None and cand not in match and (gid is None or gid not in rel_by_gid):
                ri = cand
        if ri is not None:
            match[ri] = li
        owner.append(ri)
    for gid in sorted(duplicates):
        notes.append(f"duplicated the cell {gid} (the copy was graded as an ordinary cell)")

    # 2. learner-added cells go after the release cell they followed
    after: dict[int, list[int]] = {}  # release index (-1 = top) -> learner indices
    anchor = -1
    for li, ri in enumerate(owner):
        if ri is None:
            after.setdefault(anchor, []).append(li)
        else:
            anchor = ri
    order = [ri for ri in owner if ri is not None]
    if order != sorted(order):
        notes.append("moved cells (graded in the assignment's order)")

    # 3. rebuild
    out_cells: list[NotebookNode] = []
    used_ids: set[str] = set()

    def fresh_id(preferred: str | None) -> str:
        cid = preferred if preferred and preferred not in used_ids else uuid.uuid4().hex[:8]
        used_ids.add(cid)
        return cid

    def learner_extra(li: int) -> NotebookNode:
        cell = copy.deepcopy(submitted.cells[li])
        meta = cell.get("metadata", {})
        meta.pop("nbgrader", None)
        for k in ("deletable", "editable"):
            meta.pop(k, None)
        ctype = cell.cell_type if cell.cell_type in ("code", "markdown", "raw") else "raw"
        if ctype == "code":
            new = nbformat.v4.new_code_cell(cell.source, metadata=meta)
        elif ctype == "markdown":
            new = nbformat.v4.new_markdown_cell(cell.source, metadata=meta)
            if cell.get("attachments"):
                new["attachments"] = cell["attachments"]
        else:
            new = nbformat.v4.new_raw_cell(cell.source, metadata=meta)
        new["id"] = fresh_id(cell.get("id"))
        return new

    for li in after.get(-1, []):
        out_cells.append(learner_extra(li))
    for ri, rcell in enumerate(rel_cells):
        new = copy.deepcopy(rcell)
        if new.cell_type == "code":
            new.outputs = []
            new.execution_count = None
        nbg = _nbg(rcell)
        li = match.get(ri)
        label = nbg.get("grade_id") or f"cell {ri + 1}"
        lcell = submitted.cells[li] if li is not None else None
        if nbg and nbg.get("solution"):
            # an answer cell: the learner's text, the release's everything else
            if lcell is None:
                notes.append(f"deleted the answer cell {label} (graded as unanswered)")
            else:
                new.source = lcell.source
                if lcell.cell_type != rcell.cell_type:
                    notes.append(f"changed the type of the answer cell {label} (restored)")
                if _meta_changed(_nbg(lcell), nbg):
                    notes.append(f"changed the grading metadata of {label} (restored)")
                if new.cell_type == "markdown" and lcell.get("attachments"):
                    new["attachments"] = lcell["attachments"]
        elif nbg:
            # instructions, setup code, tests: always the release's
            if lcell is None:
                if nbg.get("grade") or nbg.get("locked"):
                    notes.append(f"deleted the locked cell {label} (restored)")
            else:
                if lcell.cell_type != rcell.cell_type:
                    notes.append(f"changed the type of the locked cell {label} (restored)")
                elif lcell.source.strip() != rcell.source.strip():
                    notes.append(f"edited the locked cell {label} (restored)")
                if _meta_changed(_nbg(lcell), nbg):
                    notes.append(f"changed the grading metadata of {label} (restored)")
        elif lcell is not None:
            # an ordinary cell of the release: it is the learner's to change
            new.source = lcell.source
        new["id"] = fresh_id(rcell.get("id"))
        out_cells.append(new)
        for extra in after.get(ri, []):
            out_cells.append(learner_extra(extra))

    nb = nbformat.v4.new_notebook(metadata=copy.deepcopy(release.metadata))
    nb.nbformat, nb.nbformat_minor = 4, max(5, int(release.get("nbformat_minor", 5)))
    nb.cells = out_cells
    if _kernel_name(submitted) not in (None, _kernel_name(release)):
        notes.append("changed the notebook's kernel (restored)")
    # de-duplicate notes, keep order
    seen: set[str] = set()
    notes = [n for n in notes if not (n in seen or seen.add(n))]
    return nb, notes


def _kernel_name(nb) -> str | None:
    ks = nb.get("metadata", {}).get("kernelspec")
    return ks.get("name") if isinstance(ks, dict) else None


def match_notebooks(found: list[Path], expected: list[str], release_dir: Path) -> tuple[dict[str, Path], list[str]]:
    """Decide which submitted file is which expected notebook (learners rename files)."""
    by_name = {f.name: f for f in found}
    result: dict[str, Path] = {}
    notes: list[str] = []
    left = [f for f in found if f.name not in expected]
    missing = [name for name in expected if name not in by_name]
    for name in expected:
        if name in by_name:
            result[name] = by_name[name]
    if missing and left:
        if len(missing) == 1 and len(left) == 1:
            result[missing[0]] = left[0]
            notes.append(f"renamed {missing[0]} to {left[0].name}")
        else:
            for name in missing:
                try:
                    rel = nbformat.read(str(release_dir / name), as_version=4)
                except Exception:
                    continue
                ids = {c.get("id") for c in rel.cells} | {_gid(c) for c in rel.cells}
                best, best_overlap = None, 0
                for f in left:
                    try:
                        sub = json.loads(f.read_text(encoding="utf-8"))
                        sids = {c.get("id") for c in sub.get("cells", [])} | {
                            (c.get("metadata", {}).get("nbgrader") or {}).get("grade_id") for c in sub.get("cells", [])
                        }
                    except Exception:
                        continue
                    overlap = len((ids & sids) - {None})
                    if overlap > best_overlap:
                        best, best_overlap = f, overlap
                if best is not None:
                    result[name] = best
                    left.remove(best)
                    notes.append(f"renamed {name} to {best.name}")
    return result, notes
