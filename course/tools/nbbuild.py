"""Helpers for writing course notebooks from Python (optional; the .ipynb files are the source of truth).

Used by authors who prefer to draft an assignment as a script: build the cells with these helpers,
write both editions, then review and edit the notebooks in JupyterLab as usual.
"""
import nbformat
from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell

def _meta(grade_id, *, solution=False, grade=False, locked=False, points=None, task=False):
    m = {"schema_version": 3, "grade_id": grade_id, "solution": solution, "grade": grade,
         "locked": locked, "task": task}
    if points is not None:
        m["points"] = points
    return {"nbgrader": m}

def md(text, grade_id=None, locked=True):
    c = new_markdown_cell(text.strip("\n"))
    if grade_id:
        c.metadata.update(_meta(grade_id, locked=locked))
    return c

def code(src, grade_id=None, locked=False):
    c = new_code_cell(src.strip("\n"))
    if grade_id:
        c.metadata.update(_meta(grade_id, locked=locked))
    return c

def answer(src, grade_id):
    c = new_code_cell(src.strip("\n"))
    c.metadata.update(_meta(grade_id, solution=True))
    return c

def test(src, grade_id, points):
    c = new_code_cell(src.strip("\n"))
    c.metadata.update(_meta(grade_id, grade=True, locked=True, points=points))
    return c

def manual(text, grade_id, points):
    c = new_markdown_cell(text.strip("\n"))
    c.metadata.update(_meta(grade_id, solution=True, grade=True, points=points))
    return c

def write(cells, path, lang, *, module, domain, level):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["qikit"] = {"edition": lang, "module": module, "domain": domain, "level": level}
    for i, c in enumerate(nb.cells):
        c["id"] = (c.metadata.get("nbgrader", {}).get("grade_id") or f"cell-{i:02d}").replace("_", "-")
    nbformat.validate(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
