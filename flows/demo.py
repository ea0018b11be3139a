"""`make demo`: serve the fictional feeds of deploy/demo/ on 127.0.0.1, run the flow on them, show SQL.

    python -m flows.demo [--db data/demo.duckdb]

No internet needed: the feeds, and the page one item links to, come from a local
HTTP server started here; the warehouse is a real DuckDB file you can query afterwards
(`eventwire sql --db data/demo.duckdb "SELECT * FROM v_meetings"`).
"""
from __future__ import annotations

import argparse
import errno
import functools
import http.server
import sys
import threading
from pathlib import Path

from flows.settings import PROJECT_ROOT

DEMO_DIR = PROJECT_ROOT / "deploy" / "demo"

QUERIES = {
    "articles": "SELECT language, count(*) AS articles FROM articles GROUP BY ALL ORDER BY ALL",
    "meetings": "SELECT kind, status, start_date, date_precision, location, name FROM meetings ORDER BY ALL",
    "participants": "SELECT m.kind, p.participant_type, p.name FROM meeting_participants p "
                    "JOIN meetings m USING (meeting_id) ORDER BY ALL",
    "mechanisms": "SELECT status, proposer, description FROM mechanisms ORDER BY ALL",
    "institutions": "SELECT name, acronym, kind FROM institutions ORDER BY name",
    "institution mentions": "SELECT count(*) AS mentions, count(DISTINCT institution_id) AS institutions "
                            "FROM institution_mentions",
    "rejects": "SELECT stage, record_type, error FROM rejects",
    "runs": "SELECT run_id, status, feeds_ok, feeds_failed, articles_new, articles_unchanged FROM runs "
            "ORDER BY started_at",
}


class _DemoHandler(http.server.SimpleHTTPRequestHandler):
    """Serves deploy/demo/, with PAGE_BASE in the feeds replaced by this server's address."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = Path(self.translate_path(self.path))
        if path.suffix == ".xml" and path.is_file():
            base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
            body = path.read_bytes().replace(b"PAGE_BASE", base.encode())
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def start_server(directory: Path = DEMO_DIR, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `directory` on 127.0.0.1:`port` (0: any free port)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                             functools.partial(_DemoHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def start_demo_server(port: int) -> tuple[http.server.ThreadingHTTPServer, str]:
    """The demo's server on `port`, or on a free port when another process holds that one (said on stderr)."""
    try:
        return start_server(port=port)
    except OSError as e:
        if e.errno != errno.EADDRINUSE or port == 0:
            raise
    server, base = start_server(port=0)
    print(f"demo: port {port} is taken; serving the demo feeds on {base} instead (article ids follow the feed "
          "URLs, so a warehouse of earlier demos gets these articles as new ones)", file=sys.stderr)
    return server, base


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=Path("data/demo.duckdb"))
    ap.add_argument("--port", type=int, default=8765,
                    help="a fixed port keeps feed URLs, and so article ids, the same from one demo run to the next")
    args = ap.parse_args(argv)
    from flows.cli import main as cli
    server, base = start_demo_server(args.port)
    try:
        feeds = [f"{base}/{p.name}" for p in sorted(DEMO_DIR.glob("*.xml"))]
        code = cli(["run", *[a for url in feeds for a in ("--feeds", url)], "--db", str(args.db)])
    finally:
        server.shutdown()
    if code != 0:
        return code
    for title, query in QUERIES.items():
        print(f"\n-- {title}\n{query}")
        cli(["sql", "--db", str(args.db), query])
    return 0


if __name__ == "__main__":
    sys.exit(main())
