"""`eventwire sql` as analysts use it: the query as an argument or from `--file` (a UTF-8 .sql file, or
- for standard input), exactly one statement (counted by DuckDB's own parser), and one-line errors
(exit 2, "eventwire sql: error: ...", no traceback) for everything else; the offsets of each mention
in v_meetings and v_mechanisms.

A tiny real warehouse (the project's migrations and views, two articles loaded by load_batch);
`flows.cli.main` in this process, and the installed `eventwire` in a child process for the crashes of old.
"""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from flows.cli import main
from schemas import stable_id
from tests.e2e.conftest import run_cli
from warehouse import connect, load_batch, open_warehouse
from warehouse.testing import make_article, make_extraction

BODIES = {
    1: "В Москве 2 июня пройдет саммит ООН. Россия предложила создать механизм консультаций по воде.",
    2: "The foreign ministers held talks in Astana; they agreed to set up a joint working group on water.",
}
# article -> (meeting mention, mechanism mention): what char_start/char_end must point at
MENTIONS = {1: ("саммит ООН", "механизм консультаций по воде"), 2: ("held talks", "a joint working group on water")}


def _extraction(n: int, body: str):
    """make_extraction's records, with the meeting and mechanism spans on their real mentions."""
    article = make_article(n, body, language="ru" if n == 1 else "en")
    extraction = make_extraction(article)
    meeting_text, mechanism_text = MENTIONS[n]
    m_start, k_start = body.index(meeting_text), body.index(mechanism_text)
    meeting = extraction.meetings[0].model_copy(update={
        "name": meeting_text, "char_start": m_start, "char_end": m_start + len(meeting_text)})
    mechanism = extraction.mechanisms[0].model_copy(update={
        "description": mechanism_text, "char_start": k_start, "char_end": k_start + len(mechanism_text)})
    return article, extraction.model_copy(update={"meetings": (meeting,), "mechanisms": (mechanism,)})


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sql") / "w.duckdb"
    con = open_warehouse(path)
    pairs = [_extraction(n, body) for n, body in BODIES.items()]
    load_batch(con, run_id=None, articles=[a for a, _ in pairs], extractions=[e for _, e in pairs])
    con.close()
    return path


QUERY = "SELECT name, kind FROM v_meetings ORDER BY name"


