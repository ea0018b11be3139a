"""`eventwire` — the command line of CONTRACT.md: run, extract, serve, sql, reprocess; and export, report.

Library errors become one-line messages here, with a non-zero exit:
0 the command completed (a run with failed feeds still completed: they are recorded),
1 the run itself failed, 2 bad usage, configuration or warehouse (locked, corrupt),
130 interrupted (Ctrl-C).

`run`, `reprocess` and `sql` check their arguments before anything is created or started:
the warehouse path (a regular file, or a new file in a writable directory; an existing file
must have a whole DuckDB header), then the feeds (--feeds values: http(s) URLs or existing
regular files, each URL at most 8,192 characters, all of them together at most
MAX_FEEDS_ARG_CHARS; the feeds file: a regular TOML file). Only then are the writer lock file
and the Prefect flow run created.
"""
from __future__ import annotations

import argparse
import atexit
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flows.settings import prefect_defaults

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

EPILOG = {
    "run": "example: eventwire run --feeds https://example.org/rss.xml --feeds ./local.xml --db data/ew.duckdb",
    "extract": "example: echo 'Президент Казахстана провел переговоры в Астане.' | eventwire extract - --lang ru",
    "serve": "example: eventwire serve --timezone Europe/Moscow   (the deployments of deploy/prefect.yaml; "
             "ingest every 15 minutes; Ctrl-C stops and pauses them)",
    "limit": "example: PREFECT_API_URL=http://127.0.0.1:4200/api eventwire limit --db data/eventwire.duckdb",
    "automations": "example: PREFECT_API_URL=http://127.0.0.1:4200/api eventwire automations",
    "sql": "example: eventwire sql \"SELECT kind, status, count(*) FROM meetings GROUP BY ALL\"",
    "reprocess": "example: eventwire reprocess --db data/eventwire.duckdb --lang ru",
    "export": "example: eventwire export --db data/demo.duckdb --format parquet --out exports/ --since 2025-01-01",
    "report": "example: eventwire report --db data/demo.duckdb --out report.html --since 2025-01-01 --lang ru",
}


MAX_FEEDS_ARG_CHARS = 262_144  # all --feeds values together: they become the flow run's parameters


