"""Quality gate: P/R/F1 floors per language and type, pinned in floors.json.

A change that lowers any score below its floor fails. Raising floors after an
improvement: `EVENTWIRE_UPDATE_FLOORS=1 make test ARGS=tests/quality` rewrites the file
with the new scores (only upwards); lowering one needs EVENTWIRE_ALLOW_LOWER_FLOORS=1 as
well, and a reason in the commit message.

Two sets are scored in-process with the scoring code of ../shared/eval/evaluate.py:
the annotated dev set (../shared/eval/dev, read at test time, never copied) and our own
golden set (tests/golden, written independently of the extractor).
"""
from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
FLOORS = Path(__file__).with_name("floors.json")
METRICS = [("institutions", "f1"), ("meetings", "f1"), ("mechanisms", "f1"),
           ("meetings_exact", "f1"), ("mechanisms_exact", "f1")]
SETS = {"dev": SHARED_EVAL / "dev", "golden-ru": ROOT / "tests" / "golden" / "ru",
        "golden-en": ROOT / "tests" / "golden" / "en"}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def scorer():
    if not (SHARED_EVAL / "evaluate.py").is_file():
        pytest.skip("../shared/eval/evaluate.py is not beside this checkout")
    return _load("ew_dev_score", ROOT / "bench" / "dev_score.py"), _load("ew_evaluate", SHARED_EVAL / "evaluate.py")


def scores(scorer, folder: Path) -> dict[str, float]:
    dev_score, ev = scorer
    docs = ev.load_gold(folder)
    report = ev.score(docs, {d["id"]: dev_score.predict(d) for d in docs})
    out = {}
    for scope in [k for k in report if isinstance(report[k], dict) and k != "all"]:
        for metric, field in METRICS:
            out[f"{scope}.{metric}.{field}"] = report[scope][metric][field]
        for attr, value in report[scope]["attributes"].items():
            out[f"{scope}.{attr}"] = value
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SETS))
def test_scores_do_not_drop_below_their_floors(scorer, name):
    folder = SETS[name]
    if not any(folder.glob("*.json")):
        pytest.skip(f"no annotated articles in {folder}")
    got = scores(scorer, folder)
    floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.is_file() else {}
    pinned = floors.get(name, {})
    if os.environ.get("EVENTWIRE_UPDATE_FLOORS"):
        lower_ok = bool(os.environ.get("EVENTWIRE_ALLOW_LOWER_FLOORS"))
        floors[name] = {k: (v if lower_ok else max(v, pinned.get(k, 0.0))) for k, v in sorted(got.items())}
        FLOORS.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        pinned = floors[name]
    assert pinned, f"no floors pinned for {name}: run with EVENTWIRE_UPDATE_FLOORS=1"
    tolerance = 0.005
    below = {k: (got.get(k, 0.0), floor) for k, floor in pinned.items() if got.get(k, 0.0) < floor - tolerance}
    assert not below, f"{name}: scores below their floors (got, floor): {below}"
