"""Cross-article resolution on the annotated dev set, fast to iterate on.

    .venv/bin/python bench/dev_events.py [GOLD_DIR] [--db PATH] [--fresh] [--show N]

The first call (or --fresh) serves GOLD_DIR as RSS on 127.0.0.1 and runs `eventwire run` into
--db, as evaluate.py does; later calls keep that warehouse, clear its events and resolve them
again in-process, so a change to events/ is scored in seconds. Prints the evaluator's
resolution lines (pairwise links across articles and B-cubed) and, with --show, the gold
events that were split or merged.
"""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "dev"


def evaluator(gold: Path):
    spec = importlib.util.spec_from_file_location("evaluate", gold.parent / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(ev, docs: list[dict], db: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="ew-dev-events-") as tmp:
        root = Path(tmp) / "site"
        srv, base = ev.serve(root)
        try:
            urls = ev.build_site(docs, root, base)
            feeds = [arg for url in urls for arg in ("--feeds", url)]
            subprocess.run([str(ROOT / ".venv" / "bin" / "eventwire"), "run", *feeds, "--db", str(db)],
                           check=True, capture_output=True)
        finally:
            srv.shutdown()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--db", type=Path, default=Path("/tmp/eventwire-dev-events.duckdb"))
    ap.add_argument("--fresh", action="store_true", help="extract again into a new warehouse")
    ap.add_argument("--show", type=int, default=0, help="print up to N split or merged gold events")
    args = ap.parse_args()
    ev = evaluator(args.gold)
    docs = ev.load_gold(args.gold)
    if args.fresh or not args.db.exists():
        args.db.unlink(missing_ok=True)
        build(ev, docs, args.db)
    else:
        from flows.resolution import resolve_warehouse
        from warehouse import connect, migrate
        con = connect(args.db)
        try:
            migrate(con)
            con.execute("UPDATE meetings SET event_id = NULL")
            con.execute("UPDATE mechanisms SET event_id = NULL")
            con.execute("DELETE FROM reports")
            con.execute("DELETE FROM events")
            resolve_warehouse(con)
        finally:
            con.close()
    _article_urls(docs, args.db)
    pred = ev.read_predictions(args.db, docs)
    for kind, sim in (("meetings", ev.meeting_sim), ("mechanisms", ev.mechanism_sim)):
        print(f"cross-article {kind}", ev.score_resolution(docs, pred, kind, sim))
        if args.show:
            show(ev, docs, pred, kind, sim, args.show, args.db)
    return 0


def _article_urls(docs: list[dict], db: Path) -> None:
    """The served URL of every gold article, read back from the warehouse (the port differs per build)."""
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    try:
        urls = [row[0] for row in con.execute("SELECT url FROM articles").fetchall()]
    finally:
        con.close()
    for d in docs:
        d["_url"] = next((u for u in urls if u.rsplit("/", 1)[-1] == d["id"]), "")


def _explain(db: Path, report_ids: list[str]) -> None:
    """Each pair of these reports: what keeps them apart, what they share (events.match)."""
    import duckdb

    from events.match import conflict, evidence
    from flows.resolution import _stored_report
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute("SELECT * FROM reports WHERE report_id IN (SELECT unnest(?))", [report_ids])
        names = [d[0] for d in cur.description]
        reports = [_stored_report(dict(zip(names, row, strict=True))) for row in cur.fetchall()]
    finally:
        con.close()
    for r in reports:
        print(f"        {r.report_id[:6]} {r.kind} {r.date_lo}..{r.date_hi} {r.place_key} "
              f"{sorted(r.entities)} {sorted(r.tokens)}")
    con = duckdb.connect(str(db), read_only=True)
    try:
        for event_id, members in con.execute(
                "SELECT r.event_id, list(a.url || ' ' || coalesce(m.name, k.description, '')) FROM reports r "
                "JOIN articles a USING (article_id) LEFT JOIN meetings m ON m.meeting_id = r.report_id "
                "LEFT JOIN mechanisms k ON k.mechanism_id = r.report_id WHERE r.event_id IN "
                "(SELECT event_id FROM reports WHERE report_id IN (SELECT unnest(?))) GROUP BY 1", [report_ids]).fetchall():
            print(f"        event {event_id}: " + " | ".join(m.rsplit("/", 1)[-1][:70] for m in members))
    finally:
        con.close()
    for i, a in enumerate(reports):
        for b in reports[i + 1:]:
            print(f"        {a.report_id[:6]}~{b.report_id[:6]}: conflict={conflict(a, b)} evidence={evidence(a, b)}")


def show(ev, docs, pred, kind, sim, limit: int, db: Path) -> None:
    by_key: dict[str, list] = {}
    for d in docs:
        rows = pred[d["id"]][kind]
        gold = d.get(kind, [])
        for pi, gi, _ in ev.align(gold, rows, sim):
            g = gold[gi]
            if g.get("event_key") and not g.get("optional"):
                r = rows[pi]
                by_key.setdefault(g["event_key"], []).append(
                    (d["id"], r.get("event_id"), r.get("kind"), r.get("status"), r.get("start_date"),
                     r.get("location"), r.get("name") or r.get("description"), r.get("meeting_id") or r.get("mechanism_id")))
    events: dict[str, set] = {}
    for key, rows in by_key.items():
        for row in rows:
            events.setdefault(row[1], set()).add(key)
    shown = 0
    for key, rows in by_key.items():
        ids = {r[1] for r in rows}
        merged = {k for i in ids for k in events.get(i, ()) if k != key}
        if len({r[0] for r in rows}) > 1 and (len(ids) > 1 or merged) and shown < limit:
            shown += 1
            print(f"  {key}: {len(ids)} events" + (f", merged with {sorted(merged)}" if merged else ""))
            for r in rows:
                print("     ", r)
            _explain(db, [r[-1] for r in rows])


if __name__ == "__main__":
    sys.exit(main())