def _ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["sql", *argv]) == 0, capsys.readouterr().err
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def _error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The one stderr line of `eventwire sql ARGV`, which must exit 2 and print nothing on stdout."""
    assert main(["sql", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err, captured.err
    assert captured.err.startswith("eventwire sql: error: ") and captured.err.count("\n") == 1, captured.err
    return captured.err.strip()


# --- --file --------------------------------------------------------------------------------------

def test_file_gives_what_the_argument_gives(db: Path, tmp_path: Path, capsys) -> None:
    by_argument = _ok(capsys, "--db", str(db), "--format", "json", QUERY)
    assert [r["name"] for r in json.loads(by_argument)] == ["held talks", "саммит ООН"]
    plain = tmp_path / "q.sql"
    plain.write_text(f"-- meetings by name; a comment with ; in it\n{QUERY};\n", encoding="utf-8")
    with_bom = tmp_path / "bom.sql"  # as some editors save UTF-8
    with_bom.write_bytes(b"\xef\xbb\xbf" + QUERY.encode("utf-8"))
    for path in (plain, with_bom):
        assert _ok(capsys, "--db", str(db), "--format", "json", "--file", str(path)) == by_argument, path
    assert _ok(capsys, "--db", str(db), "--file", str(plain)) == _ok(capsys, "--db", str(db), QUERY)  # table


def test_file_dash_reads_standard_input(db: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    by_argument = _ok(capsys, "--db", str(db), "--format", "csv", QUERY)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(f"{QUERY}\n".encode())))
    assert _ok(capsys, "--db", str(db), "--format", "csv", "--file", "-") == by_argument


def test_file_that_is_not_utf8_names_the_file_and_says_decode(db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "latin1.sql"
    path.write_bytes("SELECT 'café' AS c".encode("latin-1"))
    line = _error(capsys, "--db", str(db), "--file", str(path))
    assert str(path) in line and "decode" in line and "UTF-8" in line, line


def test_file_dash_that_is_not_utf8(db: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"SELECT '\xff'")))
    line = _error(capsys, "--db", str(db), "--file", "-")
    assert "standard input" in line and "decode" in line, line


@pytest.mark.parametrize("what, words", [("missing", ["does not exist"]), ("directory", ["not a regular file"])])
def test_file_that_cannot_be_read(what: str, words: list[str], db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "none.sql" if what == "missing" else tmp_path
    line = _error(capsys, "--db", str(db), "--file", str(path))
    assert str(path) in line and all(w in line for w in words), line


def test_query_and_file_both_or_neither(db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "q.sql"
    path.write_text(QUERY, encoding="utf-8")
    assert "not both" in _error(capsys, "--db", str(db), "--file", str(path), QUERY)
    assert "not both" in _error(capsys, "--db", str(db), "--file", str(path), "")
    assert "no query" in _error(capsys, "--db", str(db))


def test_help_describes_every_option() -> None:
    from flows.cli import build_parser
    sub = next(a for a in build_parser()._actions if a.dest == "command").choices["sql"]
    for action in sub._actions:
        assert action.help, action.dest


# --- one statement --------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["", "   \n\t ", "-- only a comment", "/* a block comment; with ; */",
                                   "-- one\n-- two\n", ";", " ; ;"])
def test_no_statement_is_a_one_line_error(query: str, db: Path, capsys) -> None:
    assert _error(capsys, "--db", str(db), query) == "eventwire sql: error: no SQL statement in the query"


def test_an_empty_file_is_no_statement(db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "empty.sql"
    path.write_text("-- to do\n", encoding="utf-8")
    assert _error(capsys, "--db", str(db), "--file", str(path)).endswith("no SQL statement in the query")


@pytest.mark.parametrize("query, n", [
    ("SELECT 1; SELECT 2", 2),
    ("SELECT 1 AS a;\nSELECT 2 AS b;\n-- the end\n", 2),
    ("SELECT 'x'; SELECT 'y;z'; SELECT 3;", 3),
])
def test_several_statements_are_a_one_line_error(query: str, n: int, db: Path, capsys) -> None:
    line = _error(capsys, "--db", str(db), query)
    assert line == f"eventwire sql: error: the query holds {n} statements; run one at a time"


def test_several_statements_in_a_file(db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "two.sql"
    path.write_text("SELECT count(*) FROM v_meetings;\nSELECT count(*) FROM v_mechanisms;\n", encoding="utf-8")
    assert _error(capsys, "--db", str(db), "--file", str(path)).endswith("holds 2 statements; run one at a time")


@pytest.mark.parametrize("query, expected", [
    ("SELECT 'a;b' AS s", [{"s": "a;b"}]),
    ('SELECT 1 AS "x;y"', [{"x;y": 1}]),
    ("SELECT 'a' || ';' AS s; -- one statement; this comment has ; too", [{"s": "a;"}]),
    ("SELECT /* ; */ 2 AS n;", [{"n": 2}]),
])
def test_a_semicolon_in_a_string_or_comment_is_one_statement(query: str, expected: list, db: Path, capsys) -> None:
    assert json.loads(_ok(capsys, "--db", str(db), "--format", "json", query)) == expected


def test_a_parse_error_stays_one_line(db: Path, capsys) -> None:
    line = _error(capsys, "--db", str(db), "SELEC 1; SELECT 2")
    assert "syntax error" in line and "SELEC" in line, line


@pytest.mark.parametrize("limit", ["-1", "-1000"])
def test_a_negative_limit_is_a_usage_error(limit: str, db: Path, capsys) -> None:
    line = _error(capsys, "--db", str(db), "--limit", limit, QUERY)
    assert f"--limit {limit}" in line and "0 (all rows) or a positive number" in line, line


@pytest.mark.parametrize("args, stdin, words", [
    (["-- c"], None, "no SQL statement in the query"),
    (["--file", "-"], "SELECT 1;\nSELECT 2;\n", "the query holds 2 statements; run one at a time"),
])
def test_the_installed_command_prints_one_line_and_no_traceback(args: list[str], stdin: str | None, words: str,
                                                               db: Path, cli_env: dict[str, str]) -> None:
    proc = run_cli(cli_env, "sql", "--db", str(db), *args, input=stdin, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert proc.stderr == f"eventwire sql: error: {words}\n", proc.stderr


# --- offsets in the views -------------------------------------------------------------------------

@pytest.mark.parametrize("view, text", [("v_meetings", "name"), ("v_mechanisms", "description")])
def test_views_expose_the_offsets_of_each_mention(view: str, text: str, db: Path) -> None:
    con = connect(db, read_only=True)
    try:
        columns = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
        at = columns.index("evidence")
        assert columns[at + 1:at + 3] == ["char_start", "char_end"], columns  # beside the evidence
        rows = con.execute(
            f"SELECT v.article_id, v.{text}, v.char_start, v.char_end, a.body, "
            "substring(a.body, v.char_start + 1, v.char_end - v.char_start), a.body[v.char_start + 1:v.char_end] "
            f"FROM {view} AS v JOIN articles AS a USING (article_id) ORDER BY v.article_id").fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == ["a0001", "a0002"]
    for article_id, mention, start, end, body, substring, sliced in rows:
        assert start > 0, article_id  # not at the body's start: an off-by-one would show
        assert body[start:end] == mention == substring == sliced, (article_id, body[start:end], substring)
    mentions = [r[1] for r in rows]
    assert mentions == [MENTIONS[1][0 if view == "v_meetings" else 1], MENTIONS[2][0 if view == "v_meetings" else 1]]


def test_an_existing_warehouse_gets_the_offsets_when_opened_for_writing(tmp_path: Path) -> None:
    """Views are re-created from warehouse/views on every open for writing (`eventwire run`, `reprocess`)."""
    path = tmp_path / "old.duckdb"
    con = open_warehouse(path)
    article, extraction = _extraction(1, BODIES[1])
    load_batch(con, run_id=None, articles=[article], extractions=[extraction])
    for view, key in (("v_meetings", "meeting_id"), ("v_mechanisms", "mechanism_id")):  # as an older eventwire left them
        con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT {key}, evidence FROM {view[2:]}")
    con.close()
    con = open_warehouse(path)
    try:
        for view, key in (("v_meetings", "meeting_id"), ("v_mechanisms", "mechanism_id")):
            row = con.execute(f"SELECT {key}, char_start, char_end FROM {view}").fetchone()
            kind = "meeting" if view == "v_meetings" else "mechanism"
            start = BODIES[1].index(MENTIONS[1][0 if kind == "meeting" else 1])
            assert row[0] == stable_id("a0001", kind) and row[1] == start, (view, row)
    finally:
        con.close()
