"""Real-browser tests: JupyterLab 4 in Debian's Chromium, as a learner and an instructor sees it.

Every self-paced notebook is opened, run (Run All) and each of its sliders and dropdowns is moved; the
output must change. The assignment is validated (nbgrader's Validate button) unanswered and solved; the
Nbgrader menu, Assignment List and Formgrader open. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from tests.browser.jlab import KERNEL_READY_JS, cell_output_signature, menu, open_notebook, run_all
from tests.learner.helpers import solve

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.browser, pytest.mark.slow]



def selfpaced():
    # QIKIT_BROWSER_EDITIONS=en runs one edition only (both by default)
    editions = os.environ.get("QIKIT_BROWSER_EDITIONS", "en,nb").split(",")
    found = []
    for edition, folder in (("en", "notebooks"), ("nb", "notebooks-nb")):
        if edition not in editions:
            continue
        for p in sorted((REPO / "notebooks" / edition).glob("*.ipynb")):
            found.append(pytest.param(f"{folder}/{p.name}", id=f"{edition}-{p.stem}"))
    return found or [pytest.param(None, id="none", marks=pytest.mark.skip(reason="no self-paced notebooks yet"))]


def _wait_changed(page, cell, before: str, timeout_s: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if cell_output_signature(cell) != before:
            page.wait_for_timeout(400)  # let the redraw finish before the next action or screenshot
            return True
        page.wait_for_timeout(200)
    return False


def _cell_of(locator):
    return locator.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' jp-Cell ')][1]")


def _label(widget) -> str:
    label = widget.locator(".widget-label, label")
    text = label.first.inner_text().strip() if label.count() else ""
    return text or "(no label)"


def _move_slider(page, s) -> None:
    handle = s.locator(".noUi-handle").first
    readout = s.locator(".widget-readout")
    value = readout.first.inner_text() if readout.count() else ""
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(150)
    if readout.count() and readout.first.inner_text() == value:  # at its maximum: go the other way
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")


def _pick_other_option(page, d) -> bool:
    select = d.locator("select")
    options = select.evaluate("e => [...e.options].map(o => o.value)")
    others = [o for o in options if o != select.input_value()]
    if not others:
        return False
    select.select_option(value=others[0])
    return True


def _first_usable(group, extra: str = ""):
    for i in range(group.count()):
        w = group.nth(i)
        if w.is_visible() and (not extra or w.locator(extra).count()) and "disabled" not in (
                w.get_attribute("class") or "") and not w.locator("[disabled]").count():
            return w
    return None


def interact(page, shots, prefix: str) -> tuple[list[str], list[str]]:
    """In every interactive demo (a cell with widgets), move a slider, pick another dropdown option and
    press another toggle button; after each, the demo's output (plot or text) must change.

    Returns (changed, unchanged) descriptions.
    """
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    cells = panel.locator(".jp-CodeCell:has(.jupyter-widgets)")
    changed, unchanged = [], []
    shot = 0
    for c in range(cells.count()):
        cell = cells.nth(c)
        actions = []
        s = _first_usable(cell.locator(".widget-slider"), ".noUi-handle")
        if s is not None:
            actions.append((f"slider {_label(s)!r}", s, lambda s=s: (_move_slider(page, s), True)[1]))
        d = _first_usable(cell.locator(".widget-dropdown"), "select")
        if d is not None:
            actions.append((f"dropdown {_label(d)!r}", d, lambda d=d: _pick_other_option(page, d)))
        t = _first_usable(cell.locator(".widget-toggle-buttons"), "button:not(.mod-active)")
        if t is not None:
            button = t.locator("button:not(.mod-active)").first
            actions.append((f"toggle {button.inner_text().strip()!r}", t, lambda b=button: (b.click(), True)[1]))
        for name, widget, act in actions:
            widget.scroll_into_view_if_needed()
            widget.evaluate("e => e.setAttribute('data-qikit-acting', '1')")
            before = cell_output_signature(cell)
            if not act():
                continue
            button = _first_usable(cell.locator("button.widget-button"))
            ok = _wait_changed(page, cell, before, timeout_s=6.0 if button is not None else 30.0)
            if not ok and button is not None:
                # an input that takes effect on a button (e.g. "Run cycle"): press it, then the demo responds
                name += f" + button {button.inner_text().strip()!r}"
                button.click()
                ok = _wait_changed(page, cell, before)
            widget.evaluate("e => e.removeAttribute('data-qikit-acting')")
            (changed if ok else unchanged).append(f"cell {c}: {name}")
            page.wait_for_function(KERNEL_READY_JS, timeout=60_000)
        if actions and shot < 3:
            shot += 1
            cell.screenshot(path=str(shots / f"{prefix}-widget-{shot}.png"))
    return changed, unchanged


@pytest.mark.parametrize("path", selfpaced())
def test_selfpaced_notebook_runs_and_widgets_respond(page, learner_lab, shots, path):
    prefix = "selfpaced-" + path.replace("notebooks-nb/", "nb-").replace("notebooks/", "en-").removesuffix(".ipynb")
    open_notebook(page, learner_lab, path)
    cells = run_all(page)
    try:
        errors = [f"cell {c['index']}: {e}" for c in cells for e in c["errors"]]
        not_run = [f"cell {c['index']} ({c['source']!r})" for c in cells if not c["empty"] and c["count"] is None]
        first_widget = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jupyter-widgets").first
        if first_widget.count():
            first_widget.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"{prefix}-1-ran.png"))
        assert not errors, f"{path}: cells raised errors after Run All: {errors}"
        assert not not_run, f"{path}: cells did not run: {not_run}"
        page_errors = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedText[data-mime-type="
                                   "'application/vnd.jupyter.stderr'] .ansi-red-intense-fg")
        assert page_errors.count() == 0
        changed, unchanged = interact(page, shots, prefix)
        page.screenshot(path=str(shots / f"{prefix}-2-interacted.png"))
        assert not unchanged, f"{path}: these widgets did not change their output: {unchanged} (changed: {changed})"
        if page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jupyter-widgets").count():
            assert changed, f"{path}: has widgets but none could be moved"
    finally:
        learner_lab.shutdown_kernels()


def _validate(page, shots, name: str) -> str:
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button").click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(state="visible", timeout=120_000)
    page.wait_for_function("() => !document.querySelector('.jp-Dialog').innerText.includes('Validating')",
                           timeout=120_000)
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots / name))
    text = dialog.inner_text()
    dialog.locator("button").last.click()
    return text


def test_assignment_validate_unanswered_then_solved(page, learner_lab, shots):
    ws = learner_lab.workspace.path
    solved = ws / "m05-solved-copy" / "m05-run-charts.ipynb"
    solved.parent.mkdir(exist_ok=True)
    shutil.copy2(ws / "m05-run-charts" / "m05-run-charts.ipynb", solved)
    solve(solved, "en")
    try:
        open_notebook(page, learner_lab, "m05-run-charts/m05-run-charts.ipynb")
        page.screenshot(path=str(shots / "assignment-1-opened.png"))
        text = _validate(page, shots, "assignment-2-validate-unanswered.png")
        assert "NotImplementedError" in text or "failed" in text.lower(), text
        assert "BEGIN HIDDEN" not in text
        open_notebook(page, learner_lab, "m05-solved-copy/m05-run-charts.ipynb")
        text = _validate(page, shots, "assignment-3-validate-solved.png")
        assert "Success! Your notebook passes all the tests." in text, text
    finally:
        learner_lab.shutdown_kernels()
        shutil.rmtree(solved.parent, ignore_errors=True)


def test_nbgrader_menu_and_assignment_list(page, learner_lab, shots):
    open_notebook(page, learner_lab, "m05-run-charts/m05-run-charts.ipynb")
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$")).click()
    items = [t.strip() for t in page.locator(".lm-Menu:visible .lm-Menu-itemLabel").all_inner_texts()]
    page.screenshot(path=str(shots / "learner-nbgrader-menu.png"))
    assert "Assignment List" in items and "Validate" not in items
    page.locator(".lm-Menu:visible .lm-Menu-itemLabel", has_text=re.compile(r"^Assignment List$")).click()
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tabLabel", has_text="Assignments")
    tab.wait_for(state="visible")
    listing = page.locator(".lm-DockPanel .lm-Widget:visible", has_text="Downloaded assignments").last
    listing.wait_for(state="visible")
    page.get_by_text("m05-run-charts").first.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(shots / "learner-assignment-list.png"))
    body = page.locator("body").inner_text()
    assert "exchange directory does not exist" not in body and "m05-run-charts" in body
    learner_lab.shutdown_kernels()


def test_instructor_formgrader_opens(page, instructor_lab, shots):
    page.goto(f"{instructor_lab.base}/lab?reset&token={instructor_lab.token}")
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$")).wait_for(state="visible")
    menu(page, "Nbgrader", "Formgrader")
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tabLabel", has_text="Formgrader").wait_for(state="visible")
    frame = page.frame_locator("iframe").first
    frame.get_by_text("Manage Assignments").first.wait_for(state="visible", timeout=60_000)
    row = frame.get_by_text("m05-run-charts").first
    row.wait_for(state="visible", timeout=60_000)
    row.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(shots / "instructor-formgrader.png"))