class UsageError(Exception):
    """Bad arguments or configuration: exit 2 with a one-line message."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="eventwire", description="News feeds → meetings, proposed mechanisms and "
                                "named institutions → DuckDB, scheduled with Prefect.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def cmd(name: str, help_: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_, description=help_, epilog=EPILOG[name],
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    run = cmd("run", "One flow run: fetch every feed, extract, load; prints a summary.")
    run.add_argument("--feeds", action="append", metavar="URL_OR_PATH",
                     help="a feed URL or local file (repeatable); default: the feeds file")
    run.add_argument("--feeds-file", type=Path, help="TOML list of feeds (default deploy/feeds.toml)")
    run.add_argument("--db", type=Path, help="warehouse file (default $EVENTWIRE_DB or ./data/eventwire.duckdb)")
    run.add_argument("--batch-size", type=_positive_int,
                     help="articles per extraction task (default $EVENTWIRE_BATCH_SIZE or 50)")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")

    ex = cmd("extract", "Ad-hoc extraction of one text: JSON records on stdout, no database.")
    ex.add_argument("file", nargs="?", default="-", help="a UTF-8 text file, or - for standard input")
    ex.add_argument("--lang", choices=["ru", "en", "auto"], default="auto",
                    help="the text's language (default auto: detected; text in another language yields no records)")
    ex.add_argument("--published", help="publication date (YYYY-MM-DD) that relative dates resolve against")

    sv = cmd("serve", "Serve the deployments of deploy/prefect.yaml (ingest, reprocess, maintenance) from one "
             "process, on their schedules; no work pool needed.")
    sv.add_argument("--cron", default=None, help="cron of ingest (default $EVENTWIRE_CRON or that of prefect.yaml)")
    sv.add_argument("--timezone", default=None, help="timezone of the schedules (default $EVENTWIRE_TIMEZONE or "
                    "that of prefect.yaml)")
    sv.add_argument("--db", type=Path, help="warehouse of every deployment (default: prefect.yaml's)")
    sv.add_argument("--feeds-file", type=Path, help="feeds of ingest (default: prefect.yaml's)")

    lm = cmd("limit", "Create the warehouse's writer limit (a Prefect global concurrency limit of 1) on the "
             "current Prefect API, so that overlapping runs queue on it.")
    lm.add_argument("--db", type=Path, help="warehouse file (default $EVENTWIRE_DB or ./data/eventwire.duckdb)")

    au = cmd("automations", "Create or update the automations of deploy/automations.yaml on the current "
             "Prefect API.")
    au.add_argument("--file", type=Path, help="automations file (default deploy/automations.yaml)")

    sq = cmd("sql", "Run one SQL statement on the warehouse (opened read-only) and print a table.")
    sq.add_argument("query", nargs="?", help="the SQL statement (one; or give it with --file)")
    sq.add_argument("--file", metavar="PATH", help="read the statement from this UTF-8 .sql file "
                    "(- for standard input) instead of the command line")
    sq.add_argument("--db", type=Path, help="warehouse file (default $EVENTWIRE_DB or ./data/eventwire.duckdb)")
    sq.add_argument("--format", choices=["table", "csv", "json"], default="table",
                    help="output format (default table)")
    sq.add_argument("--limit", type=int, default=1000,
                    help="rows read and printed at most, in every format (default 1000; 0: all rows)")
    sq.add_argument("--wait", type=float, default=30.0, metavar="SECONDS",
                    help="how long to wait while a run is loading a batch into the warehouse (default 30)")

    rp = cmd("reprocess", "Re-extract stored articles with the current extractor; no refetch.")
    rp.add_argument("--db", type=Path, help="warehouse file (default $EVENTWIRE_DB or ./data/eventwire.duckdb)")
    rp.add_argument("--lang", choices=["ru", "en", "other"], help="only articles of this language (default: all)")
    rp.add_argument("--batch-size", type=_positive_int,
                    help="articles per extraction task (default $EVENTWIRE_BATCH_SIZE or 50)")
    rp.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")

    xp = cmd("export", "Write every contract table and analyst view as files (Parquet partitioned by month "
             "where a table grows with time, or CSV) that DuckDB, Polars and pandas open directly.")
    xp.add_argument("--db", type=Path, help="warehouse file (default $EVENTWIRE_DB or ./data/eventwire.duckdb)")
    xp.add_argument("--format", choices=["parquet", "csv"], default="parquet", help="file format (default parquet)")
    xp.add_argument("--out", type=Path, required=True, help="directory the files are written to (created)")
    xp.add_argument("--since", type=_iso_date, help="only rows of articles published (or events seen) on or "
                    "after this day, YYYY-MM-DD")

    rr = cmd("report", "Write one self-contained HTML report (opens without internet): meetings per week, "
             "institutions, who meets whom, a map, mechanisms, upcoming meetings.")
    rr.add_argument("--db", type=Path, help="warehouse file (default $EVENTWIRE_DB or ./data/eventwire.duckdb)")
    rr.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    rr.add_argument("--since", type=_iso_date, help="first day reported, YYYY-MM-DD (default: all)")
    rr.add_argument("--until", type=_iso_date, help="last day reported, YYYY-MM-DD (default: all)")
    rr.add_argument("--lang", choices=["ru", "en"], help="only articles of this language (default: all)")
    return p


def _iso_date(value: str) -> date:
    """argparse type: a YYYY-MM-DD day (a usage error, exit 2, otherwise)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a YYYY-MM-DD date") from None


def main(argv: Sequence[str] | None = None) -> int:
    prefect_defaults()
    args = build_parser().parse_args(argv)
    try:
        from feeds.errors import FeedError
        from warehouse.errors import WarehouseError
        try:
            return COMMANDS[args.command](args)
        except (UsageError, FeedError, WarehouseError, ValueError) as e:
            print(f"eventwire {args.command}: error: {_one_line(e)}", file=sys.stderr)
            return 2
    except KeyboardInterrupt:
        print(f"eventwire {args.command}: interrupted", file=sys.stderr)
        return 130


