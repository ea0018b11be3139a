"""Soak benchmark (a script, not a test): many feeds from 127.0.0.1, some faulty, three runs in a row.

    .venv/bin/python bench/soak.py [--feeds 200] [--items 100] [--faulty 0.05] [--runs 3]

Serves FEEDS feeds of ITEMS Russian news items each from a local HTTP server (ETag + 304 on
If-None-Match), a FAULTY share of them broken (HTTP 500, hanging past the fetch timeout, not XML,
404, cut short), and runs the real `eventwire run` RUNS times on one fresh warehouse. Reports per
run: wall time, peak memory of the run (PSS of its processes, as bench/run_throughput.py measures it), 200/304 answers, new/updated articles and records.
Runs 2+ must fetch with conditional GET (304 for every healthy feed) and re-extract nothing.
"""
from __future__ import annotations

import argparse
import hashlib
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from run_throughput import PeakRss  # noqa: E402

from tests.e2e.conftest import ARTICLES  # noqa: E402

FAULTS = ["http500", "hang", "garbage", "http404", "truncated"]


def feed_xml(feed: int, items: int) -> bytes:
    out = []
    for i in range(items):
        base = ARTICLES[(feed + i) % len(ARTICLES)]
        text = f"{base['text']} Сообщение {feed}-{i}."
        out.append(f"<item><guid isPermaLink=\"false\">s{feed}-{i}</guid><title>{escape(base['title'])} {i}</title>"
                   f"<pubDate>Wed, 02 Apr 2025 08:00:00 GMT</pubDate>"
                   f"<yandex:full-text>{escape(text)}</yandex:full-text></item>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:yandex="http://news.yandex.ru">'
            f"<channel><title>soak {feed}</title><language>ru</language>{''.join(out)}</channel></rss>").encode()


