"""Every record the extractor makes on the annotated sets, as one JSON file — for refactors.

    .venv/bin/python bench/snapshot.py OUT.json [FOLDER ...]

Without folders: the dev set (../shared/eval/dev) and every set under tests/invented/.
A refactor that must not change behaviour writes a snapshot before and after and diffs
them (`diff <(jq -S . before.json) <(jq -S . after.json)`, or `--compare BEFORE`), which
checks far more than the scores do. Ids, confidence and the extractor version are left
out: they change with any lexicon edit.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dev_score import article_of  # noqa: E402
from extraction import extract  # noqa: E402

VOLATILE = {"meeting_id", "mechanism_id", "institution_id", "extractor_version", "confidence", "article_id"}


def _clean(record) -> dict:
    return {k: v for k, v in record.model_dump(mode="json").items() if k not in VOLATILE}


def snapshot(folders: list[Path]) -> dict[str, dict]:
    out = {}
    for folder in folders:
        for path in sorted(folder.glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            ex = extract(article_of(doc))
            names = {i.institution_id: i.name for i in ex.institutions}
            out[doc["id"]] = {
                "institutions": sorted((m.surface, m.char_start, names[m.institution_id]) for m in ex.mentions),
                "meetings": [_clean(m) for m in ex.meetings],
                "mechanisms": [_clean(m) for m in ex.mechanisms],
                "rejects": [r.error for r in ex.rejects],
            }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("folders", type=Path, nargs="*")
    ap.add_argument("--compare", type=Path, help="an earlier snapshot: print the articles whose records differ")
    args = ap.parse_args()
    folders = args.folders or [ROOT.parent / "shared" / "eval" / "dev",
                               *sorted(p for p in (ROOT / "tests" / "invented").glob("*/*") if p.is_dir())]
    text = json.dumps(snapshot(folders), ensure_ascii=False, indent=1, sort_keys=True)
    args.out.write_text(text, encoding="utf-8")
    snap = json.loads(text)             # as the earlier snapshot was read: lists, not tuples
    print(f"{len(snap)} articles -> {args.out}")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        changed = sorted(k for k in set(before) | set(snap) if before.get(k) != snap.get(k))
        for k in changed:
            for part in ("institutions", "meetings", "mechanisms", "rejects"):
                if (before.get(k) or {}).get(part) != (snap.get(k) or {}).get(part):
                    print(f"  {k}: {part} differ")
        print(f"{len(changed)} articles differ")
        return 1 if changed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
