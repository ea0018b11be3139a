"""The Prefect UI in a real browser: Debian's chromium, headless, driven by Playwright's Python package
(its own browser builds are never downloaded: `executable_path` points at /usr/bin/chromium).

A real `prefect server start`, one `eventwire run` on feeds served from 127.0.0.1 reported to
it, then the UI: the flow run page lists the task runs by their names, its Artifacts tab links
the run summary, and the summary page renders its counts. The two pages are saved, side by
side, as a screenshot: in the test's temporary folder always, and as docs/prefect-ui.png (shown
in README) when that file is missing or EVENTWIRE_UPDATE_SCREENSHOT=1.
"""
from __future__ import annotations

import base64
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import ARTICLES
from tests.integration.test_prefect_server import BIN, ROOT, filter_, prefect_server
from tests.sitekit import rss, serve_site

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = ROOT / "docs" / "prefect-ui.png"

playwright = pytest.importorskip("playwright.sync_api", reason="playwright (the Python package) is not installed")

pytestmark = [
    pytest.mark.slow, pytest.mark.network, pytest.mark.timeout(300),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed "
                       "(.ci/run installs it: apt-get install -y chromium)"),
]


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Iterator[tuple[str, str, Path]]:
    """(UI base url, flow run id, tmp folder) of one completed `eventwire run` on a real server."""
    tmp = tmp_path_factory.mktemp("ui")
    with serve_site() as site, prefect_server(tmp) as (api, env):
        ok = site.put("/a.xml", rss(ARTICLES))
        gone = site.put("/gone.xml", "not here", status=404, content_type="text/plain")
        proc = subprocess.run([str(BIN / "eventwire"), "run", "--feeds", ok, "--feeds", gone,
                               "--db", str(tmp / "w.duckdb"), "-q"],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
        assert proc.returncode == 0, proc.stderr[-3000:]
        runs = filter_(api, "flow_runs", {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}})
        assert len(runs) == 1
        yield api.removesuffix("/api"), runs[0]["id"], tmp


def test_the_ui_shows_the_run_its_tasks_and_its_summary_artifact(finished_run):
    ui, run_id, tmp = finished_run
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp / "chromium-profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 760})
        try:
            context.set_default_timeout(30_000)
            page = context.new_page()
            page.goto(f"{ui}/runs/flow-run/{run_id}")
            expect(page.get_by_text("Completed").first).to_be_visible()
            expect(page.get_by_text("ingest").first).to_be_visible()
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)                     # the timeline canvas draws its task names
            run_png = page.screenshot()

            page.get_by_text("Task Runs", exact=True).first.click()
            for name in ("fetch 127.0.0.1/a.xml", "fetch 127.0.0.1/gone.xml", "extract batch 1/1"):
                expect(page.get_by_text(name, exact=True).first).to_be_visible()

            page.get_by_text("Artifacts", exact=True).first.click()
            page.get_by_text("eventwire-run-summary").first.click()
            expect(page.get_by_role("heading", name="Failed feeds")).to_be_visible()
            body = page.inner_text("body")
            assert "completed" in body and "feeds ok" in body and "articles new" in body
            assert "127.0.0.1/gone.xml" in body and "HTTP 404" in body
            page.wait_for_load_state("networkidle")
            summary_png = page.screenshot(clip={"x": 250, "y": 0, "width": 950, "height": 720})

            shot = tmp / "prefect-ui.png"
            _side_by_side(context, run_png, summary_png, shot)
        finally:
            context.close()
    assert shot.stat().st_size > 10_000
    if not SCREENSHOT.exists() or os.environ.get("EVENTWIRE_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)


def _side_by_side(context, left: bytes, right: bytes, out: Path) -> None:
    """One image of two screenshots, drawn by the browser itself (no imaging library needed)."""
    def src(png: bytes) -> str:
        return "data:image/png;base64," + base64.b64encode(png).decode()
    page = context.new_page()
    page.set_viewport_size({"width": 1600, "height": 200})   # full_page: as tall as the images
    page.set_content(f"""<html><body style="margin:0;background:#1c1d21;display:flex;gap:8px;align-items:flex-start">
        <img src="{src(left)}" style="width:900px"><img src="{src(right)}" style="width:692px">
        </body></html>""")
    page.wait_for_load_state("load")
    page.screenshot(path=str(out), full_page=True)
    page.close()
