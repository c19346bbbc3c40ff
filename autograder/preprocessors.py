"""nbconvert preprocessors that fix what stock nbgrader gets wrong for a course like this one."""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool


def _is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution") and cell.get("cell_type") == "code"


class StderrToStdoutInTests(Preprocessor):
    """Turn stderr stream output in test cells into stdout, before grades are determined.

    nbgrader's ``determine_grade`` scores any stderr output in a test cell as a failure, so a
    correct answer that triggers a pandas ``FutureWarning`` would score zero. The text is kept.
    """

    enabled = Bool(True).tag(config=True)  # nbconvert preprocessors are off unless enabled

    def preprocess_cell(self, cell, resources, index):
        if _is_test_cell(cell):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    out["name"] = "stdout"
        return cell, resources


class HideTestTracebacks(Preprocessor):
    """In feedback, reduce a failing test cell's traceback to its last line (the helpful message).

    A traceback quotes the failing line of the test cell, which for a hidden test would reveal the
    hidden assertion (jupyter/nbgrader#917). The message itself is written for the learner.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if _is_test_cell(cell):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    ename, evalue = out.get("ename", "Error"), out.get("evalue", "")
                    out["traceback"] = [f"{ename}: {evalue}" if evalue else ename]
        return cell, resources
