"""The JupyterLite site's interface loads in Chromium, offline, and opens a qikit notebook.

Python itself (Pyodide) loads from its CDN at run time, which this machine cannot reach: the kernel
cannot start here, so only the interface is tested (see docs/jupyterlite.md).
"""

import functools
import http.server
import re
import threading

import pytest
from tests.browser.jlab import free_port
from tests.learner.helpers import lite_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".ipynb": "application/json"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def lite_server(tmp_path_factory, page):
    site = lite_site(tmp_path_factory.getbasetemp())
    port = free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


def test_lite_interface_opens_a_notebook(page, lite_server, shots):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else None)
    page.goto(f"{lite_server}/lab/index.html?path=en/m05-run-charts.ipynb")
    panel = page.locator(".jp-NotebookPanel")
    panel.first.wait_for(state="visible", timeout=90_000)
    first_cell = page.locator(".jp-NotebookPanel .jp-Cell").first
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(first_cell).to_contain_text("piplite", timeout=30_000)  # the set-up cell, rendered
    page.wait_for_timeout(1500)
    page.locator(".jp-NotebookPanel .jp-Cell").nth(1).scroll_into_view_if_needed()
    page.locator(".jp-NotebookPanel .jp-Cell").first.scroll_into_view_if_needed()
    assert page.locator(".jp-Dialog", has_text="Select Kernel").count() == 0  # kernelspec matches Pyodide's
    page.screenshot(path=str(shots / "lite-notebook.png"))
    page.goto(f"{lite_server}/lab/index.html")
    page.locator(".jp-DirListing-item").first.wait_for(state="visible", timeout=60_000)
    page.wait_for_timeout(2000)  # let JupyterLite restore its last layout before navigating
    page.locator(".jp-BreadCrumbs-home").first.click()
    page.wait_for_timeout(500)
    page.locator(".jp-DirListing-itemText", has_text=re.compile(r"^nb$")).first.dblclick()
    expect(page.locator(".jp-FileBrowser-crumbs, .jp-BreadCrumbs").first).to_contain_text("nb", timeout=30_000)
    page.locator(".jp-DirListing-item", has_text="m05-run-charts.ipynb").first.wait_for(state="visible", timeout=60_000)
    assert page.locator(".jp-Dialog").count() == 0
    page.screenshot(path=str(shots / "lite-files-nb.png"))
    # only Pyodide itself is fetched from outside (and fails here)
    assert all("pyodide" in u or "jsdelivr" in u for u in outside), outside
