"""Record confidence is the rule's measured precision (extraction/confidence.py)."""
from __future__ import annotations

from extraction.confidence import calibrated, calibration
from extraction.lexicons import load_table


def test_a_measured_rule_gets_its_smoothed_precision():
    row = next(r for r in load_table("confidence") if int(r["rows"]) >= 5)
    rows, correct = int(row["rows"]), int(row["correct"])
    assert calibrated(row["rule_id"], 0.123) == round((correct + 1) / (rows + 2), 3)


def test_a_rule_not_measured_keeps_the_extractor_confidence():
    assert calibrated("xx.never.a.rule", 0.42) == 0.42


def test_every_confidence_is_a_probability_and_rules_are_named_by_language():
    assert calibration()
    for rule, value in calibration().items():
        assert 0.0 < value < 1.0
        assert rule.split(".")[0] in {"ru", "en"}
