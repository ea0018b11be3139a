"""The CLI of CONTRACT.md: every command, its help, its one-line errors and exit codes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from flows.cli import COMMANDS, EPILOG, build_parser
from tests.e2e.conftest import ARTICLES, run_cli
from tests.sitekit import rss

ROOT = Path(__file__).resolve().parents[2]


def test_every_command_has_help_with_an_example():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS) == {"run", "extract", "serve", "sql", "reprocess", "limit", "automations",
                                                        "export", "report"}
    for name, p in sub.choices.items():
        text = p.format_help()
        assert text.count("example: ") == 1 and f"eventwire {name}" in text.split("example: ")[1], name
        assert EPILOG[name] in text


def test_readme_commands_exist_in_the_cli():
    """Every `eventwire CMD --flag` the README shows is a real command with that flag."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command").choices
    shown = re.findall(r"(?:^|`|\| )eventwire ([a-z]+)([^\n`|]*)", readme, flags=re.MULTILINE)
    assert {cmd for cmd, _ in shown} == set(COMMANDS)
    for cmd, rest in shown:
        assert cmd in sub, cmd
        options = {o for action in sub[cmd]._actions for o in action.option_strings}
        for flag in re.findall(r"(--[a-z-]+)", rest):
            assert flag in options, f"README: eventwire {cmd} {flag}"


@pytest.mark.slow
def test_extract_prints_json_records(cli_env):
    proc = run_cli(cli_env, "extract", "-", "--lang", "ru", "--published", "2025-04-02",
                   input=ARTICLES[0]["text"])
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["language"] == "ru"
    assert out["extractor_version"]
    assert any("Организация Объединенных Наций" == i["name"] for i in out["institutions"])
    for m in out["mentions"]:
        assert ARTICLES[0]["text"][m["char_start"]:m["char_end"]] == m["surface"]


def test_extract_missing_file_is_a_one_line_error(cli_env, tmp_path):
    proc = run_cli(cli_env, "extract", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "does not exist" in proc.stderr


@pytest.mark.slow
@pytest.mark.network
def test_sql_reads_and_refuses_to_write(site, cli_env, tmp_path):
    db = tmp_path / "w.duckdb"
    assert run_cli(cli_env, "run", "--feeds", site.put("/a.xml", rss(ARTICLES[:1])), "--db", str(db)).returncode == 0
    proc = run_cli(cli_env, "sql", "--db", str(db), "--format", "json", "SELECT count(*) AS n FROM articles")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [{"n": 1}]
    table = run_cli(cli_env, "sql", "--db", str(db), "SELECT title FROM articles")
    assert "Переговоры в Душанбе" in table.stdout
    write = run_cli(cli_env, "sql", "--db", str(db), "DELETE FROM articles")
    assert write.returncode == 2
    assert "read-only" in write.stderr.lower() and "Traceback" not in write.stderr
    bad = run_cli(cli_env, "sql", "--db", str(db), "SELEC oops")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_sql_on_a_missing_warehouse(cli_env, tmp_path):
    proc = run_cli(cli_env, "sql", "--db", str(tmp_path / "none.duckdb"), "SELECT 1")
    assert proc.returncode == 2 and "does not exist" in proc.stderr


def test_run_on_a_corrupt_warehouse_is_a_one_line_error(cli_env, tmp_path):
    db = tmp_path / "bad.duckdb"
    db.write_bytes(b"this is not a duckdb file" * 100)
    proc = run_cli(cli_env, "run", "--feeds", str(tmp_path / "x.xml"), "--db", str(db))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == b"this is not a duckdb file" * 100


def test_every_option_has_help_text():
    sub = next(a for a in build_parser()._actions if a.dest == "command").choices
    for name, p in sub.items():
        for action in p._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"eventwire {name} {action.option_strings[0]} has no help text"