_exit_code: int | None = None     # set by `entry` once `main` has returned


def _exit_without_teardown() -> None:
    """The last exit handler of an `eventwire` process whose command returned (`entry`): the
    handlers of everything imported after this module have run (registered later, they run
    earlier: Prefect's flush of logs and events to its API), logging is shut down and the
    standard streams flushed; then the process ends without the interpreter's teardown. That
    teardown only frees memory the system frees anyway, object by object: after a run, 0.7 s
    spent on a few hundred MB of models, rows and Prefect state. Every file and connection of
    a command is closed by the command itself. A command that raised ends as Python ends it."""
    if _exit_code is None:
        return
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe (`eventwire sql ... | head`): nothing left to say
            pass
    os._exit(_exit_code)


atexit.register(_exit_without_teardown)


def entry() -> None:
    """The `eventwire` console script: `main`, and its return value as the exit status."""
    global _exit_code
    _exit_code = main()
    sys.exit(_exit_code)


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__


def read_text(source: str, *, label: str = "") -> str:
    """The UTF-8 text of the file `source`, or of standard input for "-"; a leading byte-order mark
    (some editors write one) is dropped. Else a one-line usage error naming the file (after
    `label`, the option it came from): missing, not a regular file (a FIFO or device is never
    read: it could block or not end), unreadable, or not UTF-8 ("cannot decode ...")."""
    name = "standard input" if source == "-" else source
    where = f"{label} {name}" if label else name
    try:
        if source == "-":
            raw = sys.stdin.buffer.read()
        elif not Path(source).is_file():
            raise UsageError(f"{where} is not a regular file" if Path(source).exists() else f"{where} does not exist")
        else:
            raw = Path(source).read_bytes()
    except OSError as e:
        raise UsageError(f"{where}: cannot read it: {e.strerror or e}") from e
    return decode_utf8(raw, where)


def decode_utf8(data: bytes, name: str) -> str:
    """`data` read from `name` (a file, standard input) as UTF-8 text, or a usage error that says
    where: "cannot decode report.txt as UTF-8: invalid start byte (byte 0xff at offset 0)"."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UsageError(f"cannot decode {name} as UTF-8: {e.reason} (byte 0x{data[e.start]:02x} at offset "
                         f"{e.start})") from None


def _positive_int(value: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return number


def _db_path(arg: Path | None) -> Path:
    from flows.settings import Settings
    return arg or Settings().db


def _check_warehouse(db: Path, *, must_exist: bool) -> None:
    """The warehouse path before anything touches it: a one-line error (exit 2), nothing created beside it.

    A regular file whose header is a whole DuckDB file's, or (unless `must_exist`) a missing file in
    a writable directory."""
    from warehouse.files import check_warehouse_file, check_warehouse_path
    if must_exist and not db.exists() and not db.is_symlink():
        raise UsageError(f"warehouse {db} does not exist (run `eventwire run` first)")
    check_warehouse_path(db, read_only=must_exist)
    if db.exists():
        check_warehouse_file(db)


def _check_feeds(args: argparse.Namespace) -> None:
    """--feeds and --feeds-file (or the default feeds file) before the run: one-line usage errors (exit 2)."""
    from feeds.config import check_local_feeds, feeds_from_args, load_feeds_toml
    from flows.settings import Settings
    if args.feeds:
        total = sum(len(value) for value in args.feeds)
        if total > MAX_FEEDS_ARG_CHARS:
            raise UsageError(f"--feeds values are {total} characters together, over the limit of "
                             f"{MAX_FEEDS_ARG_CHARS}: list the feeds in a feeds file (--feeds-file)")
        check_local_feeds(feeds_from_args(args.feeds))
    if args.feeds_file or not args.feeds:
        load_feeds_toml(args.feeds_file or Settings().feeds_file)


def _progress_to_stderr(quiet: bool) -> None:
    _no_tracebacks_on_console()
    log = logging.getLogger("eventwire.progress")
    log.handlers.clear()
    log.propagate = False
    if not quiet:
        h = logging.StreamHandler(sys.stderr)
        h.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        log.addHandler(h)
        log.setLevel(logging.INFO)


class _MessageOnly(logging.Filter):
    """Console only: a Prefect log record's message without its traceback (the API/UI keeps it).

    The CLI prints its own one-line error; a failed flow or task must not add a traceback to it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True


