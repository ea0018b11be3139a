"""Score the extractor in-process on an annotated folder (fast loop; no feeds, no warehouse).

    .venv/bin/python bench/dev_score.py [../shared/eval/dev] [--lang ru] [--misses 40] [--only ID] [--ids REGEX]

Uses the scoring code of `../shared/eval/evaluate.py` (imported at run time, never
copied) on predictions made by `extraction.extract` directly. The end-to-end number
that counts is still `evaluate.py` over `eventwire run`; this is for iterating.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extraction import extract  # noqa: E402
from schemas import Article, Language, content_hash  # noqa: E402


def load_evaluator(path: Path):
    spec = importlib.util.spec_from_file_location("ew_evaluate", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def article_of(doc: dict) -> Article:
    """An annotated document as the `Article` the feed would have given."""
    pub = doc.get("published") or "2024-01-01"
    parts = [int(x) for x in pub.split("-")] + [1, 1]
    return Article(article_id=doc["id"], title=doc.get("title") or "", language=Language(doc["lang"]),
                   published_at=datetime(parts[0], parts[1], parts[2], 9, tzinfo=UTC), body=doc["text"],
                   content_hash=content_hash(doc["text"]))


def predict(doc: dict) -> dict:
    ex = extract(article_of(doc))
    body = doc["text"]
    names = {i.institution_id: i for i in ex.institutions}
    inst: dict[str, dict] = {}
    for m in ex.mentions:
        i = names[m.institution_id]
        row = inst.setdefault(i.institution_id, {"institution_id": i.institution_id, "name": i.name,
                                                 "acronym": i.acronym, "surfaces": []})
        if m.surface not in row["surfaces"]:
            row["surfaces"].append(m.surface)
    meetings = []
    for m in ex.meetings:
        r = m.model_dump(mode="json")
        r["participants"] = [p.name for p in m.participants]
        r["_body"] = body
        meetings.append(r)
    mechanisms = []
    for m in ex.mechanisms:
        r = m.model_dump(mode="json")
        r["_body"] = body
        mechanisms.append(r)
    return {"institutions": list(inst.values()), "meetings": meetings, "mechanisms": mechanisms,
            "seen": True, "body": body, "rejects": [r.error for r in ex.rejects]}


def attribute_errors(ev, docs: list[dict], pred: dict[str, dict]) -> list[str]:
    """One line per attribute a matched row gets wrong, in the evaluator's own terms."""
    out = []
    for d in docs:
        p = pred[d["id"]]
        gm, pm = d.get("meetings", []), p["meetings"]
        for pi, gi, _ in ev.align(gm, pm, ev.meeting_sim):
            g, r = gm[gi], pm[pi]
            head = f"{d['id']} meeting «{(g['anchors'][0])[:60]}»"
            if r.get("status") != g.get("status"):
                out.append(f"{head} status {r.get('status')} != {g.get('status')}")
            if g.get("location") and not ev.same_name(r.get("location"), g["location"]):
                out.append(f"{head} location {r.get('location')!r} != {g['location']!r}")
            if g.get("date") and not str(r.get("start_date") or "").startswith(g["date"]):
                out.append(f"{head} date {r.get('start_date')} != {g['date']}")
            gp = [x for x in g.get("participants", []) if x]
            pp = r.get("participants") or []
            missing = [b for b in gp if not any(ev.same_name(a, b) for a in pp)]
            extra = [a for a in pp if not any(ev.same_name(a, b) for b in gp)]
            if gp and (missing or extra or os.environ.get("DEV_SCORE_ALL")):
                hit = len(gp) - len(missing)
                f1 = 2 * hit / (len(gp) + len(pp)) if pp else 0.0   # the scorer's per-meeting F1
                out.append(f"{head} participants f1={f1:.2f} of {len(gp)} missing {missing} extra {extra}")
        gx, px = d.get("mechanisms", []), p["mechanisms"]
        for pi, gi, _ in ev.align(gx, px, ev.mechanism_sim):
            g, r = gx[gi], px[pi]
            head = f"{d['id']} mechanism «{(g['anchors'][0])[:60]}»"
            if r.get("status") != g.get("status"):
                out.append(f"{head} status {r.get('status')} != {g.get('status')}")
            if g.get("proposer") and not ev.same_name(r.get("proposer"), g["proposer"]):
                out.append(f"{head} proposer {r.get('proposer')!r} != {g['proposer']!r}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path, nargs="?", default=ROOT.parent / "shared" / "eval" / "dev")
    ap.add_argument("--evaluator", type=Path, default=ROOT.parent / "shared" / "eval" / "evaluate.py")
    ap.add_argument("--lang", choices=["ru", "en"], help="only articles of this language")
    ap.add_argument("--only", help="only the article with this id")
    ap.add_argument("--ids", help="only articles whose id matches this regular expression")
    ap.add_argument("--misses", type=int, default=40)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--attributes", action="store_true",
                    help="list the attribute errors of matched rows (place, date, status, proposer, participants)")
    args = ap.parse_args()
    ev = load_evaluator(args.evaluator)
    docs = ev.load_gold(args.gold)
    if args.lang:
        docs = [d for d in docs if d["lang"] == args.lang]
    if args.only:
        docs = [d for d in docs if d["id"] == args.only]
    if args.ids:
        docs = [d for d in docs if re.search(args.ids, d["id"])]
    pred = {d["id"]: predict(d) for d in docs}
    for d in docs:
        for err in pred[d["id"]]["rejects"]:
            print(f"   {d['id']} REJECT: {err}")
    for line in ev.misses(docs, pred, args.misses):
        print("  ", line)
    if args.attributes:
        for line in attribute_errors(ev, docs, pred):
            print("  ", line)
    report = ev.score(docs, pred)
    for scope in [k for k in report if isinstance(report[k], dict)]:
        r = report[scope]
        print(f"{scope:>4}: institutions {r['institutions']}  meetings {r['meetings']}  mechanisms {r['mechanisms']}")
        print(f"      exact rows: meetings {r['meetings_exact']}  mechanisms {r['mechanisms_exact']}")
        if r["attributes"]:
            print("      attributes", r["attributes"])
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
