"""What a record's `confidence` means: the measured precision of the rule that made it.

`extraction/lexicons/confidence.tsv` holds, for every rule id, how many rows the rule
produced on the annotated dev set of real articles and how many of them an annotator
had marked (the scorer's own alignment decides). The confidence of a record is that
share, smoothed towards one half for rules with few rows: (correct + 1) / (rows + 2).
So a meeting with confidence 0.83 comes from a rule of which about 83 rows in 100 were
real meetings on real news; filter on it in SQL to trade recall for precision.

A rule the table does not know (new since the last calibration) keeps the confidence
its extractor gave it. `bench/calibrate.py` re-measures the table; re-run it when rules
change (the test suite fails when a rule the extractor uses has no row).
"""
from __future__ import annotations

from functools import cache

from extraction.lexicons import load_table


@cache
def calibration() -> dict[str, float]:
    """rule id -> smoothed precision measured on the dev set."""
    out = {}
    for row in load_table("confidence"):
        rows, correct = int(row["rows"]), int(row["correct"])
        out[row["rule_id"]] = round((correct + 1) / (rows + 2), 3)
    return out


def calibrated(rule_id: str, fallback: float) -> float:
    """The measured confidence of `rule_id`, or `fallback` for a rule not measured yet."""
    return calibration().get(rule_id, fallback)