def _no_tracebacks_on_console() -> None:
    from prefect.logging.configuration import ensure_logging_setup
    from prefect.logging.handlers import PrefectConsoleHandler
    ensure_logging_setup()
    for handler in logging.getLogger().handlers:
        if isinstance(handler, PrefectConsoleHandler) and not any(isinstance(f, _MessageOnly) for f in handler.filters):
            handler.addFilter(_MessageOnly())


def _preflight(db: Path) -> None:
    """Open and migrate the warehouse before the flow starts: a locked or corrupt file is a one-line error.

    Done under the writer lock (flows/concurrency.py); when another run holds it, skipped: the
    flow run queues for the writer slot instead."""
    from flows.concurrency import try_file_lock
    from warehouse import connect, migrate
    with try_file_lock(db) as free:
        if not free:
            return
        con = connect(db)
        try:
            migrate(con)
        finally:
            con.close()


def _check_settings() -> None:
    """Every EVENTWIRE_* variable before anything starts: a bad one is a usage error naming it."""
    from flows.settings import Settings
    Settings()


def cmd_run(args: argparse.Namespace) -> int:
    _check_settings()
    db = _db_path(args.db)
    _check_warehouse(db, must_exist=False)
    _check_feeds(args)
    from flows.api_server import prefect_api
    api = prefect_api()         # a temporary server starts while the flow's modules are imported
    from flows.ingest import ingest
    from flows.report import print_summary
    _preflight(db)
    _progress_to_stderr(args.quiet)
    try:
        with api.in_use():
            summary = ingest(feeds=args.feeds, feeds_file=str(args.feeds_file) if args.feeds_file else None,
                             db=str(db), batch_size=args.batch_size)
    except Exception as e:
        from feeds.errors import FeedError
        from warehouse.errors import WarehouseError
        if isinstance(e, FeedError | WarehouseError):
            raise
        failed_run = getattr(e, "summary", None)      # flows.ingest.NoFeedFetched: its feeds' errors
        if failed_run is not None:
            print_summary(failed_run)
        print(f"eventwire run: the run failed: {_one_line(e)}", file=sys.stderr)
        return 1
    print_summary(summary)
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    from flows.api_server import prefect_api
    _check_settings()
    db = _db_path(args.db)
    _check_warehouse(db, must_exist=True)
    api = prefect_api()
    from flows.ingest import reprocess
    from flows.report import print_summary
    _preflight(db)
    _progress_to_stderr(args.quiet)
    try:
        with api.in_use():
            summary = reprocess(db=str(db), batch_size=args.batch_size, language=args.lang)
    except Exception as e:
        print(f"eventwire reprocess: the run failed: {_one_line(e)}", file=sys.stderr)
        return 1
    print_summary(summary)
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from extraction import adhoc_article, extract
    text = read_text(args.file)
    published = None
    if args.published:
        try:
            published = datetime.fromisoformat(args.published + "T12:00:00+00:00")
        except ValueError as e:
            raise UsageError(f"--published {args.published!r} is not a YYYY-MM-DD date") from e
    article = adhoc_article(text, language=args.lang, published_at=published)
    result = extract(article)
    out = {"language": article.language.value, **result.model_dump(mode="json")}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    """The query is the argument or the UTF-8 text of --file (- for standard input), exactly one of
    them, and holds exactly one statement (DuckDB's parser counts them): otherwise a one-line error,
    exit 2. It runs in a worker thread that Ctrl-C interrupts (DuckDB's `interrupt`); at most
    --limit rows (plus one, to tell whether there are more) are ever fetched."""
    from flows.report import print_rows
    from warehouse.db import connect_for_queries, connect_waiting, run_interruptible, run_query
    if args.limit < 0:
        raise UsageError(f"--limit {args.limit}: expected 0 (all rows) or a positive number")
    if args.wait < 0:
        raise UsageError(f"--wait {args.wait}: expected 0 (no wait) or a positive number of seconds")
    if args.query is not None and args.file is not None:
        raise UsageError("give the query as an argument or with --file, not both")
    if args.query is None and args.file is None:
        raise UsageError("no query: give it as an argument or with --file PATH")
    query = args.query if args.file is None else read_text(args.file, label="--file")
    db = _db_path(args.db)
    _check_warehouse(db, must_exist=True)
    # read-only, no files/ATTACH/extensions/settings (a refusal is a QueryError); a run holds the file only
    # while it loads a batch, so a query waits for that rather than failing
    con = connect_waiting(db, open_=connect_for_queries, wait_s=args.wait)
    try:
        columns, rows = run_interruptible(
            con, lambda: run_query(con, query, max_rows=args.limit + 1 if args.limit else None, single=True))
    except KeyboardInterrupt:
        raise  # not closed: an interrupted query may still be stopping; the process ends and releases the file
    except BaseException:
        con.close()
        raise
    con.close()
    more = bool(args.limit) and len(rows) > args.limit
    shown = rows[:args.limit] if more else rows
    print_rows(columns, shown, fmt=args.format, limit=len(shown))
    if more:
        print(f"eventwire sql: the first {args.limit} rows are shown, the query has more "
              "(--limit N shows N, --limit 0 all)", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.serve import serve_deployments
    from flows.settings import Settings
    settings = Settings()
    set_by_env = settings.model_fields_set
    serve_deployments(cron=args.cron or (settings.cron if "cron" in set_by_env else None),
                      timezone=args.timezone or (settings.timezone if "timezone" in set_by_env else None),
                      db=str(args.db) if args.db else None,
                      feeds_file=str(args.feeds_file) if args.feeds_file else None)
    return 0


def cmd_limit(args: argparse.Namespace) -> int:
    from flows.concurrency import ensure_writer_limit, lock_path
    db = _db_path(args.db)
    print(f"concurrency limit {ensure_writer_limit(db)} = 1 guards {db.resolve()} "
          f"(plus the file lock {lock_path(db)})")
    return 0


def cmd_automations(args: argparse.Namespace) -> int:
    from flows.automations import AUTOMATIONS_FILE, apply_automations
    path = args.file or AUTOMATIONS_FILE
    if not path.is_file():
        raise UsageError(f"automations file {path} does not exist")
    for name, what in apply_automations(path):
        print(f"automation {name}: {what}")
    return 0


@contextmanager
def _reading(db_arg: Path | None, wait_s: float = 30.0) -> Iterator[DuckDBPyConnection]:
    """The existing warehouse opened read-only for the block; while a run loads a batch into it,
    waits up to `wait_s` seconds (warehouse.db.connect_waiting) rather than failing."""
    from warehouse.db import connect_waiting
    db = _db_path(db_arg)
    _check_warehouse(db, must_exist=True)
    con = connect_waiting(db, read_only=True, wait_s=wait_s)
    try:
        yield con
    finally:
        con.close()


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.export import export_warehouse
    with _reading(args.db) as con:
        written = export_warehouse(con, args.out, fmt=args.format, since=args.since)
    for item in written:
        print(item)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from reports.html import write_report
    with _reading(args.db) as con:
        path = write_report(con, args.out, since=args.since, until=args.until, language=args.lang)
    print(f"report written to {path}")
    return 0


COMMANDS = {"run": cmd_run, "extract": cmd_extract, "serve": cmd_serve, "sql": cmd_sql, "reprocess": cmd_reprocess,
            "limit": cmd_limit, "automations": cmd_automations, "export": cmd_export, "report": cmd_report}


if __name__ == "__main__":
    entry()
