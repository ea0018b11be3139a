"""Measure each extraction rule's precision on an annotated set and write the confidence table.

    .venv/bin/python bench/calibrate.py [../shared/eval/dev] [--write]

A predicted row is correct when the scorer of `../shared/eval/evaluate.py` aligns it
with an annotated item (meetings, mechanisms) or matches it to an annotated institution
(every mention of that institution counts for its rule). Rows aligned with optional
items are left out. Prints the table; `--write` stores it as
`extraction/lexicons/confidence.tsv`, which `extraction/confidence.py` reads.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dev_score import article_of, load_evaluator  # noqa: E402
from extraction import extract  # noqa: E402
from extraction.lexicons import lexicon_path  # noqa: E402

HEADER = ("# rule_id\trows\tcorrect — written by bench/calibrate.py from the annotated dev set; "
          "confidence = (correct + 1) / (rows + 2)\n")


def measure(ev, docs: list[dict]) -> tuple[Counter, Counter]:
    rows: Counter = Counter()
    correct: Counter = Counter()
    for d in docs:
        ex = extract(article_of(d))
        body = d["text"]
        for kind, records, sim in (("meetings", ex.meetings, ev.meeting_sim),
                                   ("mechanisms", ex.mechanisms, ev.mechanism_sim)):
            pred = [{**r.model_dump(mode="json"), "_body": body} for r in records]
            gold = d.get(kind, [])
            aligned = {pi: gold[gi] for pi, gi, _ in ev.align(gold, pred, sim)}
            for pi, r in enumerate(records):
                if pi in aligned and aligned[pi].get("optional"):
                    continue
                rows[r.rule_id] += 1
                correct[r.rule_id] += pi in aligned
        names = {i.institution_id: i for i in ex.institutions}
        surfaces: dict[str, list[str]] = {}
        for m in ex.mentions:
            surfaces.setdefault(m.institution_id, []).append(m.surface)
        for m in ex.mentions:
            inst = names[m.institution_id]
            p = {"name": inst.name, "acronym": inst.acronym, "surfaces": surfaces[m.institution_id]}
            hits = [g for g in d.get("institutions", []) if ev.inst_match(p, g)]
            if hits and all(g.get("optional") for g in hits):
                continue
            rows[m.rule_id] += 1
            correct[m.rule_id] += bool(hits)
    return rows, correct


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path, nargs="?", default=ROOT.parent / "shared" / "eval" / "dev")
    ap.add_argument("--evaluator", type=Path, default=ROOT.parent / "shared" / "eval" / "evaluate.py")
    ap.add_argument("--write", action="store_true", help="store the table in extraction/lexicons/confidence.tsv")
    args = ap.parse_args()
    ev = load_evaluator(args.evaluator)
    rows, correct = measure(ev, ev.load_gold(args.gold))
    lines = ["rule_id\trows\tcorrect"] + [f"{r}\t{rows[r]}\t{correct[r]}" for r in sorted(rows)]
    for r in sorted(rows):
        print(f"{r:<32} {rows[r]:>5} rows  {correct[r] / rows[r]:.2f} precision  "
              f"confidence {(correct[r] + 1) / (rows[r] + 2):.3f}")
    if args.write:
        lexicon_path("confidence.tsv").write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {lexicon_path('confidence.tsv')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
