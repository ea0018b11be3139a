"""The evaluation of ../shared/eval end to end: feeds served on 127.0.0.1, `eventwire run`, warehouse scored.

This is the number users see; the in-process gate (test_gate.py) is finer-grained.
The floors, pinned in floors.json under "dev-end-to-end", are what the engine scores on the
88 real articles of the dev set, for all articles and per language; they rise as extraction
improves (tests/quality/floors.py). The issues' targets are above them.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.quality.floors import below_floors, flat_scores

ROOT = Path(__file__).resolve().parents[2]
EVALUATE = ROOT.parent / "shared" / "eval" / "evaluate.py"

pytestmark = [pytest.mark.slow, pytest.mark.network]


@pytest.mark.skipif(not EVALUATE.is_file(), reason="../shared/eval is not beside this checkout")
def test_dev_set_end_to_end_holds_its_floors(tmp_path):
    pytest.importorskip("snowballstemmer")
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    report_path = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, str(EVALUATE), str(EVALUATE.parent / "dev"), "--eventwire",
         str(Path(sys.executable).parent / "eventwire"), "--json", str(report_path), "--show-misses", "0"],
        capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["articles_loaded"] == report["articles"]
    below = below_floors("dev-end-to-end", flat_scores(report, ("all", "ru", "en")))
    assert not below, f"below the floor (got, floor): {below}\n{proc.stdout[-2000:]}"
