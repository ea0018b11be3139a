"""Quality gate: P/R/F1 floors per language and type, pinned in floors.json.

A change that lowers any score below its floor fails (tests/quality/floors.py says how
to raise or, with a reason, lower them).

Two sets are scored in-process with the scoring code of ../shared/eval/evaluate.py:
the annotated dev set (../shared/eval/dev, read at test time, never copied) — the measure —
and our own invented articles (tests/invented/: `regression`, written independently of the
extractor; `tuned`, read for diagnosis; `untuned`, only ever measured), which are
regression tests: their floors catch a change that breaks what used to work.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.quality.floors import below_floors, flat_scores, load_module

ROOT = Path(__file__).resolve().parents[2]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
INVENTED = ROOT / "tests" / "invented"
SETS = {"dev": SHARED_EVAL / "dev",
        **{f"invented-{s}-{lang}": INVENTED / s / lang
           for s in ("regression", "tuned", "untuned") for lang in ("ru", "en")}}


@pytest.fixture(scope="module")
def scorer():
    if not (SHARED_EVAL / "evaluate.py").is_file():
        pytest.skip("../shared/eval/evaluate.py is not beside this checkout")
    return load_module("ew_dev_score", ROOT / "bench" / "dev_score.py"), load_module("ew_evaluate", SHARED_EVAL / "evaluate.py")


def scores(scorer, folder: Path) -> dict[str, float]:
    dev_score, ev = scorer
    docs = ev.load_gold(folder)
    report = ev.score(docs, {d["id"]: dev_score.predict(d) for d in docs})
    return flat_scores(report, [k for k in report if isinstance(report[k], dict) and k != "all"])


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SETS))
def test_scores_do_not_drop_below_their_floors(scorer, name):
    folder = SETS[name]
    if not any(folder.glob("*.json")):
        pytest.skip(f"no annotated articles in {folder}")
    got = scores(scorer, folder)
    below = below_floors(name, got)
    assert not below, f"{name}: scores below their floors (got, floor): {below}"