class Site:
    def __init__(self, feeds: int, items: int, faulty: float, hang_s: float) -> None:
        every = max(1, round(1 / faulty)) if faulty > 0 else 0
        self.kind = {f: (FAULTS[(f // every) % len(FAULTS)] if every and f % every == every - 1 else "ok")
                     for f in range(feeds)}
        self.body = {f: feed_xml(f, items) for f in range(feeds)}
        self.etag = {f: '"' + hashlib.sha1(b).hexdigest()[:16] + '"' for f, b in self.body.items()}
        self.hang_s = hang_s
        self.counts: dict[int, int] = {}
        self.lock = threading.Lock()

    def count(self, status: int) -> None:
        with self.lock:
            self.counts[status] = self.counts.get(status, 0) + 1

    def handler(site):  # noqa: N805
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def reply(self, status: int, body: bytes = b"", **headers: str) -> None:
                site.count(status)
                self.send_response(status)
                for k, v in {"Content-Type": "application/rss+xml; charset=utf-8",
                             "Content-Length": str(len(body)), **headers}.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                try:
                    feed = int(self.path.strip("/").split(".")[0].removeprefix("feed"))
                    kind = site.kind[feed]
                except (ValueError, KeyError):
                    return self.reply(404, b"no")
                if kind == "http500":
                    return self.reply(500, b"down")
                if kind == "http404":
                    return self.reply(404, b"gone")
                if kind == "garbage":
                    return self.reply(200, b"<html><body>not a feed</body></html>", **{"Content-Type": "text/html"})
                if kind == "truncated":
                    return self.reply(200, site.body[feed][: len(site.body[feed]) // 2])
                if kind == "hang":
                    site.count(0)
                    time.sleep(site.hang_s)
                    return None
                if self.headers.get("If-None-Match") == site.etag[feed]:
                    return self.reply(304, ETag=site.etag[feed])
                return self.reply(200, site.body[feed], ETag=site.etag[feed])
        return Handler


def run_once(env: dict[str, str], urls: list[str], db: Path) -> tuple[int, float, PeakRss, str]:
    """One `eventwire run`: its exit code, wall seconds, peak memory (`run_throughput.PeakRss`: the
    flow process's RSS, the PSS of the run's processes, the temporary Prefect API server apart)
    and the tail of its stderr."""
    feeds_file = db.parent / "feeds.toml"
    feeds_file.write_text("".join(f'[[feeds]]\nurl = "{u}"\nname = "soak-{i}"\n\n' for i, u in enumerate(urls)))
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "eventwire"), "run", "--feeds-file",
                                 str(feeds_file), "--db", str(db), "-q"], env=env, stdout=out, stderr=err, text=True)
        peak = PeakRss(proc.pid)
        proc.wait()
        peak.stop()
        elapsed = time.monotonic() - started
        err.seek(0)
        tail = err.read()[-2000:]
    return proc.returncode, elapsed, peak, tail


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=100)
    ap.add_argument("--faulty", type=float, default=0.05)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=10.0, help="EVENTWIRE_FETCH_TIMEOUT_S of the runs")
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows up when redirected to a file
    site = Site(args.feeds, args.items, args.faulty, hang_s=args.timeout * 3)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), site.handler())
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = [f"{base}/feed{f}.xml" for f in range(args.feeds)]
    faulty = sum(1 for k in site.kind.values() if k != "ok")
    print(f"soak: {args.feeds} feeds x {args.items} items from {base}, {faulty} faulty "
          f"({', '.join(sorted({k for k in site.kind.values() if k != 'ok'}))}), {args.runs} runs")
    with tempfile.TemporaryDirectory(prefix="eventwire-soak-") as tmp:
        home = Path(tmp) / "prefect"
        home.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "EVENTWIRE_"))}
        env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
                   PREFECT_LOGGING_LEVEL="WARNING", EVENTWIRE_FETCH_TIMEOUT_S=str(args.timeout),
                   EVENTWIRE_FETCH_RETRIES="1", EVENTWIRE_RETRY_DELAY_S="0.5", EVENTWIRE_FETCH_PAGES="false")
        db = Path(tmp) / "soak.duckdb"
        ok = True
        for n in range(1, args.runs + 1):
            site.counts.clear()
            code, elapsed, rss, err = run_once(env, urls, db)
            with duckdb.connect(str(db), read_only=True) as con:
                row = con.execute("SELECT feeds_ok, feeds_not_modified, feeds_failed, articles_new, articles_updated, "
                                  "articles_unchanged, records_meetings, records_mechanisms, "
                                  "records_institution_mentions, rejects FROM runs ORDER BY started_at DESC LIMIT 1"
                                  ).fetchone()
                totals = con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM meetings), "
                                     "(SELECT count(*) FROM institution_mentions)").fetchone()
            counts = dict(sorted(site.counts.items()))
            print(f"run {n}: exit {code}, {elapsed:.1f} s wall, peak memory {rss.pss:.0f} MB (PSS of the flow, the "
                  f"fork server and its workers; flow process RSS {rss.main:.0f} MB) plus {rss.api:.0f} MB for the "
                  f"temporary Prefect API server; HTTP answers {counts} (0 = hung until the client gave up)")
            print(f"        feeds ok/304/failed {row[0]}/{row[1]}/{row[2]}; articles new/updated/unchanged "
                  f"{row[3]}/{row[4]}/{row[5]}; records written: meetings {row[6]}, mechanisms {row[7]}, "
                  f"mentions {row[8]}; rejects {row[9]}")
            print(f"        warehouse: {totals[0]} articles, {totals[1]} meetings, {totals[2]} institution mentions")
            if code != 0:
                print(err, file=sys.stderr)
                ok = False
            if n > 1:
                healthy = args.feeds - faulty
                conditional = counts.get(304, 0) == healthy and counts.get(200, 0) == faulty - sum(
                    1 for k in site.kind.values() if k in ("http500", "http404", "hang")) and row[3] == row[4] == 0
                nothing = row[3] == row[4] == row[6] == row[7] == row[8] == 0
                print(f"        conditional GET for all {healthy} healthy feeds: {'yes' if conditional else 'NO'}; "
                      f"re-extracted nothing: {'yes' if nothing else 'NO'}")
                ok = ok and conditional and nothing
    server.shutdown()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
