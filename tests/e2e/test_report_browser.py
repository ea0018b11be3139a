"""The HTML report in a real browser: Debian's chromium, headless, driven by Playwright's Python package
(its own browser builds are never downloaded: `executable_path` points at /usr/bin/chromium).

The demo warehouse (`python -m flows.demo`: the feeds of deploy/demo served from 127.0.0.1, one flow
run) and `eventwire report` on it; then the file itself, opened as file:// with every request
that is not file:// aborted: every chart draws its SVG with a mark per row of its data, hovering a
place shows its tooltip, every report row links to its article, nothing was requested, and the
console stays clean. The whole page is saved as a screenshot: in the test's temporary folder always,
and as docs/report.png (shown in README) when that file is missing or EVENTWIRE_UPDATE_SCREENSHOT=1.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import BIN

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = ROOT / "docs" / "report.png"
CHARTS = ["chart-weekly", "chart-institutions", "chart-network", "chart-map", "chart-mechanisms"]

playwright = pytest.importorskip("playwright.sync_api", reason="playwright (the Python package) is not installed")

pytestmark = [
    pytest.mark.slow, pytest.mark.network, pytest.mark.timeout(300),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed "
                       "(.ci/run installs it: apt-get install -y chromium)"),
]

ALL_CHARTS_DRAWN = """() => {
    const boxes = [...document.querySelectorAll('.chart')];
    return boxes.length > 0 && boxes.every(b => b.dataset.rendered !== 'false')
        && boxes.every(b => b.dataset.rendered === 'failed' || b.querySelector('svg.marks, canvas'));
}"""

# per chart: how many marks of each kind it drew (Vega's SVG: <g class="mark-symbol ..."><path/>...)
MARKS = """(id) => {
    const box = document.getElementById(id);
    const count = (kind) => box.querySelectorAll(`g.mark-${kind}.role-mark > *`).length;
    return {rect: count('rect'), symbol: count('symbol'), rule: count('rule'), line: count('line'),
            text: count('text'), shape: count('shape')};
}"""


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> tuple[Path, Path]:
    """(the report of the demo warehouse, the tmp folder), written by the installed `eventwire report`."""
    tmp = tmp_path_factory.mktemp("report-browser")
    home = tmp / "prefect-home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "EVENTWIRE_"))}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_LOGGING_LEVEL="WARNING", PYTHONUNBUFFERED="1")
    db = tmp / "demo.duckdb"
    demo = subprocess.run([sys.executable, "-m", "flows.demo", "--db", str(db), "--port", "0"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert demo.returncode == 0, demo.stderr[-3000:]
    out = tmp / "report.html"
    proc = subprocess.run([str(BIN), "report", "--db", str(db), "--out", str(out)],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, tmp


def test_the_report_draws_every_chart_offline_with_a_clean_console(demo_report):
    out, tmp = demo_report
    specs = _specs(out)
    assert list(specs) == CHARTS                     # the demo has something for every chart
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp / "chromium-profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 900})
        try:
            context.set_default_timeout(30_000)
            requested: list[str] = []

            def offline(route) -> None:
                if route.request.url.startswith("file://"):
                    route.continue_()
                else:
                    requested.append(route.request.url)
                    route.abort()

            context.route("**/*", offline)
            page = context.new_page()
            console: list[tuple[str, str]] = []
            errors: list[str] = []
            failed: list[str] = []
            page.on("console", lambda m: console.append((m.type, m.text)))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.goto(out.as_uri())
            page.wait_for_function(ALL_CHARTS_DRAWN)

            rendered = page.eval_on_selector_all(".chart", "boxes => boxes.map(b => [b.id, b.dataset.rendered])")
            assert rendered == [[c, "true"] for c in CHARTS]
            marks = {c: page.evaluate(MARKS, c) for c in CHARTS}
            rows = {c: _rows(specs[c]) for c in CHARTS}
            assert marks["chart-weekly"]["rect"] == len(rows["chart-weekly"]["weekly"]) > 0
            assert marks["chart-institutions"]["rect"] == len(rows["chart-institutions"]["bars"]) > 0
            assert marks["chart-network"]["symbol"] == len(rows["chart-network"]["nodes"]) > 1
            assert marks["chart-network"]["rule"] == len(rows["chart-network"]["edges"]) > 0
            assert marks["chart-map"]["symbol"] == len(rows["chart-map"]["places"]) > 1
            assert marks["chart-map"]["shape"] >= 2                  # the sphere and the graticule
            assert marks["chart-mechanisms"]["symbol"] == len(rows["chart-mechanisms"]["steps"]) > 1

            # a place's tooltip (vega-tooltip, inlined too)
            place = page.locator("#chart-map g.mark-symbol.role-mark path").first
            place.scroll_into_view_if_needed()
            box = place.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            expect(page.locator("#vg-tooltip-element.visible")).to_contain_text("meetings")

            # every report row links to its article (http(s)) and to its sentence in it
            links = page.eval_on_selector_all("#reports-table tbody tr", """rows => rows.map(r =>
                [...r.querySelectorAll('a')].map(a => a.getAttribute('href')))""")
            assert links and all(len(r) == 2 and r[0].startswith("http") and r[1].startswith(r[0] + "#:~:text=")
                                 for r in links)

            resources = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
            assert page.evaluate("document.documentElement.scrollWidth") <= 1200      # nothing sticks out
            page.mouse.move(0, 0)
            page.wait_for_timeout(300)
            shot = tmp / "report.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            context.close()
    assert requested == [] and failed == [] and resources == []
    assert errors == []
    assert [m for m in console if m[0] in ("error", "warning")] == [], console
    assert shot.stat().st_size > 50_000
    if not SCREENSHOT.exists() or os.environ.get("EVENTWIRE_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)


def _specs(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    start = text.index('<script id="ew-specs" type="application/json">') + len(
        '<script id="ew-specs" type="application/json">')
    return json.loads(text[start:text.index("</script>", start)])


def _rows(spec: dict) -> dict[str, list[dict]]:
    """The data rows of a chart's layers, by what they hold."""
    found: list[list[dict]] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("values"), list) and all(isinstance(v, dict) for v in node["values"]):
                found.append(node["values"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    distinct = {json.dumps(values, sort_keys=True): values for values in found}    # layers may share data
    rows = [r for values in distinct.values() for r in values]
    return {
        "weekly": [r for r in rows if "week" in r],
        "bars": [r for r in rows if "mentions" in r],
        "nodes": [r for r in rows if "entity_id" in r],
        "edges": [r for r in rows if "pair" in r],
        "places": [r for r in rows if "place" in r],
        "steps": [r for r in rows if "proposed_by" in r],
    }
