"""Score floors pinned in floors.json, shared by the in-process gate and the end-to-end evaluation.

A change that lowers any score below its floor fails. Raising floors after an
improvement: `EVENTWIRE_UPDATE_FLOORS=1 make test ARGS=tests/quality` rewrites the file
with the new scores (only upwards); lowering one needs EVENTWIRE_ALLOW_LOWER_FLOORS=1 as
well, and a reason in the commit message.
"""
from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterable
from pathlib import Path

FLOORS = Path(__file__).with_name("floors.json")
TOLERANCE = 0.005
METRICS = [("institutions", "f1"), ("meetings", "f1"), ("mechanisms", "f1"),
           ("meetings_exact", "f1"), ("mechanisms_exact", "f1")]


def flat_scores(report: dict, scopes: Iterable[str]) -> dict[str, float]:
    """An evaluate.py report as {"ru.meetings.f1": ..., "ru.meeting.location": ...} for `scopes`."""
    out = {}
    for scope in scopes:
        for metric, field in METRICS:
            out[f"{scope}.{metric}.{field}"] = report[scope][metric][field]
        for attr, value in report[scope]["attributes"].items():
            out[f"{scope}.{attr}"] = value
        for kind in ("meetings", "mechanisms"):     # cross-article resolution, when the warehouse has events
            resolution = report[scope].get(f"{kind}_resolution")
            if resolution:
                out[f"{scope}.{kind}_resolution.links.f1"] = resolution["links"]["f1"]
                out[f"{scope}.{kind}_resolution.bcubed_f1"] = resolution["bcubed_f1"]
    return out


def below_floors(name: str, got: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Scores of set `name` under their pinned floor, as {key: (got, floor)}; re-pins on request."""
    floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.is_file() else {}
    pinned = floors.get(name, {})
    if os.environ.get("EVENTWIRE_UPDATE_FLOORS"):
        lower_ok = bool(os.environ.get("EVENTWIRE_ALLOW_LOWER_FLOORS"))
        floors[name] = {k: (v if lower_ok else max(v, pinned.get(k, 0.0))) for k, v in sorted(got.items())}
        FLOORS.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        pinned = floors[name]
    if not pinned:
        raise AssertionError(f"no floors pinned for {name}: run with EVENTWIRE_UPDATE_FLOORS=1")
    return {k: (got.get(k, 0.0), floor) for k, floor in pinned.items() if got.get(k, 0.0) < floor - TOLERANCE}


def load_module(name: str, path: Path):
    """A script (bench/dev_score.py, ../shared/eval/evaluate.py) imported as module `name`."""
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
