"""The confidence table (extraction/lexicons/confidence.tsv) still measures the rules in use.

Every rule that makes at least MIN_ROWS rows on the dev set must have a row in the
table, and its precision there must be within DRIFT of what it measures now; otherwise
the confidences stamped on records describe rules that no longer exist. Re-measure with
`.venv/bin/python bench/calibrate.py --write`.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from extraction.lexicons import load_table
from tests.quality.floors import load_module

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "eval" / "dev"
MIN_ROWS = 5
DRIFT = 0.10


@pytest.mark.slow
def test_the_confidence_table_measures_the_rules_in_use():
    if not (DEV.parent / "evaluate.py").is_file():
        pytest.skip("../shared/eval/evaluate.py is not beside this checkout")
    calibrate = load_module("ew_calibrate", ROOT / "bench" / "calibrate.py")
    ev = calibrate.load_evaluator(DEV.parent / "evaluate.py")
    rows, correct = calibrate.measure(ev, ev.load_gold(DEV))
    table = {r["rule_id"]: (int(r["rows"]), int(r["correct"])) for r in load_table("confidence")}
    stale = {}
    for rule, n in rows.items():
        if n < MIN_ROWS:
            continue
        if rule not in table:
            stale[rule] = "no row"
            continue
        was = table[rule][1] / table[rule][0] if table[rule][0] else 0.0
        now = correct[rule] / n
        if abs(now - was) > DRIFT:
            stale[rule] = f"precision {was:.2f} in the table, {now:.2f} now"
    assert not stale, f"re-run bench/calibrate.py --write: {stale}"
