"""A JupyterLab server and Playwright helpers for the real-browser tests (Debian's Chromium, no downloads).

Follows shared/recipes/browser-tests.md: --allow-root as root, settings isolated in a temp folder, a kernel
that is really ready before Run All, and a server stop that cannot hang.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]

# The current notebook's kernel is connected and idle (window.jupyterapp: --LabApp.expose_app_in_browser).
KERNEL_READY_JS = """() => {
    const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const ctx = w && w.sessionContext;
    const k = ctx && ctx.session && ctx.session.kernel;
    return !!k && k.connectionStatus === 'connected' && k.status === 'idle' && !ctx.isTerminating;
}"""

# After Run All: nothing queued or running, and the kernel idle.
RUN_DONE_JS = """() => {
    const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
    if (!k || k.status !== 'idle') return false;
    const prompts = [...w.node.querySelectorAll('.jp-InputPrompt')].map(p => p.textContent);
    return !prompts.some(t => t.includes('*'));
}"""

# Per code cell: execution count and the errors it shows (ename: evalue), for a readable failure.
CELL_STATE_JS = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    return w.content.widgets.filter(c => c.model.type === 'code').map((c, i) => {
        const outs = c.model.outputs.toJSON();
        return {
            index: w.content.widgets.indexOf(c),
            source: c.model.sharedModel.getSource().slice(0, 60),
            empty: c.model.sharedModel.getSource().trim() === '',
            count: c.model.executionCount,
            errors: outs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue),
        };
    });
}"""


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class LabServer:
    """``jupyter lab`` on ``root`` (cwd ``root``, so nbgrader reads ``root/nbgrader_config.py``)."""

    def __init__(self, root: Path, tmp: Path, extra_env: dict[str, str] | None = None):
        self.root, self.tmp = Path(root), Path(tmp)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = self.tmp / "server.log"
        settings = self.tmp / "settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True, exist_ok=True)
        (settings / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        bindir = str(Path(sys.executable).parent)
        self.env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(self.tmp / "config"),
            JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(self.tmp / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(self.tmp / "workspaces"),
            PATH=os.pathsep.join([bindir, os.environ.get("PATH", "")]),
            PYTHONWARNINGS="ignore",
            **(extra_env or {}),
        )
        self.env.pop("MPLBACKEND", None)  # the kernels must use the inline backend, as for a learner
        self.proc: subprocess.Popen | None = None

    def start(self) -> LabServer:
        cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
               "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.expose_app_in_browser=True"]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=self.env, stdout=open(self.log, "w"),
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=2)
                return self
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("jupyter lab did not start:\n" + self.log.read_text()[-3000:]) from None
                time.sleep(0.25)

    def api(self, method: str, path: str) -> object:
        req = urllib.request.Request(f"{self.base}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        for session in self.api("GET", "/api/sessions") or []:  # type: ignore[union-attr]
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            except OSError:
                pass

    def url(self, path: str) -> str:
        return f"{self.base}/lab/tree/{path}?reset&token={self.token}"

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:  # a SIGTERM during a kernel start can hang the server
            self.proc.kill()
            self.proc.wait()


def menu(page, top: str, item: str) -> None:
    """Click a main-menu item, e.g. menu(page, 'Run', 'Run All Cells')."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu:visible .lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).click()


# Close every main-area tab without "save changes?" prompts, then open a notebook (no page reload).
OPEN_JS = """async (path) => {
    const app = window.jupyterapp;
    for (const w of [...app.shell.widgets('main')]) {
        if (w.context && w.context.model) { w.context.model.dirty = false; }
        w.dispose();
    }
    await app.commands.execute('docmanager:open', {path: path, factory: 'Notebook'});
}"""


def open_notebook(page, server: LabServer, path: str, timeout: float = 90_000) -> None:
    """Open ``path`` in JupyterLab and wait until its kernel is ready.

    The first time (or on another server) the page is loaded; after that the open tabs are closed and the
    notebook is opened through JupyterLab's own command, which saves a page load per notebook.
    """
    same_server = page.url.startswith(server.base) and page.evaluate("() => !!window.jupyterapp")
    if same_server:
        page.evaluate(OPEN_JS, path)
    else:
        page.goto(server.url(path))
    page.wait_for_function(KERNEL_READY_JS, timeout=timeout)
    page.wait_for_function(
        "(p) => window.jupyterapp.shell.currentWidget && window.jupyterapp.shell.currentWidget.context"
        " && window.jupyterapp.shell.currentWidget.context.path === p", arg=path, timeout=timeout)


def run_all(page, timeout: float = 180_000) -> list[dict]:
    """Run All Cells and wait until every cell has run; return the cell states."""
    menu(page, "Run", "Run All Cells")
    page.wait_for_timeout(500)
    page.wait_for_function(RUN_DONE_JS, timeout=timeout, polling=250)
    page.wait_for_timeout(300)
    page.wait_for_function(RUN_DONE_JS, timeout=timeout, polling=250)  # stable, not between two cells
    return page.evaluate(CELL_STATE_JS)


def cell_output_signature(cell) -> str:
    """What a demo shows: its plots, texts and the values of its other controls.

    The control being operated (marked ``data-qikit-acting``) and slider readouts are left out, so the
    signature changes only when the demo *responds*: a new plot, a new text, other controls updated.
    """
    return cell.evaluate("""(c) => {
        const area = c.querySelector('.jp-Cell-outputArea') || c;
        const skip = (e) => !e || e.closest('[data-qikit-acting]') || e.closest('.widget-readout');
        const imgs = [...area.querySelectorAll('img')].filter(e => !skip(e)).map(i => (i.src || '').slice(-300));
        const svgs = [...area.querySelectorAll('svg')].filter(e => !skip(e)).map(s => s.innerHTML.length);
        const values = [...area.querySelectorAll('select, input, textarea')].filter(e => !skip(e))
            .map(e => e.type === 'checkbox' ? String(e.checked) : e.value);
        const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
        const text = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement;
            if (!skip(el) && !el.closest('select')) text.push(n.textContent);
        }
        return JSON.stringify([text.join(''), imgs, svgs, values]);
    }""")
